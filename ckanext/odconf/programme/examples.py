"""Example entries for a conference (``ckan odconf load --examples``).

They give the demo and the benchmarks something to show: datasets for every
theme, room and topic, and hackathon projects. Each one is plainly marked as
an example, by the ``example`` tag and by a notice at the top of its
description, in English and Khmer. Their descriptions are made up, but the
files they carry hold true data (``example_files.py``).
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from ckanext.odconf.hackathon.projects import PROJECT_TYPE, PUBLISHED, hackathon_organisation_name
from ckanext.odconf.logic.licenses import accepted_licenses

EXAMPLE_TAG = "example"
#: Example datasets made for each theme or room (one more for each topic).
PER_THEME = 2
#: Example hackathon projects when the programme does not say how many teams win.
DEFAULT_PROJECTS = 3

NOTICE = {
    "en": (
        "**Example entry.** It was added by `ckan odconf load --examples` to show "
        "how the catalogue works: its text is made up, but its files hold true "
        "data, each described with its source."
    ),
    "km": (
        "**ធាតុឧទាហរណ៍។** វាត្រូវបានបន្ថែមដោយ `ckan odconf load --examples` "
        "ដើម្បីបង្ហាញពីរបៀបដែលកាតាឡុកដំណើរការ៖ អត្ថបទរបស់វាត្រូវបានតែងឡើង "
        "ប៉ុន្តែឯកសាររបស់វាមានទិន្នន័យពិត ដែលឯកសារនីមួយៗមានការពិពណ៌នាពីប្រភពរបស់វា។"
    ),
}
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def _license() -> Optional[str]:
    accepted = [license_id for license_id, _title in accepted_licenses()]
    return "cc-by" if "cc-by" in accepted else (accepted[0] if accepted else None)


def _entry(
    data: Mapping[str, Any], name: str, title: dict[str, str], about: dict[str, str],
    tags: list[str], **fields: Any,
) -> dict[str, Any]:
    return dict(
        type="dataset",
        name=name,
        title_translated=title,
        notes_translated={
            language: f"{NOTICE[language]}\n\n{about[language]}" for language in about
        },
        license_id=_license(),
        owner_org=(data.get("organisers") or [None])[0],
        conference=data["edition"],
        language=["km", "en"],  # in the order of the schema's choices
        spatial_coverage=["KH"],
        tags=[{"name": tag} for tag in tags],
        **fields,
    )


def _theme_example(
    data: Mapping[str, Any], theme: Mapping[str, Any], suffix: str,
    subject: Mapping[str, str], number: Optional[int] = None, topic: Optional[str] = None,
) -> dict[str, Any]:
    """One example dataset about ``subject`` (the theme's title or a topic's)."""
    title = theme["title"]
    counted = f" {number}" if number else ""
    entry_title = {"en": f"Example dataset{counted} for “{subject['en']}”"}
    about = {"en": f"An example of a dataset shown under “{title['en']}”."}
    if subject.get("km"):
        khmer = f"ទី{number}".translate(KHMER_DIGITS) if number else ""
        entry_title["km"] = f"សំណុំទិន្នន័យឧទាហរណ៍{khmer} សម្រាប់ «{subject['km']}»"
        about["km"] = f"ឧទាហរណ៍នៃសំណុំទិន្នន័យដែលបង្ហាញក្រោម «{title.get('km', title['en'])}»។"
    return _entry(
        data, f"{data['edition']}-example-{theme['slug']}-{suffix}", entry_title, about,
        [EXAMPLE_TAG], theme=theme["slug"], topic=topic, session=theme["session"],
    )


def _theme_examples(data: Mapping[str, Any], theme: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries = [
        _theme_example(data, theme, str(number), theme["title"], number=number)
        for number in range(1, PER_THEME + 1)
    ]
    entries += [
        _theme_example(data, theme, topic["slug"], topic["title"], topic=topic["slug"])
        for topic in theme.get("topics") or []
    ]
    return entries


def example_projects(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Example hackathon projects of a checked programme, one per awarded team,
    each using the first example dataset of its challenge theme (written
    before them). Published, so that the gallery shows them; no award."""
    if not data.get("hackathon"):
        return []
    themes = [theme for theme in data.get("themes") or [] if theme.get("kind", "theme") == "theme"]
    notice = f"{NOTICE['en']}\n\n{NOTICE['km']}"
    entries = []
    for number in range(1, (data["hackathon"].get("awarded_teams") or DEFAULT_PROJECTS) + 1):
        khmer = str(number).translate(KHMER_DIGITS)
        theme = themes[(number - 1) % len(themes)] if themes else None
        entries.append(dict(
            type=PROJECT_TYPE,
            name=f"{data['edition']}-example-hackathon-project-{number}",
            title_translated={"en": f"Example hackathon project {number}",
                              "km": f"គម្រោងហេកកាថុនឧទាហរណ៍ទី{khmer}"},
            tagline={"en": "An example of a project a hackathon team builds and presents.",
                     "km": "ឧទាហរណ៍នៃគម្រោងដែលក្រុមហេកកាថុនបង្កើត និងបង្ហាញ។"},
            conference=data["edition"],
            owner_org=hackathon_organisation_name(data["edition"]),
            challenge_theme=theme["slug"] if theme else None,
            team_name=f"Example team {number}",
            problem=f"{notice}\n\nAn example of the problem a team takes on.",
            solution="An example of what a team builds with the catalogue's open data.",
            built_with=["Python", "CKAN API"],
            datasets_used=[f"{data['edition']}-example-{theme['slug']}-1"] if theme and PER_THEME else [],
            license_id=_license(),
            code_license="MIT",
            project_status=PUBLISHED,
            tags=[{"name": EXAMPLE_TAG}],
        ))
    return entries


def example_datasets(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The example datasets of a checked programme (``Programme.data``)."""
    entries = []
    for theme in data.get("themes") or []:
        entries += _theme_examples(data, theme)
    return entries

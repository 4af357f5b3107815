"""Example entries for a conference (``ckan odconf load --examples``).

They give the demo and the benchmarks something to show: datasets for every
theme, room and topic, and hackathon projects. Each one is plainly marked as
an example, by the ``example`` tag and by a notice at the top of its
description, in English and Khmer; none of them holds real conference data.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from ckanext.odconf.logic.conference import HACKATHON_KIND
from ckanext.odconf.logic.licenses import accepted_licenses

EXAMPLE_TAG = "example"
HACKATHON_PROJECT_TAG = "hackathon-project"
#: Example datasets made for each theme or room (one more for each topic).
PER_THEME = 2
#: Example hackathon projects when the programme does not say how many teams win.
DEFAULT_PROJECTS = 3

NOTICE = {
    "en": (
        "**Example entry.** It was added by `ckan odconf load --examples` to show "
        "how the catalogue works; it holds no real data from the conference."
    ),
    "km": (
        "**ធាតុឧទាហរណ៍។** វាត្រូវបានបន្ថែមដោយ `ckan odconf load --examples` "
        "ដើម្បីបង្ហាញពីរបៀបដែលកាតាឡុកដំណើរការ។ វាមិនមានទិន្នន័យពិតប្រាកដពីសន្និសីទទេ។"
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


def _hackathon_examples(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    hackathon = data.get("hackathon") or {}
    sessions = [item["id"] for item in data.get("agenda") or [] if item.get("kind") == HACKATHON_KIND]
    session = hackathon.get("presentation_session") or (sessions[-1] if sessions else None)
    if session is None:
        return []
    entries = []
    for number in range(1, (hackathon.get("awarded_teams") or DEFAULT_PROJECTS) + 1):
        khmer = str(number).translate(KHMER_DIGITS)
        entries.append(_entry(
            data,
            f"{data['edition']}-example-hackathon-project-{number}",
            {"en": f"Example hackathon project {number}", "km": f"គម្រោងហេកកាថុនឧទាហរណ៍ទី{khmer}"},
            {"en": "An example of a project a hackathon team builds and presents.",
             "km": "ឧទាហរណ៍នៃគម្រោងដែលក្រុមហេកកាថុនបង្កើត និងបង្ហាញ។"},
            [EXAMPLE_TAG, HACKATHON_PROJECT_TAG],
            theme=None, topic=None, session=session,
        ))
    return entries


def example_datasets(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The example entries for a checked programme (``Programme.data``)."""
    entries = []
    for theme in data.get("themes") or []:
        entries += _theme_examples(data, theme)
    return entries + _hackathon_examples(data)

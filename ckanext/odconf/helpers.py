"""Template helpers: choices for the conference fields, translated text."""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_get_preset, scheming_get_schema

from ckanext.odconf.programme import format as yaml_format
from ckanext.odconf.links import helpers as link_helpers
from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.logic.licenses import accepted_licenses
from ckanext.odconf.translation import current_language, default_language, pick

Choices = list[dict[str, str]]


def odconf_translated(value: Any, language: Optional[str] = None) -> str:
    """The text of a translated value in the page's language (English otherwise)."""
    return pick(value, language or current_language())


def odconf_translation(value: Any, language: str) -> str:
    """The text of a translated value in exactly ``language`` ('' if none)."""
    if isinstance(value, Mapping):
        return value.get(language) or ""
    return pick(value, language) if language == "en" else ""


def odconf_yaml(value: Any) -> str:
    """Nested conference data as YAML for the form and the page (text stays as typed)."""
    if isinstance(value, str):
        return value
    return yaml_format.dump(value) if value else ""


def odconf_license_choices(field: Mapping[str, Any]) -> Choices:
    """The accepted licences (``odconf.licenses``) as select choices."""
    return [{"value": license_id, "label": title} for license_id, title in accepted_licenses()]


def odconf_conference_choices(field: Mapping[str, Any]) -> Choices:
    """Every conference edition."""
    return [
        {"value": conference.name,
         "label": pick(conference.title_translated or conference.title, current_language())}
        for conference in conferences.all_conferences()
    ]


def odconf_theme_choices(field: Mapping[str, Any]) -> Choices:
    """Themes and rooms of every conference (the validator checks the pairing)."""
    choices: dict[str, dict[str, str]] = {}
    for conference in conferences.all_conferences():
        for theme in conference.themes:
            choices.setdefault(
                theme.slug,
                {"value": theme.slug, "label": f"{conference.name}: {pick(theme.title, current_language())}"},
            )
    return list(choices.values())


def odconf_topic_choices(field: Mapping[str, Any]) -> Choices:
    """Topics of every theme."""
    choices: dict[str, dict[str, str]] = {}
    for conference in conferences.all_conferences():
        for theme in conference.themes:
            for topic in theme.topics:
                choices.setdefault(
                    topic.slug,
                    {"value": topic.slug,
                     "label": f"{pick(theme.title, current_language())}: {pick(topic.title, current_language())}"},
                )
    return list(choices.values())


def odconf_session_choices(field: Mapping[str, Any]) -> Choices:
    """Sessions of every conference that datasets can be presented in."""
    return [
        {
            "value": session["id"],
            "label": tk._("{conference}, day {day} {start}: {title}").format(
                conference=conference.name, day=session.get("day"), start=session.get("start"),
                title=pick(session.get("title"), current_language())),
        }
        for conference in conferences.all_conferences()
        for session in conference.agenda
        if session.get("kind") not in ("break", "registration")
    ]


def odconf_form_languages(
    field: Mapping[str, Any], entity_type: Optional[str], object_type: Optional[str]
) -> list[str]:
    """The languages a translated field is edited in: the field's or its schema's
    ``form_languages``, else the site's default language."""
    if field.get("form_languages"):
        return list(field["form_languages"])
    schema = scheming_get_schema(entity_type, object_type) if entity_type and object_type else None
    return list((schema or {}).get("form_languages") or [default_language()])


def odconf_language_name(code: str) -> str:
    """The name of a language (from the ``odconf_languages`` preset), in the page's language."""
    preset = scheming_get_preset("odconf_languages") or {}
    for choice in preset.get("choices", []):
        if choice["value"] == code:
            return odconf_translated(choice["label"])
    return code


def odconf_referencing_datasets(reference: str, rows: int = 20) -> dict[str, Any]:
    """Entries that list ``reference`` among their references (for its page)."""
    try:
        return tk.get_action("odconf_referencing_datasets")(
            {}, {"id": reference, "rows": rows}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {"count": 0, "results": []}


def get_helpers() -> dict[str, Callable[..., Any]]:
    """The helpers this extension registers (ITemplateHelpers)."""
    return link_helpers.get_helpers() | {
        fn.__name__: fn
        for fn in (
            odconf_translated,
            odconf_translation,
            odconf_yaml,
            odconf_license_choices,
            odconf_conference_choices,
            odconf_theme_choices,
            odconf_topic_choices,
            odconf_session_choices,
            odconf_form_languages,
            odconf_language_name,
            odconf_referencing_datasets,
        )
    }

"""Template helpers: choices for the conference fields, translated text."""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, Optional

import ckan.plugins.toolkit as tk
from markupsafe import Markup, escape
from ckanext.scheming.helpers import scheming_field_by_name, scheming_get_preset, scheming_get_schema

from ckanext.odconf.programme import format as yaml_format
from ckanext.odconf.links import helpers as link_helpers
from ckanext.odconf.showcase import entry as entry_helpers
from ckanext.odconf.showcase import helpers as portal_helpers
from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.logic.licenses import accepted_licenses
from ckanext.odconf.translation import current_language, default_language, pick, pick_with_language

Choices = list[dict[str, str]]


def odconf_translated(value: Any, language: Optional[str] = None) -> str:
    """The text of a translated value in the page's language (English otherwise)."""
    return pick(value, language or current_language())


def odconf_translation(value: Any, language: str) -> str:
    """The text of a translated value in exactly ``language`` ('' if none)."""
    if isinstance(value, Mapping):
        return value.get(language) or ""
    return pick(value, language) if language == "en" else ""


def odconf_shown_text(value: Any, language: Optional[str] = None) -> dict[str, Any]:
    """The text of a translated value to show on a page in ``language`` (the
    page's by default), with ``lang``, the language it is written in (a plain
    string is taken as the site's default language), and ``translated``:
    False when the text had to be shown in another language than the page's.
    """
    language = language or current_language() or default_language()
    text, written_in = pick_with_language(value, language)
    written_in = written_in or default_language()
    return {"text": text, "lang": written_in, "translated": not text or written_in == language}


def _truncated(text: str, length: int) -> str:
    """``text`` cut to at most ``length`` characters, at a space when one is near
    the end (Khmer, written without spaces between words, is cut anywhere)."""
    if len(text) <= length:
        return text
    cut = text[:max(length - 1, 1)]
    space = cut.rfind(" ")
    return (cut[:space] if space > length // 2 else cut).rstrip() + "…"


def odconf_translated_html(
    value: Any, markdown: bool = False, truncate: Optional[int] = None,
    language: Optional[str] = None,
) -> Markup:
    """A translated value as HTML for a page in ``language`` (the page's by default).

    Text in the page's language is shown as it is. Otherwise the text of another
    language is shown inside an element carrying its ``lang`` (screen readers switch
    voice, and the Khmer measurement leaves it out), followed by a visible "not yet
    translated" mark in the page's language.

    :param markdown: render the text as Markdown (block content, in a ``div``)
    :param truncate: cut the text to at most so many characters (plain text only)
    """
    shown = odconf_shown_text(value, language)
    text = shown["text"]
    if not text:
        return Markup("")
    if truncate and not markdown:
        text = _truncated(text, truncate)
    content = tk.h.render_markdown(text) if markdown else text
    if shown["translated"]:
        return Markup('<div class="odconf-text">{}</div>').format(content) if markdown else escape(content)
    element = "div" if markdown else "span"
    return Markup('<{0} class="odconf-text" lang="{1}">{2}</{0}> {3}').format(
        Markup(element), shown["lang"], content, odconf_untranslated_mark())


def odconf_untranslated_mark() -> Markup:
    """The visible mark next to a text shown in another language than the page's."""
    return Markup('<small class="odconf-untranslated badge bg-light text-dark">{}</small>').format(
        tk._("not yet translated"))


def odconf_conference(name: str) -> Optional[conferences.Conference]:
    """The active conference edition with that name (or id), if any."""
    return conferences.get_conference(name)


def odconf_translation_status(conference: Any, language: Optional[str] = None) -> Optional[dict[str, str]]:
    """Whether the organisers have reviewed the programme's translation into the
    page's language: ``status`` (``awaiting-review``, ``reviewed``) and its
    ``label`` in the page's language; None in the default language or when the
    conference says nothing.

    :param conference: a conference group dict, a ``Conference`` or an edition's name
    """
    language = language or current_language() or default_language()
    if language == default_language():
        return None
    if isinstance(conference, str):
        conference = conferences.get_conference(conference)
    if isinstance(conference, Mapping):
        conference = conferences.Conference.from_dict(dict(conference, name=conference.get("name", "")))
    status = getattr(conference, "translation_status", {}).get(language)
    if not status:
        return None
    field = scheming_field_by_name(
        scheming_get_schema("group", conferences.CONFERENCE_TYPE)["fields"], "translation_status")
    language_field = scheming_field_by_name(field["structure"]["fields"], language) or {}
    labels = {choice["value"]: choice["label"] for choice in language_field.get("choices", [])}
    return {"status": status, "label": pick(labels.get(status) or status, language)}


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


def odconf_dataset_type_label(dataset_type: str) -> str:
    """The kind of a catalogue entry (its dataset type) in the page's language."""
    labels = {
        "dataset": tk._("Dataset"),
        "reference": tk._("Reference"),
        "hackathon-project": tk._("Hackathon project"),
    }
    return labels.get(dataset_type, dataset_type)


@tk.chained_helper
def humanize_entity_type(
    next_helper: Callable[..., Optional[str]], entity_type: str, object_type: str, purpose: str,
) -> Optional[str]:
    """CKAN's words for a dataset or group type ("Add {object_type}",
    "{object_type}s"...), with this catalogue's own types named in the page's
    language (CKAN would show their machine names, in English, on Khmer pages)."""
    if object_type == conferences.CONFERENCE_TYPE:
        return next_helper(entity_type, tk._("Conference"), purpose)
    if object_type in (conferences.REFERENCE_TYPE, "hackathon-project"):
        return next_helper(entity_type, odconf_dataset_type_label(object_type), purpose)
    return next_helper(entity_type, object_type, purpose)


#: Longest description whose extract is remembered (longer ones are extracted
#: each time, so the memory the memo holds stays bounded).
_MEMO_TEXT_LIMIT = 20_000


@functools.lru_cache(maxsize=4096)
def _memo_extract(next_helper: Callable[..., Any], text: str, extract_length: int) -> Any:
    return next_helper(text, extract_length=extract_length)


@tk.chained_helper
def markdown_extract(next_helper: Callable[..., Any], text: str, extract_length: int = 190) -> Any:
    """CKAN's plain-text extract of a Markdown description, remembered per process.

    It is a pure function of its arguments, and the costliest part of a result
    card (Markdown, then bleach, twice a card since CKAN's card and this
    extension's each ask): a page of 20 results spent a third of its time there.
    """
    if not isinstance(text, str) or len(text) > _MEMO_TEXT_LIMIT:
        return next_helper(text, extract_length=extract_length)
    return _memo_extract(next_helper, text, extract_length)


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
    return link_helpers.get_helpers() | entry_helpers.get_helpers() | portal_helpers.get_helpers() | {
        fn.__name__: fn
        for fn in (
            odconf_translated,
            odconf_translation,
            odconf_shown_text,
            odconf_translated_html,
            odconf_untranslated_mark,
            odconf_translation_status,
            odconf_conference,
            odconf_yaml,
            odconf_license_choices,
            odconf_conference_choices,
            odconf_theme_choices,
            odconf_topic_choices,
            odconf_session_choices,
            odconf_form_languages,
            odconf_language_name,
            odconf_dataset_type_label,
            odconf_referencing_datasets,
            humanize_entity_type,
            markdown_extract,
        )
    }

"""Which translations a conference still lacks: its programme and its entries.

Translated values are ``{"en": ..., "km": ...}`` mappings; the schemas say which
fields hold them (the ``odconf_translated_*`` presets, and ``translated_text``
in the structure of the programme's nested fields) and in which languages a
form asks for them (``form_languages``). Text is written in the site's default
language first; every other form language is a translation.

The translation queue (action ``odconf_translation_queue``, page
``/conference/<edition>/translations``) lists for the editors of a
conference's organisers the texts of its programme and the entries (datasets,
reference entries, hackathon projects) that have no text yet in a language, and
the share translated. Entries are found with ``package_search`` as the caller,
so private and draft entries appear only for who may read them, and through
the index field :data:`MISSING_FIELD`, so the queue reads only the entries it
lists, however large the catalogue.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict
from ckanext.scheming.helpers import (
    scheming_get_dataset_schema,
    scheming_get_group_schema,
    scheming_language_text,
)

from ckanext.odconf.logic import schema
from ckanext.odconf.logic.action import conference_group, quote_term
from ckanext.odconf.logic.conference import CONFERENCE_TYPE, REFERENCE_TYPE
from ckanext.odconf.logic.values import parse_json
from ckanext.odconf.logic.visibility import as_caller
from ckanext.odconf.translation import current_language, default_language, pick, pick_with_language

#: Index field (multi-valued, as CKAN's stock Solr schema has ``vocab_*``): the
#: languages in which an entry lacks the text of at least one translated field.
MISSING_FIELD = "vocab_odconf_missing_translations"
#: Presets of translated fields (``schemas/presets.yaml``).
TRANSLATED_PRESETS = ("odconf_translated_text", "odconf_translated_markdown")
Path = tuple[Any, ...]


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def form_languages(schema_dict: Mapping[str, Any]) -> list[str]:
    """The languages a schema's translated fields are written in (default first)."""
    languages = list(schema_dict.get("form_languages") or [default_language()])
    return sorted(languages, key=lambda code: code != default_language())


def target_languages(schema_dict: Mapping[str, Any]) -> list[str]:
    """The languages a schema's text is translated into (not the default one)."""
    return [code for code in form_languages(schema_dict) if code != default_language()]


def _translated(fields: Any) -> list[Mapping[str, Any]]:
    return [field for field in fields or [] if field.get("preset") in TRANSLATED_PRESETS]


def entry_texts(entry: Mapping[str, Any], schema_dict: Mapping[str, Any]) -> Iterator[
        tuple[str, str, Mapping[str, str]]]:
    """The translated values of an entry that have text, its own and its
    resources' (the schema's fields with a translated preset): each as
    ``(field, label, value)``, e.g. ``("notes_translated", "Description", {...})``
    or ``("resources.0.name_translated", 'Resource "Agenda": Name', {...})``."""
    for field in _translated(schema_dict.get("dataset_fields")):
        value = parse_json(entry.get(field["field_name"]))
        if isinstance(value, Mapping) and any(map(_has_text, value.values())):
            yield field["field_name"], _label(field), value
    resource_fields = _translated(schema_dict.get("resource_fields"))
    for index, resource in enumerate(entry.get("resources") or []):
        if not isinstance(resource, Mapping):
            continue
        name = pick(parse_json(resource.get("name_translated")) or resource.get("name") or "",
                    current_language()) or str(index + 1)
        for field in resource_fields:
            value = parse_json(resource.get(field["field_name"]))
            if isinstance(value, Mapping) and any(map(_has_text, value.values())):
                yield (f"resources.{index}.{field['field_name']}",
                       tk._('Resource "{name}": {field}').format(name=name, field=_label(field)), value)


def missing_languages(entry: Mapping[str, Any], schema_dict: Mapping[str, Any]) -> list[str]:
    """The languages in which ``entry`` lacks the text of a translated field
    that has text in another language (an empty field lacks nothing)."""
    missing: list[str] = []
    for _field, _label_text, value in entry_texts(entry, schema_dict):
        missing += [code for code in target_languages(schema_dict)
                    if not _has_text(value.get(code)) and code not in missing]
    return missing


def index_missing_languages(pkg_dict: dict[str, Any], validated: Mapping[str, Any]) -> None:
    """Add :data:`MISSING_FIELD` to an entry's search document (``before_dataset_index``)."""
    schema_dict = scheming_get_dataset_schema(pkg_dict.get("type") or validated.get("type"))
    missing = missing_languages(validated, schema_dict) if schema_dict else []
    if missing:
        pkg_dict[MISSING_FIELD] = missing


# The programme's texts ------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeText:
    """One translated value of a conference's programme and where it stands."""

    #: field names and record keys from the group down to the value, e.g.
    #: ``("agenda", "session-1", "description")``
    path: Path
    #: the labels of the path, e.g. ``Agenda``, ``Session 1: ...``,
    #: ``Description``: each ``{"text": ..., "lang": ...}``, in the page's
    #: language where it has one (a record's title may not)
    labels: list[dict[str, str]]
    value: Mapping[str, str]


def _label(spec: Mapping[str, Any]) -> str:
    return scheming_language_text(spec.get("label") or spec.get("field_name", ""),
                                  current_language() or default_language())


def _field_label(spec: Mapping[str, Any]) -> dict[str, str]:
    return {"text": _label(spec), "lang": current_language() or default_language()}


def _record_label(record: Mapping[str, Any], key: str, spec: Mapping[str, Any]) -> dict[str, str]:
    """How a record of a list reads: its title, else its key (``Day 1``)."""
    title = record.get("title")
    if isinstance(title, Mapping) and any(map(_has_text, title.values())):
        text, language = pick_with_language(title, current_language())
        return {"text": text, "lang": language or default_language()}
    return {"text": f"{_label(spec)} {record.get(key)}", "lang": current_language() or default_language()}


def _texts(value: Any, spec: Mapping[str, Any], path: Path,
           labels: list[dict[str, str]]) -> Iterator[ProgrammeText]:
    """The translated values within a nested field's value, as its structure declares."""
    kind = spec.get("type")
    if kind == "translated_text":
        if isinstance(value, Mapping) and any(map(_has_text, value.values())):
            yield ProgrammeText(path, labels, value)
    elif kind == "object" and isinstance(value, Mapping):
        for field in spec.get("fields") or []:
            name = field["field_name"]
            yield from _texts(value.get(name), field, path + (name,), labels + [_field_label(field)])
    elif kind == "records" and isinstance(value, list):
        key = spec.get("key", "")
        key_spec: Mapping[str, Any] = next((field for field in spec.get("fields") or [] if field["field_name"] == key), {})
        for record in value:
            if not isinstance(record, Mapping):
                continue
            item_labels = labels + [_record_label(record, key, key_spec)]
            for field in spec.get("fields") or []:
                name = field["field_name"]
                yield from _texts(record.get(name), field, path + (record.get(key), name),
                                  item_labels + [_field_label(field)])


def programme_texts(group: Mapping[str, Any], group_schema: Mapping[str, Any]) -> list[ProgrammeText]:
    """Every translated value of a conference group that has text, in form order."""
    texts: list[ProgrammeText] = []
    for field in group_schema.get("fields") or []:
        name = field["field_name"]
        value = parse_json(group.get(name))
        if field.get("preset") in TRANSLATED_PRESETS:
            texts += _texts(value, {"type": "translated_text"}, (name,), [_field_label(field)])
        elif field.get("structure"):
            texts += _texts(value, field["structure"], (name,), [_field_label(field)])
    return texts


# The action -----------------------------------------------------------------


def _share(translated: int, total: int) -> dict[str, Any]:
    return {"total": total, "translated": translated,
            "share": round(translated / total, 4) if total else 1.0}


def _entries_filter(group: Mapping[str, Any]) -> str:
    """The entries of a conference: those that name it, and the reference
    entries it cites."""
    fq = "conference:" + quote_term(group["name"])
    references = [name for name in parse_json(group.get("references")) or [] if isinstance(name, str)]
    if references:
        fq = (f"({fq}) OR (dataset_type:{REFERENCE_TYPE} AND name:("
              + " OR ".join(map(quote_term, references)) + "))")
    return fq


def _entry(entry: Mapping[str, Any], language: str) -> dict[str, Any]:
    schema_dict = scheming_get_dataset_schema(entry.get("type")) or {}
    title = parse_json(entry.get("title_translated")) or entry.get("title") or entry["name"]
    return {"name": entry["name"], "type": entry.get("type"), "title": title,
            "private": bool(entry.get("private")), "state": entry.get("state"),
            "missing": [{"field": field, "label": label}
                        for field, label, value in entry_texts(entry, schema_dict)
                        if not _has_text(value.get(language))]}


def odconf_translation_queue(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What a conference still lacks in a language, for its organisers' editors.

    :param id: the conference edition's name or id
    :type id: string
    :param language: the language of the translations (optional; default: the
        first language the conference schema translates into, ``km``)
    :type language: string
    :param rows: how many untranslated entries to list (optional, default 20,
        at most the site's ``ckan.search.rows_max``, 1000 unless configured)
    :type rows: int
    :param start: offset of the first entry listed (optional, default 0)
    :type start: int

    :raises ValidationError: if ``id`` is missing or not text, ``language`` is
        not a language the conference is translated into, or ``rows`` or
        ``start`` is not a whole number in range
    :raises ObjectNotFound: if the conference does not exist
    :raises NotAuthorized: unless the caller is a sysadmin or an editor or
        admin of one of the conference's organisers

    :returns: ``conference`` (``name``, ``title``), ``language``,
        ``source_language`` (the default language, texts are written in);
        ``programme``: ``total`` texts of the programme, ``translated`` of them
        and their ``share`` (0 to 1) and ``missing``, the untranslated texts in
        form order, each with ``path`` (field names and record keys, e.g.
        ``["agenda", "session-1", "description"]``), ``labels`` (the same as
        read: ``text`` and its ``lang``) and ``text`` (in the source language);
        ``entries``: ``total`` entries of the conference the caller may read
        (those naming it and the reference entries it cites), ``translated``
        (with every translated field in ``language``), ``share``, and
        ``missing``, a page of the others by title, each with ``name``,
        ``type``, ``title`` (its translations), ``private``, ``state`` and
        ``missing`` (``field`` and ``label`` of each untranslated field, a
        resource's as ``resources.<index>.<field>``);
        ``share``: texts of the programme and entries together, translated
    :rtype: dictionary
    """
    group_schema = scheming_get_group_schema(CONFERENCE_TYPE) or {}
    languages = target_languages(group_schema)
    data_dict = schema.validate(data_dict, schema.translation_queue_schema(languages), context)
    group = conference_group(context, data_dict["id"])
    tk.check_access("odconf_translation_queue", context, {"id": group["id"]})
    language = data_dict.get("language") or languages[0]

    texts = programme_texts(group, group_schema)
    missing_texts = [text for text in texts if not _has_text(text.value.get(language))]

    fq = _entries_filter(group)
    search = tk.get_action("package_search")
    common = {"include_private": True, "include_drafts": True}
    total = search(as_caller(context), {"fq": fq, "rows": 0, **common})["count"]
    untranslated = search(as_caller(context), {
        "fq": f"({fq}) AND {MISSING_FIELD}:{language}", "rows": data_dict["rows"],
        "start": data_dict["start"], "sort": "title_string asc", **common})
    programme = _share(len(texts) - len(missing_texts), len(texts))
    entries = _share(total - untranslated["count"], total)
    return {
        "conference": {"name": group["name"],
                       "title": parse_json(group.get("title_translated")) or group.get("title")},
        "language": language,
        "source_language": default_language(),
        "programme": dict(programme, missing=[
            {"path": list(text.path), "labels": text.labels,
             "text": pick(text.value, default_language())}
            for text in missing_texts]),
        "entries": dict(entries, missing=[_entry(entry, language) for entry in untranslated["results"]]),
        "share": _share(programme["translated"] + entries["translated"],
                        programme["total"] + entries["total"])["share"],
    }


def odconf_translation_queue_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors and admins of one of the conference's organisers (sysadmins always pass)."""
    refused: AuthResult = {"success": False, "msg": tk._(
        "Only editors of the conference's organisers can see its translation queue")}
    user = context.get("user")
    if not user:
        return refused
    try:
        group = tk.get_action("group_show")(
            {"ignore_auth": True}, {"id": data_dict.get("id"), "include_datasets": False,
                                    "include_users": False, "include_groups": False,
                                    "include_followers": False})
    except tk.ObjectNotFound:
        return refused
    organisers = set(parse_json(group.get("organisers")) or [])
    editable = tk.get_action("organization_list_for_user")(
        {"ignore_auth": True}, {"id": user, "permission": "create_dataset"})
    if organisers & {organisation["name"] for organisation in editable}:
        return {"success": True}
    return refused


def get_actions() -> dict[str, Callable[..., Any]]:
    """The translation queue's action (IActions)."""
    return {"odconf_translation_queue": odconf_translation_queue}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    """Its auth function (IAuthFunctions)."""
    return {"odconf_translation_queue": odconf_translation_queue_auth}

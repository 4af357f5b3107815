"""How a programme file maps to the catalogue and back.

From the file to CKAN: the organisations, ``reference`` entries and
``conference`` group a checked programme describes (``ckan odconf load``).
From CKAN to the file: a programme's content from those entities
(``ckan odconf export``). One table of names serves both directions.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ckanext.odconf.logic.conference import CONFERENCE_TYPE, REFERENCE_TYPE
from ckanext.odconf.logic.values import is_empty
from ckanext.odconf.programme.spec import CONFERENCE_FIELDS

#: File field -> group field, where the names differ.
CONFERENCE_NAMES = {
    "edition": "name",
    "title": "title_translated",
    "description": "description_translated",
}
#: File field -> reference entry field, where the names differ.
REFERENCE_NAMES = {
    "title": "title_translated",
    "description": "notes_translated",
    "publisher": "owner_org",
}
#: Fields of a ``references`` entry of a programme file (see REFERENCE_NAMES).
REFERENCE_FILE_FIELDS = (
    "name", "title", "description", "document_kind", "publisher", "contributors",
    "publication_date", "language", "url",
)
REFERENCE_LISTS = ("contributors", "language")
ORGANISATION_FIELDS = ("name", "title", "description")



# From the file to CKAN ---------------------------------------------------


def _renamed(entry: Mapping[str, Any], names: Mapping[str, str], fields: Iterable[str]) -> dict[str, Any]:
    return {names.get(name, name): entry.get(name) for name in fields}


def organisation_dict(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The organisation an ``organisations`` entry describes."""
    return dict({name: entry.get(name) for name in ORGANISATION_FIELDS}, type="organization")


def reference_dict(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The ``reference`` entry a ``references`` entry describes.

    Fields the file leaves out are sent empty, so that an update removes them;
    except ``private``: without it an entry is created public and an update
    keeps its visibility, so that no file makes a private entry public unless
    it says ``private: false``.
    """
    reference = _renamed(entry, REFERENCE_NAMES, REFERENCE_FILE_FIELDS)
    for name in REFERENCE_LISTS:
        reference[name] = reference[name] or []
    if entry.get("private") is not None:
        reference["private"] = entry["private"]
    return dict(reference, type=REFERENCE_TYPE)


def conference_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``conference`` group a programme describes."""
    group = _renamed(data, CONFERENCE_NAMES, CONFERENCE_FIELDS)
    group["references"] = [entry["name"] for entry in data.get("references") or []]
    group["type"] = CONFERENCE_TYPE
    return group


def file_path(kind: str, index: int, ckan_field: str) -> tuple[Any, ...]:
    """Where a CKAN field of an entity stands in the file (for error messages)."""
    if kind == "conference":
        names = {value: key for key, value in CONFERENCE_NAMES.items()}
        return (names.get(ckan_field, ckan_field),)
    if kind == "reference":
        names = {value: key for key, value in REFERENCE_NAMES.items()}
        return ("references", index, names.get(ckan_field, ckan_field))
    return ("organisations", index, ckan_field)


# From CKAN to the file ----------------------------------------------------


def _present(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in entry.items() if not is_empty(value)}


def programme_from_catalogue(
    group: Mapping[str, Any],
    organisations: Sequence[Mapping[str, Any]],
    references: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """A programme file's content from the catalogue (``ckan odconf export``).

    :param group: the conference as ``group_show`` returns it
    :param organisations: the organisations it names, as ``organization_show``
        returns them
    :param references: its reference entries, as ``package_show`` returns them;
        sessions name only these
    """
    data = {name: group.get(CONFERENCE_NAMES.get(name, name)) for name in CONFERENCE_FIELDS}
    exported = {reference["name"] for reference in references}
    data["agenda"] = [
        _present(dict(session, references=[
            name for name in session.get("references") or [] if name in exported]))
        for session in data.get("agenda") or []
    ]
    data["organisations"] = [
        _present({name: organisation.get(name) for name in ORGANISATION_FIELDS})
        for organisation in organisations
    ]
    data["references"] = [
        _present(dict(
            {name: reference.get(REFERENCE_NAMES.get(name, name)) for name in REFERENCE_FILE_FIELDS},
            publisher=(reference.get("organization") or {}).get("name"),
            # loaded back, a private entry stays private
            private=True if reference.get("private") else None,
        ))
        for reference in references
    ]
    return _present(data)


def named_organisations(data: Mapping[str, Any]) -> list[str]:
    """Every organisation a programme names, in order of first mention."""
    names: list[str] = list(data.get("organisers") or [])
    for funder in data.get("funders") or []:
        names += [funder.get("organisation"), funder.get("through")]
    for session in data.get("agenda") or []:
        names += session.get("organisations") or []
    for reference in data.get("references") or []:
        names += [reference.get("publisher")] + list(reference.get("contributors") or [])
    return [name for name in dict.fromkeys(names) if name]

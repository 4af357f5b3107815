"""Programme files: a conference edition declared in YAML.

A programme file (``programmes/nodc-2024.yaml``) holds the conference's
edition, dates, agenda, themes and hackathon, the organisations it names and
the publications it cites. This module reads such a file keeping the line of
every value, checks it against the structure the conference schema declares,
and converts between the file and the CKAN entities it describes
(organisations, ``reference`` entries, the ``conference`` group).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Mapping, Optional

import yaml
from ckanext.scheming.helpers import (
    scheming_field_by_name,
    scheming_get_dataset_schema,
    scheming_get_group_schema,
)

from ckanext.odconf import yamltext
from ckanext.odconf.logic import structure
from ckanext.odconf.logic.conference import CONFERENCE_TYPE, REFERENCE_TYPE

#: Conference fields whose structure the file shares with the group schema.
STRUCTURED_FIELDS = (
    "organisers", "funders", "contact", "days", "agenda", "themes", "hackathon",
)
#: Conference fields of a programme file (see CONFERENCE_NAMES for the group's).
CONFERENCE_FIELDS = (
    "edition", "title", "tagline", "description", "start_date", "end_date", "time_zone",
    "venue",
) + STRUCTURED_FIELDS

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
REFERENCE_FIELDS = (
    "name", "title", "description", "document_kind", "publisher", "contributors",
    "publication_date", "language", "url",
)
REFERENCE_LISTS = ("contributors", "language")
ORGANISATION_FIELDS = ("name", "title", "description")


@dataclass(frozen=True)
class ProgrammeProblem:
    """A problem in a programme file, where it is and in which field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ProgrammeError(Exception):
    """The programme cannot be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: list[ProgrammeProblem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class Programme:
    """A checked programme file: normalised values and where each one stands."""

    file: str
    data: dict[str, Any]
    root: Optional[yaml.Node] = field(default=None, repr=False)

    def line(self, path: Iterable[Any]) -> int:
        """The line of the deepest part of ``path`` found in the file."""
        return line_of(self.root, path)

    def problem(self, path: Iterable[Any], message: str) -> ProgrammeProblem:
        """A problem at ``path`` of this file."""
        path = tuple(path)
        return ProgrammeProblem(self.file, self.line(path), structure.format_path(path), message)

    @property
    def edition(self) -> str:
        """The edition's name (e.g. ``nodc-2024``)."""
        return self.data["edition"]


def line_of(root: Optional[yaml.Node], path: Iterable[Any]) -> int:
    """1-based line of the node at ``path`` (or of its nearest ancestor)."""
    if root is None:
        return 1
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((key, value) for key, value in node.value if key.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _duplicate_keys(node: Optional[yaml.Node], path: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], int, str]]:
    """Keys given twice in a mapping (YAML would silently keep the last one)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value
            if name in seen:
                yield path + (name,), key.start_mark.line + 1, (
                    f'"{name}" is given twice (first at line {seen[name]})'
                )
            else:
                seen[name] = key.start_mark.line + 1
            yield from _duplicate_keys(value, path + (name,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, path + (index,))


def parse(text: str, file: str) -> tuple[Any, Optional[yaml.Node]]:
    """The document and its node tree; a syntax error is a ProgrammeError."""
    loader = yamltext.Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = ": ".join(part for part in (error.context, error.problem) if part)
        raise ProgrammeError([ProgrammeProblem(file, line, "", f"YAML syntax error: {message}")])
    finally:
        loader.dispose()
    return data, root


def _languages() -> list[str]:
    return list(conference_schema().get("form_languages") or ["en"])


def conference_schema() -> dict[str, Any]:
    """The ``conference`` group schema as ckanext-scheming loaded it."""
    schema = scheming_get_group_schema(CONFERENCE_TYPE)
    if not schema:
        raise RuntimeError("the conference group schema is not loaded: enable scheming_groups")
    return schema


def _reference_field(name: str) -> dict[str, Any]:
    schema = scheming_get_dataset_schema(REFERENCE_TYPE)
    if not schema:
        raise RuntimeError("the reference dataset schema is not loaded: enable scheming_datasets")
    return scheming_field_by_name(schema["dataset_fields"], name)


def _choice_values(field_def: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"value": choice["value"]} for choice in field_def.get("choices", [])]


def programme_spec() -> dict[str, Any]:
    """The structure of a programme file.

    The conference's nested fields come from ``schemas/conference.yaml``, the
    choices of reference entries from ``schemas/reference.yaml``: a file is held
    to the same rules as the catalogue it describes.
    """
    conference_fields = {item["field_name"]: item for item in conference_schema()["fields"]}
    fields: list[dict[str, Any]] = [
        {"field_name": "edition", "type": "slug", "required": True},
        {"field_name": "title", "type": "translated_text", "required": True},
        {"field_name": "tagline", "type": "translated_text"},
        {"field_name": "description", "type": "translated_text"},
        {"field_name": "start_date", "type": "date", "required": True},
        {"field_name": "end_date", "type": "date", "required": True, "not_before": "start_date"},
        {"field_name": "time_zone", "type": "time_zone", "required": True},
        {"field_name": "venue", "type": "text", "required": True},
    ]
    fields += [
        dict(conference_fields[name]["structure"], field_name=name) for name in STRUCTURED_FIELDS
    ]
    fields.append({
        "field_name": "organisations",
        "type": "records",
        "key": "name",
        "fields": [
            {"field_name": "name", "type": "slug", "required": True},
            {"field_name": "title", "type": "text", "required": True},
            {"field_name": "description", "type": "text"},
        ],
    })
    fields.append({
        "field_name": "references",
        "type": "records",
        "key": "name",
        "fields": [
            {"field_name": "name", "type": "slug", "required": True},
            {"field_name": "title", "type": "translated_text", "required": True},
            {"field_name": "description", "type": "translated_text"},
            {"field_name": "document_kind", "type": "choice", "required": True,
             "choices": _choice_values(_reference_field("document_kind"))},
            {"field_name": "publisher", "type": "slug", "required": True,
             "refers_to": "organization"},
            {"field_name": "contributors", "type": "list", "of": {"type": "slug"},
             "refers_to": "organization"},
            {"field_name": "publication_date", "type": "partial_date"},
            {"field_name": "language", "type": "list",
             "of": {"type": "choice", "choices": _choice_values(_reference_field("language"))}},
            {"field_name": "url", "type": "url"},
            {"field_name": "private", "type": "boolean"},
        ],
    })
    return {"type": "object", "fields": fields}


def _names(records: Any, key: str) -> set[str]:
    if not isinstance(records, list):
        return set()
    return {item.get(key) for item in records if isinstance(item, dict) and item.get(key)}


def check_programme(
    data: Any,
    root: Optional[yaml.Node],
    file: str,
    existing: Mapping[str, Collection[str]],
) -> Programme:
    """Check a parsed programme; every problem found is in the ProgrammeError.

    :param existing: names already in the catalogue, by kind
        (``organization``, ``reference``), which the file may refer to
    """
    programme = Programme(file, {}, root)
    if not isinstance(data, dict):
        raise ProgrammeError([programme.problem((), "expected a mapping of programme fields")])
    organisations = _names(data.get("organisations"), "name")
    references = _names(data.get("references"), "name")

    def resolve(reference: str) -> Optional[Collection[Any]]:
        if reference == "organization":
            return organisations | set(existing.get("organization", ()))
        if reference == "reference":
            return references | set(existing.get(REFERENCE_TYPE, ()))
        if reference == "references":
            return references
        return structure.sibling_values(data, reference)

    normalised, problems = structure.check(data, programme_spec(), (), resolve, _languages())
    found = [programme.problem(problem.path, problem.message) for problem in problems]
    found += [
        ProgrammeProblem(file, line, structure.format_path(path), message)
        for path, line, message in _duplicate_keys(root)
    ]
    if found:
        raise ProgrammeError(sorted(found, key=lambda problem: problem.line))
    programme.data = normalised
    return programme


def read_programme(path: str, existing: Mapping[str, Collection[str]]) -> Programme:
    """Read and check a programme file (see :func:`check_programme`)."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as error:
        raise ProgrammeError([ProgrammeProblem(path, 1, "", f"cannot read the file: {error.strerror}")])
    data, root = parse(text, path)
    return check_programme(data, root, path, existing)


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
    reference = _renamed(entry, REFERENCE_NAMES, REFERENCE_FIELDS)
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
    return {name: value for name, value in entry.items() if not structure.is_empty(value)}


def programme_from_catalogue(
    group: Mapping[str, Any],
    organisations: list[Mapping[str, Any]],
    references: list[Mapping[str, Any]],
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
            {name: reference.get(REFERENCE_NAMES.get(name, name)) for name in REFERENCE_FIELDS},
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

"""Programme files: a conference edition declared in YAML.

A programme file (``programmes/nodc-2024.yaml``) holds the conference's
edition, dates, agenda, themes and hackathon, the organisations it names and
the publications it cites. This module reads such a file keeping the line of
every value and checks it against the structure the conference schema
declares; :mod:`mapping` converts it to the CKAN entities it describes.
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

from ckanext.odconf.hackathon.criteria import judging_problems
from ckanext.odconf.logic import nested_fields, values
from ckanext.odconf.logic.conference import CONFERENCE_TYPE, REFERENCE_TYPE
from ckanext.odconf.programme import format as yaml_format

#: Conference fields whose structure the file shares with the group schema.
STRUCTURED_FIELDS = (
    "organisers", "funders", "contact", "days", "agenda", "themes", "hackathon",
    "translation_status",
)
#: Conference fields of a programme file (see CONFERENCE_NAMES for the group's).
CONFERENCE_FIELDS = (
    "edition", "title", "tagline", "description", "start_date", "end_date", "time_zone",
    "venue",
) + STRUCTURED_FIELDS

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
        return yaml_format.line_of(self.root, path)

    def problem(self, path: Iterable[Any], message: str) -> ProgrammeProblem:
        """A problem at ``path`` of this file."""
        path = tuple(path)
        return ProgrammeProblem(self.file, self.line(path), values.format_path(path), message)

    @property
    def edition(self) -> str:
        """The edition's name (e.g. ``nodc-2024``)."""
        return self.data["edition"]


def parse(text: str, file: str) -> tuple[Any, Optional[yaml.Node]]:
    """The document and its node tree; a syntax error is a ProgrammeError."""
    loader = yaml_format.Loader(text)
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
    return {item[key] for item in records if isinstance(item, dict) and item.get(key)}


def _judging_problems(
    normalised: Any, problems: list[nested_fields.Problem]
) -> list[tuple[tuple[Any, ...], str]]:
    """The hackathon judging's rules beyond its structure (``hackathon/criteria.py``),
    checked once the structure holds."""
    path = ("hackathon", "judging")
    hackathon = normalised.get("hackathon") if isinstance(normalised, dict) else None
    if not isinstance(hackathon, dict) or "judging" not in hackathon \
            or any(problem.path[:2] == path for problem in problems):
        return []
    return judging_problems(hackathon["judging"], path)


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
        return nested_fields.sibling_values(data, reference)

    normalised, problems = nested_fields.check(data, programme_spec(), (), resolve, _languages())
    found = [programme.problem(problem.path, problem.message) for problem in problems]
    found += [programme.problem(path, message) for path, message in
              _judging_problems(normalised, problems)]
    found += [
        ProgrammeProblem(file, line, values.format_path(path), message)
        for path, line, message in yaml_format.duplicate_keys(root)
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

"""Write a checked programme into the catalogue, all of it or nothing.

The work goes in stages: organisations, reference entries, the conference
group, then (on request) example datasets. Every entry of a stage is
validated with the schema of the action that will write it before any of them
is written, so all the problems of a stage are reported together. Everything
is written in one database transaction, committed only at the end: a failure
at any point leaves the catalogue as it was. A second run with the same file
finds nothing to change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

import ckan.lib.plugins as lib_plugins
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.odconf.logic.values import is_empty
from ckanext.odconf.programme import examples, mapping
from ckanext.odconf.programme.spec import Programme, ProgrammeError, ProgrammeProblem

ORGANIZATION, REFERENCE, CONFERENCE, EXAMPLE = "organization", "reference", "conference", "example"
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
#: The CKAN entity of each kind: its actions are ``<entity>_show``, ``_create``, ``_patch``.
ENTITY = {ORGANIZATION: "organization", CONFERENCE: "group", REFERENCE: "package", EXAMPLE: "package"}


class LoadFailed(Exception):
    """A write failed after validation; nothing was written."""


@dataclass
class Change:
    """One entity of the catalogue as the programme wants it."""

    kind: str
    desired: dict[str, Any]
    #: where the entity stands in the file, for error messages
    path: tuple[Any, ...]
    current: Optional[dict[str, Any]] = None

    @property
    def name(self) -> str:
        """The entity's name (URL name)."""
        return self.desired["name"]

    @property
    def operation(self) -> str:
        """``create``, ``update`` or ``unchanged``, against what existed when planned."""
        if self.current is None:
            return CREATE
        return UPDATE if _differs(self.current, self.desired) else UNCHANGED


@dataclass
class Report:
    """What a load did (or, in a dry run, would do)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False

    def add(self, change: Change) -> None:
        label = f"{change.kind} {change.name}"
        if change.operation == CREATE:
            self.created.append(label)
        elif change.operation == UPDATE:
            self.updated.append(label)
        else:
            self.unchanged += 1

    def summary(self) -> str:
        counts = f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged"
        return f"Dry run, nothing written: {counts} (would be)" if self.dry_run else counts


def _comparable(key: str, value: Any, entity: Mapping[str, Any]) -> Any:
    if key == "owner_org" and entity.get("organization"):
        return entity["organization"]["name"]
    if key == "tags" and isinstance(value, list):
        return sorted(tag["name"] if isinstance(tag, dict) else tag for tag in value) or None
    return None if is_empty(value) else value


def _differs(current: Mapping[str, Any], desired: Mapping[str, Any]) -> bool:
    return any(
        _comparable(key, current.get(key), current) != _comparable(key, value, {})
        for key, value in desired.items()
    )


def _site_context(**extra: Any) -> Context:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context: Context = {"model": model, "session": model.Session, "user": site_user["name"],
                        "ignore_auth": True}
    context.update(extra)
    return context


def _show(kind: str, name: str) -> Optional[dict[str, Any]]:
    data: dict[str, Any] = {"id": name}
    if ENTITY[kind] != "package":
        data.update(include_datasets=False, include_users=False, include_followers=False)
    try:
        return tk.get_action(ENTITY[kind] + "_show")(_site_context(), data)
    except tk.ObjectNotFound:
        return None


def plan(programme: Programme, with_examples: bool = False) -> list[list[Change]]:
    """The changes a programme asks for, in stages, with what exists now."""
    data = programme.data
    stages = [
        [Change(ORGANIZATION, dict(mapping.organisation_dict(entry), state="active"),
                ("organisations", index))
         for index, entry in enumerate(data.get("organisations") or [])],
        [Change(REFERENCE, dict(mapping.reference_dict(entry), state="active"),
                ("references", index))
         for index, entry in enumerate(data.get("references") or [])],
        [Change(CONFERENCE, dict(mapping.conference_dict(data), state="active"), ())],
    ]
    if with_examples:
        stages.append([
            Change(EXAMPLE, dict(entry, state="active"), ("themes",) if entry.get("theme") else ("hackathon",))
            for entry in examples.example_datasets(data)
        ])
    for stage in stages:
        for change in stage:
            change.current = _show(change.kind, change.name)
    return stages


def validation_errors(change: Change) -> dict[str, Any]:
    """Errors the writing action would raise for this change (nothing written)."""
    context = _site_context()
    data = dict(change.current or {}, **change.desired)
    operation = "update" if change.current else "create"
    if change.current and change.current.get("type") != change.desired.get("type", change.current.get("type")):
        return {"name": [f'"{change.name}" is already used by an entry of type '
                         f'"{change.current.get("type")}"']}
    entity = ENTITY[change.kind]
    if entity == "package":
        plugin = lib_plugins.lookup_package_plugin(data["type"])
        if change.current:
            context["package"] = model.Package.get(change.current["id"])
        schema = plugin.update_package_schema() if change.current else plugin.create_package_schema()
    else:
        # the schema CKAN's group and organization actions choose
        plugin = lib_plugins.lookup_group_plugin(data["type"])
        if change.current:
            context["group"] = model.Group.get(change.current["id"])
        schema = plugin.update_group_schema() if change.current else plugin.create_group_schema()
    _data, errors = lib_plugins.plugin_validate(
        plugin, context, data, schema, f"{entity}_{operation}")
    return errors


def _problems(programme: Programme, change: Change, errors: Mapping[str, Any]) -> list[ProgrammeProblem]:
    problems = []
    for ckan_field, messages in errors.items():
        message = "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
        if change.kind == EXAMPLE:
            path = change.path
            message = f"example {change.name}: {ckan_field}: {message}"
        else:
            index = change.path[1] if len(change.path) > 1 else 0
            path = mapping.file_path(change.kind, index, ckan_field)
        problems.append(programme.problem(path, message))
    return problems


def _write(change: Change) -> None:
    context = _site_context(defer_commit=True, allow_partial_update=True)
    data = dict(change.desired)
    if change.current is not None:
        data["id"] = change.current["id"]
    tk.get_action(ENTITY[change.kind] + ("_create" if change.current is None else "_patch"))(
        context, data)


def apply(
    programme: Programme,
    stages: list[list[Change]],
    dry_run: bool = False,
    progress: Callable[[Change], None] = lambda change: None,
) -> Report:
    """Validate and write the changes, stage by stage, in one transaction.

    :raises ProgrammeError: when an entry fails its action's validation
        (every problem of that stage, with its file line); nothing is written
    :raises LoadFailed: when a write fails; nothing is written
    """
    report = Report(dry_run=dry_run)
    _site_context()  # creating the site user commits: do it before the transaction
    try:
        for stage in stages:
            problems = [
                problem
                for change in stage if change.operation != UNCHANGED
                for problem in _problems(programme, change, validation_errors(change))
            ]
            if problems:
                raise ProgrammeError(problems)
            for change in stage:
                if change.operation != UNCHANGED:
                    try:
                        _write(change)
                    except (tk.ValidationError, tk.ObjectNotFound) as error:
                        raise LoadFailed(
                            f"Could not {change.operation} {change.kind} {change.name}: "
                            f"{getattr(error, 'error_dict', None) or error}. Nothing was written."
                        ) from error
                    model.Session.flush()
                report.add(change)
                progress(change)
        if dry_run:
            model.Session.rollback()
        else:
            try:
                model.repo.commit()
            except Exception as error:  # e.g. the search index refused an entry
                raise LoadFailed(f"Could not commit the load: {error}. Nothing was written.") from error
    except BaseException:
        model.Session.rollback()
        raise
    return report

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

from ckanext.odconf import examples, programme as programmes
from ckanext.odconf.logic import structure
from ckanext.odconf.programme import Programme, ProgrammeError

ORGANIZATION, REFERENCE, CONFERENCE, EXAMPLE = "organization", "reference", "conference", "example"
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


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
    return None if structure.is_empty(value) else value


def _differs(current: Mapping[str, Any], desired: Mapping[str, Any]) -> bool:
    return any(
        _comparable(key, current.get(key), current) != _comparable(key, value, {})
        for key, value in desired.items()
    )


def _site_context(**extra: Any) -> Context:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context: Context = {"model": model, "session": model.Session, "user": site_user["name"],
                        "ignore_auth": True}
    context.update(extra)  # type: ignore[typeddict-item]
    return context


def _show(kind: str, name: str) -> Optional[dict[str, Any]]:
    action = "organization_show" if kind == ORGANIZATION else (
        "group_show" if kind == CONFERENCE else "package_show")
    data = {"id": name}
    if kind in (ORGANIZATION, CONFERENCE):
        data.update(include_datasets=False, include_users=False, include_followers=False)
    try:
        return tk.get_action(action)(_site_context(), data)
    except tk.ObjectNotFound:
        return None


def plan(programme: Programme, with_examples: bool = False) -> list[list[Change]]:
    """The changes a programme asks for, in stages, with what exists now."""
    data = programme.data
    stages = [
        [Change(ORGANIZATION, dict(programmes.organisation_dict(entry), state="active"),
                ("organisations", index))
         for index, entry in enumerate(data.get("organisations") or [])],
        [Change(REFERENCE, dict(programmes.reference_dict(entry), state="active"),
                ("references", index))
         for index, entry in enumerate(data.get("references") or [])],
        [Change(CONFERENCE, dict(programmes.conference_dict(data), state="active"), ())],
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


def _group_schema(plugin: Any, operation: str, context: Context) -> dict[str, Any]:
    # as CKAN's group actions choose it
    try:
        return plugin.form_to_db_schema_options(
            {"type": operation, "api": True, "context": context})
    except AttributeError:
        return plugin.form_to_db_schema()


def validation_errors(change: Change) -> dict[str, Any]:
    """Errors the writing action would raise for this change (nothing written)."""
    context = _site_context()
    data = dict(change.current or {}, **change.desired)
    operation = "update" if change.current else "create"
    if change.current and change.current.get("type") != change.desired.get("type", change.current.get("type")):
        return {"name": [f'"{change.name}" is already used by an entry of type '
                         f'"{change.current.get("type")}"']}
    if change.kind in (ORGANIZATION, CONFERENCE):
        is_organization = change.kind == ORGANIZATION
        plugin = lib_plugins.lookup_group_plugin("organization" if is_organization else CONFERENCE)
        if change.current:
            context["group"] = model.Group.get(change.current["id"])  # type: ignore[typeddict-item]
        schema = _group_schema(plugin, operation, context)
        action = ("organization_" if is_organization else "group_") + operation
    else:
        plugin = lib_plugins.lookup_package_plugin(data["type"])
        if change.current:
            context["package"] = model.Package.get(change.current["id"])  # type: ignore[typeddict-item]
            schema = plugin.update_package_schema()
        else:
            schema = plugin.create_package_schema()
        action = "package_" + operation
    _data, errors = lib_plugins.plugin_validate(plugin, context, data, schema, action)
    return errors


def _problems(programme: Programme, change: Change, errors: Mapping[str, Any]) -> list[programmes.ProgrammeProblem]:
    problems = []
    for ckan_field, messages in errors.items():
        message = "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
        if change.kind == EXAMPLE:
            path = change.path
            message = f"example {change.name}: {ckan_field}: {message}"
        else:
            index = change.path[1] if len(change.path) > 1 else 0
            path = programmes.file_path(change.kind, index, ckan_field)
        problems.append(programme.problem(path, message))
    return problems


def _write(change: Change) -> None:
    context = _site_context(defer_commit=True, allow_partial_update=True)
    if change.kind == ORGANIZATION:
        action = "organization_create" if change.current is None else "organization_patch"
    elif change.kind == CONFERENCE:
        action = "group_create" if change.current is None else "group_patch"
    else:
        action = "package_create" if change.current is None else "package_patch"
    data = dict(change.desired)
    if change.current is not None:
        data["id"] = change.current["id"]
    tk.get_action(action)(context, data)


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

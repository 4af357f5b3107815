"""Auth functions: the catalogue's actions are as open as what they show.

Each action of ``action.py`` has the auth function of the same name here.

Each delegates to the core auth function of what it reads, so a site that
restricts group or dataset reading restricts these actions the same way.
"""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.odconf.logic.conference import CONFERENCE_TYPE


def _as(core_action: str, context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized(core_action, context, data_dict)


@tk.auth_allow_anonymous_access
def odconf_conference_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may list groups may list the conferences."""
    return _as("group_list", context, data_dict)


def _edition(name_or_id: Any) -> DataDict:
    """The group data of an active conference edition.

    :raises ObjectNotFound: for any other name, so that a deleted edition is
        as unknown as one never created (not refused with its id)
    """
    group = model.Group.get(name_or_id) if isinstance(name_or_id, str) and name_or_id else None
    if group is None or group.type != CONFERENCE_TYPE or group.state != "active":
        raise tk.ObjectNotFound(tk._("Conference not found"))
    return {"id": group.id}


@tk.auth_allow_anonymous_access
def odconf_conference_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the conference group may see the conference."""
    return _as("group_show", context, _edition(data_dict.get("id")))


@tk.auth_allow_anonymous_access
def odconf_theme_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the conference group may see its themes."""
    return _as("group_show", context, _edition(data_dict.get("conference")))


@tk.auth_allow_anonymous_access
def odconf_referencing_datasets(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the reference entry may see who refers to it."""
    return _as("package_show", context, data_dict)


"""The action and auth function behind the editors' page of broken links."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ckanext.odconf.links import storage
from ckanext.odconf.logic import schema


def odconf_broken_links_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The broken links of an organisation's public entries, for its editors.

    :param id: the organisation's id or name
    :type id: string

    :returns: ``organization`` (id, name, title) and ``links``: a list of dicts,
        oldest failure first, each with ``url``, ``field`` (the dataset field,
        or ``resource``), ``resource_id`` and ``resource_name``, the entry's
        ``package_id``, ``package_name``, ``package_title`` and ``package_type``,
        and the last check: ``status_code``, ``problem``, ``error``,
        ``checked_at``, ``broken_since`` (ISO 8601 timestamps)
    :rtype: dictionary
    """
    organization_id = schema.validate(data_dict, schema.id_schema(), context)["id"]
    organization = model.Group.get(organization_id)
    if organization is None or not organization.is_organization or organization.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    tk.check_access("odconf_broken_links_list", context, {"id": organization.id})
    links = storage.broken_links(organization.id)
    for link in links:
        for key in ("checked_at", "broken_since"):
            link[key] = link[key].isoformat()
    return {
        "organization": {"id": organization.id, "name": organization.name,
                         "title": organization.title or organization.name},
        "links": links,
    }


def odconf_broken_links_list_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors and admins of the organisation (sysadmins always pass)."""
    user = context.get("user")
    if user and authz.has_user_permission_for_group_or_org(data_dict.get("id"), user, "update_dataset"):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only editors of this organisation can see its broken links")}


def get_actions() -> dict[str, Callable[..., Any]]:
    """The link checking actions (IActions)."""
    return {"odconf_broken_links_list": odconf_broken_links_list}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    """Their auth functions (IAuthFunctions)."""
    return {"odconf_broken_links_list": odconf_broken_links_list_auth}

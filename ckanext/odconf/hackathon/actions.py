"""The hackathon's API actions and auth functions, as the plugin registers them.

Actions: ``odconf_hackathon_licence_check`` (:mod:`licence_check`), and CKAN's
``package_collaborator_create`` / ``package_collaborator_delete`` chained so
that a project's collaborators and its ``team_members`` stay in step
(:mod:`projects`). Auth functions: the rules of :mod:`access`.
"""
from __future__ import annotations

from typing import Any

from ckanext.odconf.hackathon import access, licence_check, projects


def get_actions() -> dict[str, Any]:
    """The hackathon's actions (IActions)."""
    return {
        "odconf_hackathon_licence_check": licence_check.odconf_hackathon_licence_check,
        "package_collaborator_create": projects.package_collaborator_create,
        "package_collaborator_delete": projects.package_collaborator_delete,
    }


def get_auth_functions() -> dict[str, Any]:
    """The hackathon's auth functions (IAuthFunctions)."""
    return {
        **access.get_auth_functions(),
        "odconf_hackathon_licence_check": licence_check.odconf_hackathon_licence_check_auth,
    }

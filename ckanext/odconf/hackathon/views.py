"""Pages of the hackathon (thin Flask views; the work is in actions and helpers).

- ``/hackathon/my-projects``: the projects of the visitor's teams, drafts
  included, with their status and the submission window.

A project's own page is CKAN's dataset page of type ``hackathon-project``
(``/hackathon-project/<name>``), with ``templates/odconf/hackathon/project.html``.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.odconf.hackathon import projects

hackathon = Blueprint("odconf_hackathon", __name__, url_prefix="/hackathon")


def my_projects() -> Any:
    """The projects whose team the visitor is in."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for("odconf_hackathon.my_projects"))
    context = {"user": tk.current_user.name}
    memberships = tk.get_action("package_collaborator_list_for_user")(
        context, {"id": tk.current_user.id})
    found = []
    for membership in memberships[:projects.MAX_PROJECTS_LISTED]:
        try:
            project = tk.get_action("package_show")(context, {"id": membership["package_id"]})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        if project.get("type") == projects.PROJECT_TYPE and project.get("state") != "deleted":
            found.append(project)
    return tk.render("odconf/hackathon/my_projects.html", {
        "projects": sorted(found, key=lambda project: (project.get("title") or "").casefold()),
    })


hackathon.add_url_rule("/my-projects", view_func=my_projects, endpoint="my_projects")


def get_blueprints() -> list[Blueprint]:
    """The hackathon's blueprints (IBlueprint)."""
    return [hackathon]

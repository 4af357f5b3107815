"""Template helpers of the hackathon pages (project page, "my projects",
the dataset page's "used by hackathon projects", galleries)."""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_field_by_name, scheming_get_dataset_schema

from ckanext.odconf.hackathon import access, licence_check, outputs, projects, window
from ckanext.odconf.hackathon.validators import registered_licenses
from ckanext.odconf.translation import current_language, pick

Choices = list[dict[str, str]]


def _context() -> dict[str, Any]:
    """The context of the page's visitor."""
    return {"user": tk.current_user.name if tk.current_user and tk.current_user.is_authenticated
            else ""}


def odconf_projects_using(dataset_name: str, rows: int = 50) -> dict[str, Any]:
    """The hackathon projects that use a dataset and that the visitor may
    read, winners first (for the dataset page): ``count`` and ``results``
    (project dictionaries as ``package_search`` returns them)."""
    if not isinstance(dataset_name, str) or not dataset_name:
        return {"count": 0, "results": []}
    return projects.projects_using(_context(), dataset_name, rows)


def odconf_hackathon_projects(edition: str, rows: int = 100) -> dict[str, Any]:
    """An edition's hackathon projects the visitor may read, in gallery order
    (winners first, then by title): ``count`` and ``results``."""
    found = tk.get_action("package_search")(
        _context(),
        {"fq": f'+dataset_type:{projects.PROJECT_TYPE} +conference:"{edition}"',
         "rows": rows, "include_private": True},
    )
    results = projects.gallery_order(found["results"])
    return {"count": found["count"], "results": results, "used": _datasets_used(results)}


def _datasets_used(project_dicts: list[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The datasets the projects use that the visitor may read, by name (one
    search for the whole gallery, not one per card)."""
    names = sorted({name for project in project_dicts for name in project.get("datasets_used") or []
                    if isinstance(name, str)})
    if not names:
        return {}
    quoted = " OR ".join(projects.quoted_term(name) for name in names)
    found = tk.get_action("package_search")(
        _context(), {"fq": f"name:({quoted})", "rows": len(names), "include_private": True})
    return {entry["name"]: entry for entry in found["results"]}


def odconf_hackathon_license_choices(field: Mapping[str, Any]) -> Choices:
    """Every licence of CKAN's register (a project's outputs may carry any:
    the licence check tells the team what each allows)."""
    return [{"value": license_id, "label": title}
            for license_id, title in registered_licenses().items()]


def _choice_label(field_name: str, value: Any) -> str:
    """The label of a project field's choice, in the page's language."""
    schema = scheming_get_dataset_schema(projects.PROJECT_TYPE) or {}
    field = scheming_field_by_name(schema.get("dataset_fields", []), field_name) or {}
    for choice in field.get("choices", []):
        if choice["value"] == value:
            return pick(choice["label"], current_language())
    return str(value or "")


def _team(package: model.Package) -> list[dict[str, str]]:
    names = projects.team_members(package)
    users = {user.name: user for user in model.Session.query(model.User).filter(
        model.User.name.in_(names))} if names else {}
    return [{"name": name, "display_name": users[name].display_name} for name in names if name in users]


def odconf_hackathon_project(pkg: Mapping[str, Any]) -> dict[str, Any]:
    """What the project page shows beyond the project's own fields, for the
    visitor: ``team`` (``name``, ``display_name``), ``status`` and
    ``status_label``, ``award_label``, ``licence_check`` (see
    ``odconf_hackathon_licence_check``), ``window`` (as
    ``SubmissionWindow.as_dict``, or None), ``may_edit`` and ``edit_refusal``
    (why the visitor may not change it now, for team members), ``is_team``."""
    package = projects.project_package(pkg.get("id"))
    if package is None:
        return {}
    user = _context()["user"]
    submission = window.submission_window(pkg.get("conference"))
    refusal = access.team_refusal(user, package) if user else None
    is_team = access.is_team_member(user, package)
    check = licence_check.check(
        _context(), pkg.get("license_id") or "notspecified", pkg.get("datasets_used") or [],
        [(resource.get("name") or resource.get("url") or resource["id"], resource.get("license_id"))
         for resource in pkg.get("resources") or []])
    status = projects.stored_status(package)
    return {
        "team": _team(package),
        "is_team": is_team,
        "status": status,
        "status_label": _choice_label("project_status", status),
        "award_label": _choice_label("award", pkg.get("award")) if pkg.get("award") else "",
        "licence_check": check,
        "window": submission.as_dict() if submission else None,
        "may_edit": bool(user) and refusal is None,
        "edit_refusal": refusal if is_team else None,
        "max_upload_mb": outputs.max_size_mb(),
        "upload_formats": outputs.accepted_formats(),
    }


def odconf_hackathon_window(edition: Optional[str]) -> Optional[dict[str, Any]]:
    """An edition's submission window (``SubmissionWindow.as_dict``), or None."""
    submission = window.submission_window(edition)
    return submission.as_dict() if submission else None


def odconf_hackathon_choice_label(field_name: str, value: Any) -> str:
    """The label of a status or an award, in the page's language."""
    return _choice_label(field_name, value)


def get_helpers() -> dict[str, Callable[..., Any]]:
    """The hackathon's template helpers (ITemplateHelpers)."""
    functions: tuple[Callable[..., Any], ...] = (
        odconf_projects_using,
        odconf_hackathon_projects,
        odconf_hackathon_license_choices,
        odconf_hackathon_project,
        odconf_hackathon_window,
        odconf_hackathon_choice_label,
    )
    return {fn.__name__: fn for fn in functions}

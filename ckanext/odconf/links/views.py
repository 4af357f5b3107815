"""The editors' page: broken links of an organisation's entries."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

links = Blueprint("odconf_links", __name__)


@links.route("/organization/broken-links/<id>")
def broken_links(id: str) -> str:
    """The page; 404 for an unknown organisation, 403 for anyone but its editors."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else None}
    try:
        report = tk.get_action("odconf_broken_links_list")(context, {"id": id})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of this organisation can see its broken links"))
    return tk.render("odconf/broken_links.html", {"report": report})


def get_blueprints() -> list[Blueprint]:
    """The link checking blueprints (IBlueprint)."""
    return [links]

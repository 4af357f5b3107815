"""The conference portal's pages: the home page and an edition's page (thin views).

``/conference/<edition>`` takes the place of the conference group's own page
(this extension's blueprints are registered before CKAN's group types), and
the group's "About" page, which showed the programme's raw fields, leads to it.
The work is done in ``portal.py``.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.odconf.dcat.views import negotiated_catalogue
from ckanext.odconf.showcase import portal

blueprint = Blueprint("odconf_showcase", __name__)


@blueprint.route("/")
def home() -> Any:
    """The home page: the current edition, figures, themes, latest entries (or the
    catalogue in RDF, for an ``Accept: text/turtle`` request)."""
    return negotiated_catalogue() or tk.render("home/index.html",
                                               portal.home_page(portal.visitor_context()))


@blueprint.route("/conference/<edition>")
def conference(edition: str) -> str:
    """An edition's page; 404 for an unknown edition."""
    try:
        page = portal.conference_page(portal.visitor_context(), edition)
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("Conference not found"))
    return tk.render("odconf/conference.html", page)


@blueprint.route("/conference/about/<edition>")
def about(edition: str) -> Any:
    """The group's "About" page: the edition's page says it all."""
    return tk.redirect_to("odconf_showcase.conference", edition=edition)


def get_blueprints() -> list[Blueprint]:
    """The portal's blueprints (IBlueprint)."""
    return [blueprint]

"""``/conference/<edition>/themes.{ttl,jsonld,rdf}``: an edition's themes as a SKOS scheme.

The concepts the DCAT export points to with ``dcat:theme`` are described here
(their URIs are fragments of this document).
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import check_access_header, read_catalog_page
from flask import Blueprint, Response
from rdflib import Graph

from ckanext.dcat.profiles import DCT, SKOS
from ckanext.odconf.dcat import vocabulary
from ckanext.odconf.logic.conference import CONFERENCE_TYPE, Conference

#: Format in the address -> (rdflib serializer, media type).
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}

odconf_dcat = Blueprint("odconf_dcat", __name__)


def themes(edition: str, _format: str) -> Response:
    """The concept scheme of the edition, in the format the address names (404 otherwise)."""
    if _format not in FORMATS:
        return tk.abort(404, tk._("Unknown format; use one of: {formats}").format(
            formats=", ".join(sorted(FORMATS))))
    try:
        group = tk.get_action("group_show")(
            {}, {"id": edition, "include_datasets": False, "include_users": False,
                 "include_groups": False, "include_extras": True})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Conference not found"))
    if group.get("type") != CONFERENCE_TYPE:
        return tk.abort(404, tk._("Conference not found"))
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCT)
    vocabulary.add_scheme(graph, Conference.from_dict(group))
    serializer, media_type = FORMATS[_format]
    return Response(graph.serialize(format=serializer), mimetype=media_type)


odconf_dcat.add_url_rule("/conference/<edition>/themes.<_format>", view_func=themes)


def negotiated_catalogue() -> Optional[Any]:
    """The catalogue in the RDF format the ``Accept`` header asks for, for ``/``;
    None for a request of the page (or when content negotiation is off).

    ckanext-dcat answers such requests at ``/`` with its own view; this
    extension's home page takes ``/`` and hands them back here.
    """
    if not (plugins.plugin_loaded("dcat")
            and tk.asbool(tk.config.get("ckanext.dcat.enable_content_negotiation"))
            and check_access_header()):
        return None
    return read_catalog_page(None)


def get_blueprints() -> list[Blueprint]:
    """The blueprints of the RDF publication."""
    return [odconf_dcat]

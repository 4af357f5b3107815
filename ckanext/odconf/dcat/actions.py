"""ckanext-dcat's RDF actions, with their input checked first and their output cached.

Stock ckanext-dcat 2.4.4 answers 500 to an unknown format in the address
(``/dataset/<id>.foo``: rdflib has no such serializer) and to a
``modified_since`` with a time zone (it appends ``Z`` to an offset), and
passes any page number on to the search. These chained actions refuse such
input with a ValidationError, which ckanext-dcat's views answer with 409.

They then serialise as the stock actions do, with the same search, paging and
profiles, through :mod:`ckanext.odconf.dcat.catalogue`, which keeps each
dataset's serialisation in the cache; the stock actions are not called.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import CONTENT_TYPES
from dateutil.parser import ParserError, parse as parse_date

from ckanext.odconf.dcat import catalogue

Action = Callable[[dict[str, Any], dict[str, Any]], Any]
#: The search engine counts rows with Java ints; a page past that is refused.
MAX_ROW = 2**31 - 1


def _checked(data_dict: dict[str, Any], paged: bool) -> dict[str, Any]:
    data_dict = dict(data_dict)
    _format = data_dict.get("format")
    if _format is not None and _format not in CONTENT_TYPES:
        raise tk.ValidationError({"format": [
            tk._("Unknown format; use one of: {formats}").format(
                formats=", ".join(sorted(CONTENT_TYPES)))]})
    if not paged:
        return data_dict
    page = "" if data_dict.get("page") is None else str(data_dict["page"])
    if page:
        per_page = tk.asint(tk.config.get("ckanext.dcat.datasets_per_page"))
        if not page.isdigit() or not 1 <= int(page) <= MAX_ROW // max(per_page, 1):
            raise tk.ValidationError({"page": [tk._("Page must be a whole number from 1")]})
    modified_since = data_dict.get("modified_since")
    if modified_since:
        try:
            moment = parse_date(str(modified_since)[:64])
        except (ParserError, OverflowError, ValueError):
            raise tk.ValidationError({"modified_since": [
                tk._("Expected a date and time in ISO 8601, e.g. 2024-03-26T08:30:00Z")]})
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        # ckanext-dcat appends the "Z" itself
        data_dict["modified_since"] = moment.isoformat()
    return data_dict


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(original_action: Action, context: dict[str, Any],
                      data_dict: dict[str, Any]) -> str:
    """ckanext-dcat's ``dcat_dataset_show`` after checking the format.

    :param id: the id or name of the dataset
    :type id: string
    :param format: ``xml``, ``rdf``, ``ttl``, ``n3`` or ``jsonld``
    :type format: string
    :param profiles: RDF profiles to use instead of the configured ones
    :type profiles: list of strings
    :returns: the dataset serialised in that format
    :rtype: string
    """
    return catalogue.dataset_document(context, _checked(data_dict, paged=False))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(original_action: Action, context: dict[str, Any],
                      data_dict: dict[str, Any]) -> str:
    """ckanext-dcat's ``dcat_catalog_show`` after checking format, page and date.

    :param format: ``xml``, ``rdf``, ``ttl``, ``n3`` or ``jsonld``
    :type format: string
    :param page: the page, from 1 (``ckanext.dcat.datasets_per_page`` datasets each)
    :type page: int
    :param modified_since: only datasets modified since then (ISO 8601; an
        offset is converted to UTC)
    :type modified_since: string
    :param q: a search query
    :type q: string
    :param fq: a filter query
    :type fq: string
    :param profiles: RDF profiles to use instead of the configured ones
    :type profiles: list of strings
    :returns: the page of the catalogue, with paging links, in that format
    :rtype: string
    """
    return catalogue.catalogue_page("dcat_catalog_show", context, _checked(data_dict, paged=True))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(original_action: Action, context: dict[str, Any],
                        data_dict: dict[str, Any]) -> str:
    """ckanext-dcat's ``dcat_catalog_search`` after checking format, page and date.

    Takes the parameters of :func:`dcat_catalog_show` and returns the same.
    """
    return catalogue.catalogue_page("dcat_catalog_search", context, _checked(data_dict, paged=True))


def get_actions() -> dict[str, Any]:
    """The chained actions, when ckanext-dcat's ``dcat`` plugin is loaded (else none)."""
    if not plugins.plugin_loaded("dcat"):
        return {}
    return {
        "dcat_dataset_show": dcat_dataset_show,
        "dcat_catalog_show": dcat_catalog_show,
        "dcat_catalog_search": dcat_catalog_search,
    }

"""The theme page: ``/conference/<edition>/<theme>``.

One theme (or breakout room) of a conference edition: its title, description
and topics, and a search inside it with CKAN's facets, sorting and paging. The
search is ``package_search`` run as the visitor, so what they may not read
(private entries of other organisations, drafts) is never counted or listed.
The page reuses CKAN's search snippets; the address keeps the search in its
query string (``q``, ``sort``, ``page`` and one parameter per facet value).
"""
from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any, Optional

from flask import Blueprint
from werkzeug.datastructures import MultiDict

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from ckan.lib.search.common import SearchError, SearchQueryError

from ckanext.odconf import search_hooks
from ckanext.odconf.logic.action import quote_term

blueprint = Blueprint("odconf_theme", __name__)

#: The facets of a theme's search, in the order shown.
FACETS = ("topic", "license_id", "res_format", "organization",
          search_hooks.MULTI_VALUED["language"], "dataset_type")
#: Characters of one query string parameter (CKAN's search refuses longer
#: text too, but the page answers 400 before building a query).
MAX_PARAMETER_LENGTH = 1000
#: Values one facet may be filtered on at once.
MAX_VALUES_PER_FACET = 20


def _sortings() -> list[tuple[str, str]]:
    """The orders a visitor may choose (CKAN's, with their labels)."""
    return [
        (tk._("Relevance"), "score desc, metadata_modified desc"),
        (tk._("Name Ascending"), "title_string asc"),
        (tk._("Name Descending"), "title_string desc"),
        (tk._("Last Modified"), "metadata_modified desc"),
    ]


def facet_titles() -> "OrderedDict[str, str]":
    """The theme search's facets and their titles, as the catalogue's search
    names them (``search_hooks.dataset_facets``)."""
    core: "OrderedDict[str, str]" = OrderedDict(
        organization=tk._("Organizations"), res_format=tk._("Formats"),
    )
    titles = search_hooks.dataset_facets(core)
    return OrderedDict((name, titles[name]) for name in FACETS)


@dataclasses.dataclass(frozen=True)
class ThemeSearch:
    """A visitor's search inside a theme, read from the query string."""

    q: str = ""
    sort: Optional[str] = None
    page: int = 1
    filters: tuple[tuple[str, str], ...] = ()
    facet_limits: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_args(cls, args: "MultiDict[str, str]") -> "ThemeSearch":
        """Read the search; raise ``ValueError`` naming what is malformed.

        Parameters the page does not know are left alone (not searched on),
        as a link may carry a campaign tag or the like.
        """
        for name, value in args.items(multi=True):
            if len(value) > MAX_PARAMETER_LENGTH:
                raise ValueError(tk._('Parameter "{name}" is too long').format(name=name))
        sort = args.get("sort") or None
        if sort is not None and sort not in {value for _label, value in _sortings()}:
            raise ValueError(tk._('Unknown order "{value}"').format(value=sort))
        page = args.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= 100000:
            raise ValueError(tk._('Parameter "page" must be a whole number from 1 to 100000'))
        filters: list[tuple[str, str]] = []
        limits: list[tuple[str, int]] = []
        for name in FACETS:
            values = [value for value in args.getlist(name) if value.strip()]
            if len(values) > MAX_VALUES_PER_FACET:
                raise ValueError(tk._('Too many values for "{name}"').format(name=name))
            filters.extend((name, value) for value in dict.fromkeys(values))
            limit = args.get(f"_{name}_limit")
            if limit is not None:
                if not limit.isdigit() or int(limit) > 1000:
                    raise ValueError(tk._('Parameter "{name}" must be a whole number from 0 to 1000')
                                     .format(name=f"_{name}_limit"))
                limits.append((name, int(limit)))
        return cls(q=args.get("q", ""), sort=sort, page=int(page),
                   filters=tuple(filters), facet_limits=tuple(limits))

    def fields_grouped(self) -> dict[str, list[str]]:
        """The filters by facet (as CKAN's search form lists them)."""
        grouped: dict[str, list[str]] = {}
        for name, value in self.filters:
            grouped.setdefault(name, []).append(value)
        return grouped


def theme_filter(edition: str, slug: str) -> str:
    """The entries of a theme: datasets filed under it and hackathon projects
    that take up its challenge."""
    return f"+conference:{quote_term(edition)} +(theme:{quote_term(slug)} OR challenge_theme:{quote_term(slug)})"


def _context() -> dict[str, Any]:
    user = tk.current_user
    return {"user": user.name if user.is_authenticated else "", "for_view": True}


def _theme_or_404(context: dict[str, Any], edition: str, slug: str) -> dict[str, Any]:
    """The theme of the edition (topics counted for the visitor), or 404."""
    try:
        return tk.get_action("odconf_theme_show")(
            dict(context), {"conference": edition, "theme": slug, "rows": 0})
    except (tk.ObjectNotFound, tk.ValidationError, tk.NotAuthorized):
        return tk.abort(404, tk._("Theme not found"))


def _pager_url(q: Any = None, page: Optional[int] = None) -> str:
    """The address of another page of the same search (CKAN's pager calls it)."""
    return tk.h.add_url_param(new_params={"page": page})


def _search(context: dict[str, Any], edition: str, slug: str, search: ThemeSearch,
            facets: list[str], rows: int) -> Optional[dict[str, Any]]:
    """``package_search`` inside the theme as the visitor; None when the
    search failed (CKAN's pages then say so), 400 for a malformed query."""
    fq = " ".join([theme_filter(edition, slug)]
                  + [f"+{name}:{quote_term(value)}" for name, value in search.filters])
    try:
        return tk.get_action("package_search")(dict(context), {
            "q": search.q, "fq": fq, "facet.field": facets, "rows": rows,
            "start": (search.page - 1) * rows, "sort": search.sort, "include_private": True,
        })
    except (SearchQueryError, tk.ValidationError) as error:
        return tk.abort(400, tk._("Invalid search query: {error_message}").format(error_message=str(error)))
    except SearchError:
        return None


@blueprint.route("/conference/<edition>/<theme>")
def read(edition: str, theme: str) -> str:
    """The theme page; 404 for an unknown edition or theme, 400 for a
    malformed search."""
    context = _context()
    theme_dict = _theme_or_404(context, edition, theme)
    try:
        search = ThemeSearch.from_args(tk.request.args)
    except ValueError as error:
        return tk.abort(400, str(error))
    rows = tk.config.get("ckan.datasets_per_page")
    titles = facet_titles()
    found = _search(context, theme_dict["conference"], theme_dict["slug"], search, list(titles), rows)
    # CKAN's facet lists read how many values to show from here
    tk.g.search_facets_limits = dict(
        {name: tk.config.get("search.facets.default") for name in titles}, **dict(search.facet_limits))
    results = found["results"] if found else []
    page = Page(collection=results, page=search.page, url=_pager_url,
                item_count=found["count"] if found else 0, items_per_page=rows)
    page.items = results  # already this page's entries: Page would slice them again
    return tk.render("odconf/theme.html", {
        "theme": theme_dict,
        "q": search.q,
        "page": page,
        "query_error": found is None,
        "search_facets": found["search_facets"] if found else {},
        "facet_titles": titles,
        "fields": list(search.filters),
        "fields_grouped": search.fields_grouped(),
        "sorting": _sortings(),
        "sort_by_selected": found["sort"] if found else None,
    })


def get_blueprints() -> list[Blueprint]:
    """The theme page's blueprint (IBlueprint)."""
    return [blueprint]

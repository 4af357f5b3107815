"""What the conference portal shows: the home page and an edition's page.

Plain functions that the views (``views.py``) call. Every figure, card, chart
and list comes from CKAN actions run as the visitor (``package_search``,
``organization_list``, ``odconf_conference_show``), so a private entry counts
only for who may read it and a draft never. A page runs a fixed number of
searches whatever the number of datasets, themes or projects: counts come from
facets, never from one query per card.
"""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Mapping, Optional

import ckan.plugins.toolkit as tk
from babel.dates import format_date, format_interval
from ckan.types import Context
from ckanext.scheming.helpers import scheming_field_by_name, scheming_get_group_schema

from ckanext.odconf.hackathon.helpers import odconf_hackathon_projects
from ckanext.odconf.hackathon.projects import PROJECT_TYPE
from ckanext.odconf.links import helpers as link_helpers
from ckanext.odconf.logic.action import quote_term
from ckanext.odconf.logic.conference import CONFERENCE_TYPE, REFERENCE_TYPE, organisation_titles
from ckanext.odconf.showcase.charts import Bar, Chart, bar_chart, text_language
from ckanext.odconf.showcase.entry import odconf_choice_label as choice_label
from ckanext.odconf.translation import current_language, default_language, pick

#: Entries listed as the latest on the home page.
LATEST_ENTRIES = 6
#: Most projects an edition's gallery shows (its page links to all of them).
GALLERY_ROWS = 100
#: Most bars of the licence and format charts (the rest are in the search's facets).
CHART_BARS = 12


def visitor_context() -> Context:
    """The context of the page's visitor, for actions run as them."""
    user = tk.current_user
    return {"user": user.name if user and user.is_authenticated else ""}


def _language() -> str:
    return current_language() or default_language()


def _search(context: Context, **params: Any) -> dict[str, Any]:
    """``package_search`` as the visitor: private entries they may read, never drafts."""
    params.setdefault("include_private", True)
    return tk.get_action("package_search")(dict(context), params)


def _facet(result: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    """A facet's items, most entries first (then by name, for a stable order)."""
    items = (result.get("search_facets") or {}).get(name, {}).get("items", [])
    return sorted(items, key=lambda item: (-item["count"], item.get("display_name") or item["name"]))


def _choices(fields: Iterable[Mapping[str, Any]], *path: str) -> dict[str, str]:
    """The labels of a schema field's choices in the page's language, by value.

    ``path`` names the field, then subfields of its ``structure`` (e.g.
    ``"agenda", "kind"``).
    """
    field: Mapping[str, Any] = {}
    for name in path:
        field = scheming_field_by_name(list(fields), name) or {}
        fields = (field.get("structure") or {}).get("fields", [])
    return {choice["value"]: pick(choice["label"], _language()) for choice in field.get("choices", [])}


def _conference_fields() -> list[Mapping[str, Any]]:
    return (scheming_get_group_schema(CONFERENCE_TYPE) or {}).get("fields", [])


def dates_label(start: Optional[str], end: Optional[str]) -> str:
    """An edition's dates in the page's language, e.g. "Mar 26 – 27, 2024"."""
    try:
        first = datetime.date.fromisoformat(str(start))
        last = datetime.date.fromisoformat(str(end or start))
    except ValueError:
        return ""
    if first == last:
        return format_date(first, "long", locale=_language())
    return format_interval(first, last, "yMMMd", locale=_language())


def day_label(date: Optional[str]) -> str:
    """A day of the programme in the page's language, e.g. "Tuesday, March 26, 2024"."""
    try:
        return format_date(datetime.date.fromisoformat(str(date)), "full", locale=_language())
    except ValueError:
        return ""


def current_edition(context: Context) -> Optional[str]:
    """The edition the portal presents: the one that starts last (one query)."""
    editions = tk.get_action("group_list")(dict(context), {
        "type": CONFERENCE_TYPE, "all_fields": True, "include_extras": True,
        "include_dataset_count": False, "include_member_count": False,
    })
    if not editions:
        return None
    return max(editions, key=lambda edition: (str(edition.get("start_date") or ""), edition["name"]))["name"]


def _edition(context: Context, edition: str) -> dict[str, Any]:
    """``odconf_conference_show`` as the visitor (raises ObjectNotFound)."""
    return tk.get_action("odconf_conference_show")(dict(context), {"id": edition})


def _theme_cards(conference: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The themes and rooms as cards: title, kind, description, topics, dataset count."""
    kinds = _choices(_conference_fields(), "themes", "kind")
    cards = []
    for theme in conference["themes"]:
        kind = kinds.get(theme["kind"], theme["kind"])
        cards.append(dict(
            theme,
            kind_label=f"{kind} {theme['number']}" if theme.get("number") else kind,
            url=tk.h.url_for("odconf_theme.read", edition=conference["edition"], theme=theme["slug"]),
        ))
    return cards


def _reference_items(conference: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The referenced publications with their kind, publisher and link status.

    The checker's results of every reference's address are read at once.
    """
    references = conference["references"]
    # only entries the visitor may read are listed, so their addresses' results may be shown
    statuses = link_helpers.url_statuses(reference.get("url") for reference in references)
    items = []
    for reference in references:
        url = reference.get("url") or ""
        items.append(dict(
            reference,
            kind_label=choice_label(REFERENCE_TYPE, "document_kind", reference.get("document_kind")),
            status=statuses.get(url) if url else None,
            availability=choice_label(REFERENCE_TYPE, "link_status", reference.get("link_status")),
            entry_url=tk.h.url_for(f"{REFERENCE_TYPE}.read", id=reference["name"]),
        ))
    return items


def _figures(context: Context, catalogue: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Datasets, organisations, hackathon projects and references the visitor may see."""
    types = {item["name"]: item["count"] for item in _facet(catalogue, "dataset_type")}
    organisations = tk.get_action("organization_list")(dict(context), {})
    return [
        {"key": "datasets", "count": types.get("dataset", 0), "label": tk._("Datasets"),
         "url": tk.h.url_for("dataset.search")},
        {"key": "organisations", "count": len(organisations), "label": tk._("Organisations"),
         "url": tk.h.url_for("organization.index")},
        {"key": "hackathon-projects", "count": types.get(PROJECT_TYPE, 0),
         "label": tk._("Hackathon projects"), "url": tk.h.url_for(f"{PROJECT_TYPE}.search")},
        {"key": "references", "count": types.get(REFERENCE_TYPE, 0), "label": tk._("References"),
         "url": tk.h.url_for(f"{REFERENCE_TYPE}.search")},
    ]


def home_page(context: Context) -> dict[str, Any]:
    """The home page: the current edition, figures, themes, latest entries, references.

    :returns: ``conference`` (``odconf_conference_show`` of the current edition
        with ``dates_label``, or None when there is none), ``themes`` (cards),
        ``figures``, ``latest`` (entries as ``package_search`` returns them)
        and ``references``
    """
    catalogue = _search(context, rows=LATEST_ENTRIES, sort="metadata_created desc",
                        **{"facet.field": ["dataset_type"], "facet.limit": -1})
    page: dict[str, Any] = {
        "conference": None, "themes": [], "references": [],
        "figures": _figures(context, catalogue), "latest": catalogue["results"],
    }
    edition = current_edition(context)
    if edition:
        conference = _edition(context, edition)
        conference["dates_label"] = dates_label(conference.get("start_date"), conference.get("end_date"))
        page.update(conference=conference, themes=_theme_cards(conference),
                    references=_reference_items(conference))
    return page


def _sessions(sessions: Iterable[Mapping[str, Any]],
              themes: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Sessions with their kind in words and the cards of the themes discussed in them."""
    kinds = _choices(_conference_fields(), "agenda", "kind")
    return [
        dict(session, kind_label=kinds.get(session.get("kind") or "", session.get("kind") or ""),
             theme_cards=[themes[slug] for slug in session.get("themes") or [] if slug in themes])
        for session in sessions
    ]


def _agenda(conference: Mapping[str, Any], themes: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The days of the timetable, each with its date in words and its sessions."""
    return [dict(day, sessions=_sessions(day["sessions"], themes), date_label=day_label(day.get("date")))
            for day in conference["programme"]]


def _charts(conference: Mapping[str, Any], themes: list[dict[str, Any]],
            facets: Mapping[str, Any]) -> list[Chart]:
    """Datasets per theme, licences in use, formats: each a chart with its table."""
    language = _language()
    edition = conference["edition"]
    by_theme = bar_chart(
        "chart-themes", tk._("Datasets per theme and room"), tk._("Datasets"),
        [Bar(pick(theme["title"], language), theme["dataset_count"], theme["url"]) for theme in themes])

    def facet_chart(chart_id: str, caption: str, facet: str) -> Chart:
        return bar_chart(chart_id, caption, tk._("Entries"), [
            Bar(item["display_name"], item["count"],
                tk.h.url_for("dataset.search", conference=edition, **{facet: item["name"]}),
                text_language(item["display_name"], language))
            for item in _facet(facets, facet)[:CHART_BARS]])

    licences = facet_chart("chart-licences", tk._("Licences in use"), "license_id")
    formats = facet_chart("chart-formats", tk._("Formats of the resources"), "res_format")
    return [by_theme, licences, formats]


def _funders(conference: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The funders, each organisation (and the one it funds through) with its title
    and address; the titles of them all are read in one statement."""
    named = [name for funder in conference.get("funders") or []
             for name in (funder.get("organisation"), funder.get("through")) if name]
    titles = organisation_titles(named) if named else {}

    def organisation(name: Optional[str]) -> Optional[dict[str, Any]]:
        if not name:
            return None
        return {"name": name, "title": titles.get(name) or name,
                "url": tk.h.url_for("organization.read", id=name) if name in titles else None}

    return [dict(funder, organisation=organisation(funder.get("organisation")),
                 through=organisation(funder.get("through")))
            for funder in conference.get("funders") or []]


def conference_page(context: Context, edition: str) -> dict[str, Any]:
    """An edition's page: programme, themes, agenda, hackathon, references, charts.

    :raises ObjectNotFound: when no edition has that name
    :returns: ``conference`` (``odconf_conference_show`` with ``dates_label``),
        ``organisers`` and ``funders`` (with titles and addresses), ``themes``
        (cards), ``days`` (the timetable), ``hackathon`` (with ``projects`` in
        gallery order and ``project_count``), ``references`` and ``charts``
    """
    conference = _edition(context, edition)
    conference["dates_label"] = dates_label(conference.get("start_date"), conference.get("end_date"))
    themes = _theme_cards(conference)
    # licences and formats of the edition's entries, and its hackathon projects in gallery
    # order (winners first): two searches
    facets = _search(context, fq=f"conference:{quote_term(edition)}", rows=0,
                     **{"facet.field": ["license_id", "res_format"], "facet.limit": -1,
                        "facet.mincount": 1})
    projects = odconf_hackathon_projects(edition, GALLERY_ROWS)
    by_slug = {theme["slug"]: theme for theme in themes}
    hackathon = dict(conference["hackathon"], projects=projects["results"],
                     project_count=projects["count"], datasets_used=projects["used"],
                     sessions=_sessions(conference["hackathon"]["sessions"], by_slug))
    return {
        "conference": conference,
        "organisers": [dict(organiser, url=tk.h.url_for("organization.read", id=organiser["name"]))
                       for organiser in conference["organisers"]],
        "funders": _funders(conference),
        "themes": themes,
        "days": _agenda(conference, by_slug),
        "hackathon": hackathon,
        "references": _reference_items(conference),
        "charts": _charts(conference, themes, facets),
        "translation": tk.h.odconf_translation_status(edition),
    }

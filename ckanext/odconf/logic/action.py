"""API actions of the conference catalogue (all read-only).

Dataset counts come from ``package_search`` run as the caller, so private and
draft entries are only counted for those who may see them.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.odconf.hackathon.projects import PROJECT_TYPE
from ckanext.odconf.logic import schema
from ckanext.odconf.logic.conference import (
    CONFERENCE_TYPE, REFERENCE_TYPE, Conference, Theme, organisation_titles,
)
from ckanext.odconf.logic.values import allowed
from ckanext.odconf.logic.visibility import as_caller

#: Conference fields returned as they are stored.
EDITION_FIELDS = (
    "id", "title", "title_translated", "tagline", "description", "description_translated",
    "start_date", "end_date", "time_zone", "venue", "funders", "contact",
)
#: Fields of a reference entry in the programme odconf_conference_show returns.
REFERENCE_SUMMARY_FIELDS = (
    "name", "title", "title_translated", "notes_translated", "document_kind",
    "publication_date", "language", "contributors", "url", "link_status",
)


def quote_term(value: str) -> str:
    """A value as a quoted term of a search query or filter."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def conference_group(context: Context, name_or_id: str) -> dict[str, Any]:
    """The active conference group ``group_show`` gives the caller; a missing,
    deleted or forbidden one, or a group of another type, is not found."""
    try:
        group = tk.get_action("group_show")(
            as_caller(context),
            # no dataset count: a search each time, and the callers count as they need
            {"id": name_or_id, "include_datasets": False, "include_dataset_count": False,
             "include_users": False, "include_groups": False, "include_followers": False},
        )
    except tk.NotAuthorized:
        raise tk.ObjectNotFound(tk._("Conference not found"))
    # a deleted edition is not part of the public programme, even for sysadmins
    if group.get("type") != CONFERENCE_TYPE or group.get("state") != "active":
        raise tk.ObjectNotFound(tk._("Conference not found"))
    return group


def _counts(context: Context, fq: str, fields: list[str]) -> tuple[int, dict[str, dict[str, int]]]:
    """Number of entries matching ``fq`` and their counts per facet value."""
    result = tk.get_action("package_search")(
        as_caller(context),
        {"fq": fq, "rows": 0, "include_private": True, "facet.field": fields,
         "facet.limit": -1, "facet.mincount": 1},
    )
    return result["count"], _facet_counts(result)


def _facet_counts(result: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """``{field: {value: count}}`` from a ``package_search`` result."""
    return {
        name: {item["name"]: item["count"] for item in facet["items"]}
        for name, facet in result["search_facets"].items()
    }


def _theme_dict(theme: Theme, counts: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    return {
        "slug": theme.slug,
        "kind": theme.kind,
        "number": theme.number,
        "title": dict(theme.title),
        "description": dict(theme.description),
        "session": theme.session,
        "topics_announced": theme.topics_announced,
        "topics": [
            {"slug": topic.slug, "title": dict(topic.title),
             "description": dict(topic.description),
             "dataset_count": counts.get("topic", {}).get(topic.slug, 0)}
            for topic in theme.topics
        ],
        "dataset_count": counts.get("theme", {}).get(theme.slug, 0),
    }


def _session(item: Mapping[str, Any], references: set[str]) -> dict[str, Any]:
    """An agenda entry naming only the ``references`` the caller is shown."""
    session = dict(item)
    if "references" in session:
        session["references"] = [name for name in session["references"] if name in references]
    return session


def _programme(
    conference: Conference, counts: Mapping[str, Mapping[str, int]], references: set[str]
) -> list[dict[str, Any]]:
    sessions: dict[Any, list[dict[str, Any]]] = {}
    for item in conference.agenda:
        session = _session(item, references)
        session["themes"] = [theme.slug for theme in conference.themes_of_session(item["id"])]
        session["dataset_count"] = counts.get("session", {}).get(item["id"], 0)
        sessions.setdefault(item.get("day"), []).append(session)
    return [dict(day, sessions=sessions.get(day.get("day"), [])) for day in conference.days]


def reference_entries(context: Context, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The active reference entries among ``names`` the caller may read, by name.

    One search (a page per ``rows_max`` entries) instead of a ``package_show``
    per name; a search holds only active entries, private ones for those who
    may read them.
    """
    found: dict[str, dict[str, Any]] = {}
    fq = f"+dataset_type:{REFERENCE_TYPE} +name:(" + " OR ".join(map(quote_term, names)) + ")"
    while True:
        page = tk.get_action("package_search")(
            as_caller(context),
            {"fq": fq, "rows": len(names), "start": len(found), "include_private": True},
        )
        found.update((entry["name"], entry) for entry in page["results"])
        if not page["results"] or len(found) >= page["count"]:
            return found


def _references(context: Context, conference: Conference) -> list[dict[str, Any]]:
    if not conference.references:
        return []
    fq = "vocab_odconf_references:(" + " OR ".join(map(quote_term, conference.references)) + ")"
    _total, counts = _counts(context, fq, ["vocab_odconf_references"])
    entries = reference_entries(context, conference.references)
    references = []
    for name in conference.references:
        entry = entries.get(name)
        if entry is None:
            continue  # private to others, a draft or deleted: not shown
        summary = {field: entry.get(field) for field in REFERENCE_SUMMARY_FIELDS}
        organization = entry.get("organization") or {}
        summary["publisher"] = {"name": organization.get("name"), "title": organization.get("title")}
        summary["sessions"] = [
            item["id"] for item in conference.agenda if name in (item.get("references") or [])
        ]
        summary["dataset_count"] = counts.get("vocab_odconf_references", {}).get(name, 0)
        references.append(summary)
    return references


def _organisations(names: list[str]) -> list[dict[str, Any]]:
    titles = organisation_titles(names)
    return [{"name": name, "title": titles[name]} for name in names if name in titles]


@tk.side_effect_free
def odconf_conference_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """List the conference editions, newest first.

    Takes no parameters (any given are ignored).

    :returns: one summary per edition: ``edition`` (its name), ``title``,
        ``title_translated`` (English and Khmer), ``tagline``, ``start_date``,
        ``end_date``, ``time_zone``, ``venue`` and ``dataset_count`` (entries
        linked to the edition that the caller may see)
    :rtype: list of dictionaries
    """
    tk.check_access("odconf_conference_list", context, data_dict)
    names = tk.get_action("group_list")(as_caller(context), {"type": CONFERENCE_TYPE})
    editions = []
    for name in names:
        group = conference_group(context, name)
        count, _facets = _counts(context, "conference:" + quote_term(name), [])
        editions.append(
            dict(
                {"edition": name},
                **{field: group.get(field) for field in (
                    "title", "title_translated", "tagline", "start_date", "end_date",
                    "time_zone", "venue")},
                dataset_count=count,
            )
        )
    return sorted(editions, key=lambda edition: edition.get("start_date") or "", reverse=True)


@tk.side_effect_free
def odconf_conference_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Show a conference edition: its programme, themes, references and hackathon.

    :param id: the edition's name (e.g. ``nodc-2024``) or id
    :type id: string

    :raises ValidationError: if ``id`` is missing or empty, a list, a mapping
        or a boolean (a number is read as text), or text that cannot be
        stored (a NUL character, an unpaired surrogate, too long)
    :raises ObjectNotFound: if no conference edition has that name or id

    :returns: a dictionary with

        - ``edition`` (name), ``id``, ``title``, ``title_translated``,
          ``tagline``, ``description``, ``description_translated``,
          ``start_date``, ``end_date``, ``time_zone``, ``venue``,
          ``funders``, ``contact``;
        - ``organisers``: list of ``{name, title}`` organisations;
        - ``programme``: the days (``day``, ``date``, ``summary``), each with its
          ``sessions`` in order (``id``, ``day``, ``start``, ``end``, ``kind``,
          ``title``, ``description``, ``organisations``, ``presenters``,
          ``tbc``, ``references``, ``themes`` discussed in it, and its
          ``dataset_count``);
        - ``themes``: the themes and rooms (``slug``, ``kind`` ``theme`` or
          ``room``, ``number``, ``title``, ``description``, ``session``,
          ``topics_announced``, ``topics`` each with its ``dataset_count``,
          and the theme's ``dataset_count``);
        - ``references``: the referenced publications (``name``, ``title``,
          ``title_translated``, ``publisher``, ``contributors``,
          ``publication_date``, ``document_kind``, ``language``, ``url``,
          ``link_status``, the ``sessions`` that present them and the
          ``dataset_count`` of entries referring to them);
        - ``hackathon``: ``committee``, ``description``, ``awarded_teams``, its
          ``sessions`` and ``project_count`` (its hackathon projects);
        - ``dataset_count``: entries linked to the edition.

        Counts include only what the caller may see.
    :rtype: dictionary
    """
    # validated before the access check, which looks the edition up
    data_dict = schema.validate(data_dict, schema.id_schema(), context)
    tk.check_access("odconf_conference_show", context, data_dict)
    group = conference_group(context, data_dict["id"])
    conference = Conference.from_dict(group)
    total, counts = _counts(
        context, "conference:" + quote_term(conference.name),
        ["theme", "topic", "session", "dataset_type"],
    )
    hackathon_sessions = conference.hackathon_sessions()
    references = _references(context, conference)
    shown = {reference["name"] for reference in references}
    result: dict[str, Any] = {"edition": conference.name}
    result.update({field: group.get(field) for field in EDITION_FIELDS})
    result.update(
        organisers=_organisations(group.get("organisers") or []),
        programme=_programme(conference, counts, shown),
        themes=[_theme_dict(theme, counts) for theme in conference.themes],
        references=references,
        hackathon=dict(
            conference.hackathon,
            sessions=[_session(session, shown) for session in hackathon_sessions],
            project_count=counts.get("dataset_type", {}).get(PROJECT_TYPE, 0),
        ),
        dataset_count=total,
    )
    return result


@tk.side_effect_free
def odconf_theme_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Show one theme (or room) of a conference with its topics and datasets.

    :param conference: the edition's name (e.g. ``nodc-2024``) or id
    :type conference: string
    :param theme: the theme's slug (e.g. ``education``)
    :type theme: string
    :param rows: how many datasets to return (optional, default 20, at most
        the site's ``ckan.search.rows_max``, 1000 unless configured)
    :type rows: int
    :param start: offset of the first dataset returned (optional, default 0)
    :type start: int

    :raises ValidationError: if ``conference`` or ``theme`` is missing or
        empty, not text (a number is read as text) or text that cannot be
        stored (a NUL character, an unpaired surrogate, too long), or if
        ``rows`` or ``start`` is not a whole number from 0 to 2147483647
    :raises ObjectNotFound: if the edition or the theme does not exist

    :returns: the theme: ``conference`` (edition name), ``conference_title``
        (English and Khmer), ``slug``, ``kind``,
        ``number``, ``title``, ``description``, ``session`` (the agenda entry
        where it is discussed), ``topics_announced``, ``topics`` each with its
        ``dataset_count``, ``dataset_count`` and ``datasets`` (the entries of
        the theme the caller may see, as ``package_search`` returns them)
    :rtype: dictionary
    """
    # validated before the access check, which looks the edition up
    data_dict = schema.validate(data_dict, schema.theme_show_schema(), context)
    tk.check_access("odconf_theme_show", context, data_dict)
    slug = data_dict["theme"]
    conference = Conference.from_dict(conference_group(context, data_dict["conference"]))
    theme = conference.theme(slug)
    if theme is None:
        raise tk.ObjectNotFound(
            tk._('Unknown theme "{value}" for conference "{conference}". '
                 "Allowed themes: {allowed}").format(
                value=slug, conference=conference.name,
                allowed=allowed(theme.slug for theme in conference.themes))
        )
    found = tk.get_action("package_search")(
        as_caller(context),
        {"fq": f"conference:{quote_term(conference.name)} theme:{quote_term(theme.slug)}",
         "rows": data_dict["rows"], "start": data_dict["start"], "include_private": True,
         "facet.field": ["theme", "topic"], "facet.limit": -1, "facet.mincount": 1,
         "sort": "title_string asc"},
    )
    result = _theme_dict(theme, _facet_counts(found))
    result.update(
        conference=conference.name,
        conference_title=dict(conference.title_translated) or {"en": conference.title},
        session=dict(conference.session(theme.session) or {"id": theme.session}),
        dataset_count=found["count"],
        datasets=found["results"],
    )
    return result


@tk.side_effect_free
def odconf_referencing_datasets(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """List the entries that name a reference entry among their references.

    :param id: the reference entry's name or id
    :type id: string
    :param rows: how many entries to return (optional, default 20, at most
        the site's ``ckan.search.rows_max``, 1000 unless configured)
    :type rows: int
    :param start: offset of the first entry returned (optional, default 0)
    :type start: int

    :raises ValidationError: if ``id`` is missing or empty, not text (a
        number is read as text) or text that cannot be stored (a NUL
        character, an unpaired surrogate, too long), or if ``rows`` or
        ``start`` is not a whole number from 0 to 2147483647
    :raises ObjectNotFound: if the reference entry does not exist

    :returns: ``count`` (all such entries the caller may see) and ``results``
        (the entries, as ``package_search`` returns them, by title)
    :rtype: dictionary
    """
    # validated before the access check, which looks the entry up
    data_dict = schema.validate(data_dict, schema.referencing_datasets_schema(), context)
    tk.check_access("odconf_referencing_datasets", context, data_dict)
    reference = tk.get_action("package_show")(as_caller(context), {"id": data_dict["id"]})
    found = tk.get_action("package_search")(
        as_caller(context),
        {"fq": "vocab_odconf_references:" + quote_term(reference["name"]), "rows": data_dict["rows"],
         "start": data_dict["start"], "include_private": True, "sort": "title_string asc"},
    )
    return {"count": found["count"], "results": found["results"]}


def get_actions() -> dict[str, Any]:
    """The actions this extension registers (IActions)."""
    return {
        fn.__name__: fn
        for fn in (
            odconf_conference_list,
            odconf_conference_show,
            odconf_theme_show,
            odconf_referencing_datasets,
        )
    }


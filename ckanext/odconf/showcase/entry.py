"""What an entry's page (a dataset, a reference) shows beyond CKAN's fields.

Template helpers for the dataset and reference pages: where the entry sits in
the conference's programme, its licence, its references and the sessions that
cite a reference. Each asks a fixed number of statements whatever the number
of references or sessions, and lists only what the visitor may read.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import (
    scheming_choices_label, scheming_field_by_name, scheming_field_choices, scheming_get_dataset_schema,
)

from ckanext.odconf.links import helpers as link_helpers
from ckanext.odconf.links.sources import checkable_url
from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.logic.action import reference_entries


def odconf_programme_place(pkg_dict: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    """Where an entry sits in the programme: its ``conference`` (``name``,
    ``title``), and when set and known its ``theme`` (``slug``, ``kind``,
    ``number``, ``title``), ``topic`` (``slug``, ``title``) and ``session``
    (the agenda entry). None when the entry names no active conference."""
    conference = conferences.get_conference(pkg_dict.get("conference") or "")
    if conference is None:
        return None
    theme = conference.theme(pkg_dict.get("theme") or "")
    topic = theme.topic(pkg_dict.get("topic") or "") if theme else None
    session = conference.session(pkg_dict.get("session") or "")
    return {
        "conference": {"name": conference.name,
                       "title": conference.title_translated or conference.title},
        "theme": {"slug": theme.slug, "kind": theme.kind, "number": theme.number,
                  "title": theme.title} if theme else None,
        "topic": {"slug": topic.slug, "title": topic.title} if topic else None,
        "session": dict(session) if session else None,
    }


def odconf_licence(license_id: Optional[str]) -> Optional[dict[str, Any]]:
    """A licence of CKAN's licence register: ``id``, ``title``, ``url`` and
    ``open`` (its ``od_conformance`` or ``osd_conformance`` is approved: the
    Open Definition's or the Open Source Definition's). None when unknown."""
    if not license_id:
        return None
    for licence in tk.get_action("license_list")({}, {}):
        if licence["id"] == license_id:
            open_data = licence.get("od_conformance") == "approved"
            open_source = licence.get("osd_conformance") == "approved"
            return {"id": licence["id"], "title": licence["title"], "url": licence.get("url"),
                    "open": open_data or open_source, "open_data": open_data,
                    "open_source": open_source}
    return None


def odconf_entry_references(pkg_dict: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """An entry's references: ``entries`` (the reference entries it names that
    the visitor may read, in the entry's order) and ``links`` (outside
    addresses, each with its link checker ``status``)."""
    values = [value for value in pkg_dict.get("references") or [] if isinstance(value, str)]
    urls = [value for value in values if checkable_url(value)]
    names = [value for value in values if value not in urls]
    found = reference_entries({"user": _visitor()}, names) if names else {}
    statuses = link_helpers.odconf_link_statuses(pkg_dict, urls)
    return {
        "entries": [found[name] for name in names if name in found],
        "links": [{"url": url, "status": statuses.get(url)} for url in urls],
    }


def odconf_citing_sessions(reference_name: str) -> list[dict[str, Any]]:
    """The sessions of every conference that present a reference entry, as
    ``{"conference": name, "conference_title": ..., "session": agenda entry}``,
    newest conference first."""
    return [
        {"conference": conference.name,
         "conference_title": conference.title_translated or conference.title,
         "session": dict(session)}
        for conference in conferences.all_conferences()
        for session in conference.agenda
        if reference_name in (session.get("references") or [])
    ]


def odconf_choice_label(dataset_type: str, field_name: str, value: Any) -> str:
    """The label, in the page's language, of a choice of a field of a dataset
    type's schema (e.g. a reference's ``document_kind``); the value itself
    when the schema has no such choice."""
    schema = scheming_get_dataset_schema(dataset_type) or {}
    field = scheming_field_by_name(schema.get("dataset_fields") or [], field_name)
    label = scheming_choices_label(scheming_field_choices(field), value) if field else value
    return str(label or "")


def _visitor() -> str:
    user = tk.current_user
    return user.name if user.is_authenticated else ""


def get_helpers() -> dict[str, Callable[..., Any]]:
    """The entry page helpers (ITemplateHelpers)."""
    helpers: list[Callable[..., Any]] = [
        odconf_programme_place, odconf_licence, odconf_entry_references, odconf_citing_sessions,
        odconf_choice_label,
    ]
    return {fn.__name__: fn for fn in helpers}

"""The conference as the rest of the extension sees it.

A conference edition is a CKAN group of type ``conference`` whose agenda,
themes, days and references live in group extras (see
``schemas/conference.yaml``). This module is the one place that turns such a
group into themes, topics and sessions; validators, actions, helpers and the
search integration all ask it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

import ckan.model as model
from sqlalchemy import or_, orm

from ckanext.odconf.logic.values import parse_json

CONFERENCE_TYPE = "conference"
REFERENCE_TYPE = "reference"
#: The session kind of hackathon sessions (``schemas/conference.yaml``).
HACKATHON_KIND = "hackathon"


@dataclass(frozen=True)
class Topic:
    """A topic within a theme."""

    slug: str
    title: Mapping[str, str]
    description: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Theme:
    """A theme or breakout room, discussed in one session of the agenda."""

    slug: str
    kind: str
    title: Mapping[str, str]
    session: str
    number: Optional[int] = None
    description: Mapping[str, str] = field(default_factory=dict)
    topics: tuple[Topic, ...] = ()
    topics_announced: Optional[int] = None

    def topic(self, slug: str) -> Optional[Topic]:
        """The topic of this theme with that slug, if any."""
        return next((topic for topic in self.topics if topic.slug == slug), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Theme":
        """Build a theme from its stored record."""
        return cls(
            slug=data["slug"],
            kind=data.get("kind", "theme"),
            title=data.get("title") or {},
            session=data.get("session", ""),
            number=data.get("number"),
            description=data.get("description") or {},
            topics=tuple(
                Topic(
                    slug=topic["slug"],
                    title=topic.get("title") or {},
                    description=topic.get("description") or {},
                )
                for topic in data.get("topics") or []
            ),
            topics_announced=data.get("topics_announced"),
        )


@dataclass(frozen=True)
class Conference:
    """One conference edition, with its programme parsed."""

    name: str
    id: str
    title: str
    title_translated: Mapping[str, str] = field(default_factory=dict)
    agenda: tuple[Mapping[str, Any], ...] = ()
    themes: tuple[Theme, ...] = ()
    days: tuple[Mapping[str, Any], ...] = ()
    references: tuple[str, ...] = ()
    hackathon: Mapping[str, Any] = field(default_factory=dict)
    #: IANA name of the time zone its times are given in (e.g. ``Asia/Phnom_Penh``)
    time_zone: str = ""
    #: Review state of the programme's translation per language (``{"km": "awaiting-review"}``)
    translation_status: Mapping[str, str] = field(default_factory=dict)
    #: the line that states what the edition is about, per language
    tagline: Mapping[str, str] = field(default_factory=dict)

    def theme(self, slug: str) -> Optional[Theme]:
        """The theme (or room) with that slug, if the conference has it."""
        return next((theme for theme in self.themes if theme.slug == slug), None)

    def theme_of_topic(self, slug: str) -> Optional[Theme]:
        """The theme a topic belongs to (topic slugs are unique per conference)."""
        return next((theme for theme in self.themes if theme.topic(slug)), None)

    def session(self, session_id: str) -> Optional[Mapping[str, Any]]:
        """The agenda entry with that id, if any."""
        return next((item for item in self.agenda if item.get("id") == session_id), None)

    def themes_of_session(self, session_id: str) -> list[Theme]:
        """The themes and rooms discussed in a session."""
        return [theme for theme in self.themes if theme.session == session_id]

    def hackathon_sessions(self) -> list[Mapping[str, Any]]:
        """The sessions of the hackathon schedule, in programme order."""
        return [item for item in self.agenda if item.get("kind") == HACKATHON_KIND]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Conference":
        """Build from a conference group dict (values parsed or still JSON)."""

        def records(name: str) -> list[Any]:
            value = parse_json(data.get(name))
            return value if isinstance(value, list) else []

        hackathon = parse_json(data.get("hackathon"))
        translation_status = parse_json(data.get("translation_status"))
        tagline = parse_json(data.get("tagline"))
        title_translated = parse_json(data.get("title_translated"))
        time_zone = data.get("time_zone")
        return cls(
            name=data["name"],
            id=data.get("id", ""),
            title=data.get("title") or data["name"],
            title_translated=title_translated if isinstance(title_translated, dict) else {},
            agenda=tuple(item for item in records("agenda") if isinstance(item, dict)),
            themes=tuple(
                Theme.from_dict(item)
                for item in records("themes")
                if isinstance(item, dict) and item.get("slug")
            ),
            days=tuple(item for item in records("days") if isinstance(item, dict)),
            references=tuple(str(name) for name in records("references")),
            hackathon=hackathon if isinstance(hackathon, dict) else {},
            time_zone=time_zone if isinstance(time_zone, str) else "",
            translation_status=translation_status if isinstance(translation_status, dict) else {},
            tagline=tagline if isinstance(tagline, dict) else {},
        )


def get_conference(name_or_id: str) -> Optional[Conference]:
    """The active conference with that name or id, read from the database.

    Used by validators, which must see the conference whoever the caller is;
    actions read it through ``group_show`` so that permissions apply.
    """
    if not name_or_id or not isinstance(name_or_id, str):
        return None
    # one statement with its extras, always: through the identity map the
    # extras were read or not depending on what else the request had loaded
    group = (
        model.Session.query(model.Group)
        .options(orm.joinedload(model.Group._extras))
        .filter(or_(model.Group.id == name_or_id, model.Group.name == name_or_id))
        .order_by((model.Group.id == name_or_id).desc())
        .first()
    )
    if group is None or group.type != CONFERENCE_TYPE or group.state != "active":
        return None
    return _conference_of_group(group)


def _conference_of_group(group: model.Group) -> Conference:
    data: dict[str, Any] = dict(group.extras)
    data.update(name=group.name, id=group.id, title=group.title)
    return Conference.from_dict(data)


def conference_names() -> list[str]:
    """Names of the active conferences, newest first by name."""
    query = model.Session.query(model.Group.name).filter(
        model.Group.type == CONFERENCE_TYPE, model.Group.state == "active"
    )
    return sorted((name for (name,) in query), reverse=True)


def all_conferences() -> list[Conference]:
    """Every active conference (for labels of facet values), newest first by
    name, read in one statement whatever their number."""
    groups = (
        model.Session.query(model.Group)
        .options(orm.joinedload(model.Group._extras))
        .filter(model.Group.type == CONFERENCE_TYPE, model.Group.state == "active")
        .order_by(model.Group.name.desc())
    )
    return [_conference_of_group(group) for group in groups]


def organisation_titles(names: Iterable[str]) -> dict[str, str]:
    """The titles of the active organisations among ``names``, by name (one statement)."""
    query = model.Session.query(model.Group.name, model.Group.title).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active",
        model.Group.name.in_(list(names)),
    )
    return {name: title for name, title in query}


def organisation_names() -> set[str]:
    """Names of the active organisations."""
    query = model.Session.query(model.Group.name).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active"
    )
    return {name for (name,) in query}


def reference_names() -> set[str]:
    """Names of the reference entries that are not deleted."""
    query = model.Session.query(model.Package.name).filter(
        model.Package.type == REFERENCE_TYPE, model.Package.state != "deleted"
    )
    return {name for (name,) in query}


def catalogue_names() -> dict[str, set[str]]:
    """Names a programme file may refer to without declaring them, by kind."""
    return {"organization": organisation_names(), REFERENCE_TYPE: reference_names()}

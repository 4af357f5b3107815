"""The submission window: when teams may create and change their projects.

By default the window follows the edition's programme: it opens when the
first hackathon session begins (the expert talks, Day 2 at 09:00 for NODC
2024) and closes when the teams start presenting (the programme's
``hackathon.presentation_session``, the pitch at 14:30), in the edition's
time zone (``Asia/Phnom_Penh``): teams submit what they then present. Without
a presentation session it closes at the end of the last hackathon session.
The options ``odconf.hackathon.submission_opens`` and
``odconf.hackathon.submission_closes`` replace either end for every edition.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Mapping, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ckan.plugins.toolkit as tk

from ckanext.odconf.logic.conference import Conference, get_conference

OPENS_OPTION = "odconf.hackathon.submission_opens"
CLOSES_OPTION = "odconf.hackathon.submission_closes"
BEFORE, OPEN, CLOSED = "before", "open", "closed"
#: Used when an edition names no time zone (the conference's own).
DEFAULT_TIME_ZONE = "Asia/Phnom_Penh"


@dataclass(frozen=True)
class SubmissionWindow:
    """When an edition's teams may create and change their projects."""

    opens: datetime.datetime
    closes: datetime.datetime
    time_zone: str

    def state(self, now: Optional[datetime.datetime] = None) -> str:
        """``before``, ``open`` or ``closed`` at ``now`` (the present by default)."""
        now = now or datetime.datetime.now(datetime.timezone.utc)
        if now < self.opens:
            return BEFORE
        return OPEN if now < self.closes else CLOSED

    def shown(self, moment: datetime.datetime) -> str:
        """A moment of the window in the edition's time zone, for messages."""
        local = moment.astimezone(_zone(self.time_zone))
        return f"{local:%Y-%m-%d %H:%M} ({self.time_zone})"

    def as_dict(self) -> dict[str, Any]:
        """The window for API answers and templates."""
        return {"opens": self.opens.isoformat(), "closes": self.closes.isoformat(),
                "time_zone": self.time_zone, "state": self.state(),
                "opens_shown": self.shown(self.opens), "closes_shown": self.shown(self.closes)}


class WindowOptionError(ValueError):
    """A window option that is not a date and time."""


def _zone(name: str) -> datetime.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def _session_time(
    conference: Conference, session: Optional[Mapping[str, Any]], end: str
) -> Optional[datetime.datetime]:
    """When a session of the agenda starts (``end="start"``) or ends, in its
    edition's time zone."""
    if not session or not isinstance(session.get(end), str):
        return None
    day = next((item for item in conference.days if item.get("day") == session.get("day")), None)
    try:
        date = datetime.date.fromisoformat(str((day or {}).get("date")))
        time = datetime.time.fromisoformat(session[end])
    except ValueError:
        return None
    return datetime.datetime.combine(date, time, _zone(conference.time_zone or DEFAULT_TIME_ZONE))


def programme_window(conference: Conference) -> tuple[Optional[datetime.datetime], Optional[datetime.datetime]]:
    """The window an edition's programme implies (see the module), or Nones."""
    sessions = conference.hackathon_sessions()
    if not sessions:
        return None, None
    presentation = conference.session(conference.hackathon.get("presentation_session") or "")
    closes = (_session_time(conference, presentation, "start") if presentation
              else _session_time(conference, sessions[-1], "end"))
    return _session_time(conference, sessions[0], "start"), closes


def _option(name: str, time_zone: str, config: Any = None) -> Optional[datetime.datetime]:
    """A window option as an aware date and time (a naive one is in the
    edition's time zone), or None when it is not set."""
    value = (tk.config if config is None else config).get(name)
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise WindowOptionError(
            f"{name} = {value!r} is not a date and time such as 2024-03-27T09:00:00+07:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=_zone(time_zone))


def check_options(config: Any) -> None:
    """Raise :class:`WindowOptionError` when a window option is set to
    something other than a date and time."""
    for name in (OPENS_OPTION, CLOSES_OPTION):
        _option(name, DEFAULT_TIME_ZONE, config)


def submission_window(conference_name: Any) -> Optional[SubmissionWindow]:
    """The submission window of an edition, or None when neither the options
    nor the programme say when it is (then only the committee writes)."""
    conference = get_conference(conference_name) if isinstance(conference_name, str) else None
    if conference is None:
        return None
    time_zone = conference.time_zone or DEFAULT_TIME_ZONE
    opens, closes = programme_window(conference)
    opens = _option(OPENS_OPTION, time_zone) or opens
    closes = _option(CLOSES_OPTION, time_zone) or closes
    if opens is None or closes is None:
        return None
    return SubmissionWindow(opens, closes, time_zone)


def refusal(window: Optional[SubmissionWindow]) -> Optional[str]:
    """Why a team may not write now (translated), or None while the window is open."""
    if window is None:
        return tk._("This hackathon has no submission window: only the hackathon "
                    "committee can create or change its projects")
    state = window.state()
    if state == BEFORE:
        return tk._("The submission window opens at {opens}: teams can create and "
                    "change projects from then until {closes}").format(
            opens=window.shown(window.opens), closes=window.shown(window.closes))
    if state == CLOSED:
        return tk._("The submission window closed at {closes}: only the hackathon "
                    "committee can change projects now").format(closes=window.shown(window.closes))
    return None

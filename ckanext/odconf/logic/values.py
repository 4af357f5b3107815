"""Rules for single values, shared by every check of the catalogue.

The nested-field checker (:mod:`nested_fields`), the validators of the
schemas and the programme loader all apply these, so that one value is held
to one rule wherever it is given.
"""
from __future__ import annotations

import datetime
import json
import re
import zoneinfo
from typing import Any, Iterable, Optional

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?$")
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?$")

#: How many allowed values a message lists before it says "and N more".
MAX_LISTED = 40

#: How many characters of a given value a message repeats: an error must not
#: answer a small request with a large response.
MAX_SHOWN = 100


def shown(value: Any) -> str:
    """``value`` as text for a message, cut to :data:`MAX_SHOWN` characters."""
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def format_path(path: Iterable[Any]) -> str:
    """Render ``("agenda", 3, "end")`` as ``agenda[3].end``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{shown(part)}" if text else shown(part)
    return text


def allowed(values: Iterable[Any]) -> str:
    """List allowed values for a message, shortened when there are many."""
    shown = [str(value) for value in values]
    if not shown:
        return "(none)"
    if len(shown) > MAX_LISTED:
        rest = len(shown) - MAX_LISTED
        return ", ".join(shown[:MAX_LISTED]) + f" and {rest} more"
    return ", ".join(shown)


def is_empty(value: Any) -> bool:
    """Missing, blank text, or an empty list or mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def parse_json(value: Any) -> Any:
    """Decode a JSON string as stored in an extra; other values pass through."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def is_time_zone(value: Any) -> bool:
    """An IANA time zone name, such as ``Asia/Phnom_Penh``."""
    return isinstance(value, str) and value in zoneinfo.available_timezones()


def normalise_partial_date(value: Any) -> Optional[str]:
    """``2016``, ``2020-05`` or ``2020-05-31`` (or a date) as an ISO string."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not PARTIAL_DATE.match(value.strip()):
        return None
    value = value.strip()
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value

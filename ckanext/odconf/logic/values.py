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
from typing import Any, Collection, Iterable, Mapping, Optional, Sequence

import ckan.plugins.toolkit as tk

from ckanext.odconf.programme.format import MAX_DEPTH, nesting_depth

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?$")
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?$")

#: Characters of any one text of a catalogue entry (a Markdown description
#: included): beyond this it is not a description but an attack on the index.
MAX_TEXT = 100_000

#: UTF-8 bytes of a text stored in a column with a btree index (a dataset's
#: title, name, url): PostgreSQL refuses index entries over 2,704 bytes.
MAX_INDEXED_BYTES = 2_000

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
        return tk._("(none)")
    if len(shown) > MAX_LISTED:
        return tk._("{listed} and {rest} more").format(
            listed=", ".join(shown[:MAX_LISTED]), rest=len(shown) - MAX_LISTED)
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


def time_zone_problem(value: Any) -> Optional[str]:
    """Why ``value`` is not a time zone name, or None when it is one."""
    if is_time_zone(value):
        return None
    return tk._('Unknown time zone "{value}", e.g. Asia/Phnom_Penh').format(value=shown(value))


def partial_date_problem(value: Any) -> str:
    """The message for a value that :func:`normalise_partial_date` refuses."""
    return tk._('"{value}" is not a date: use YYYY, YYYY-MM or YYYY-MM-DD').format(
        value=shown(value))


def language_problem(language: Any, languages: Collection[str]) -> str:
    """The message for a translation in a language that is not offered."""
    return tk._('Unknown language "{language}". Allowed languages: {allowed}').format(
        language=shown(language), allowed=allowed(languages))


def character_problem(value: str) -> Optional[str]:
    """Why ``value`` holds a character no text can keep, as a message, or None.

    PostgreSQL refuses NUL characters, and an unpaired surrogate has no UTF-8
    form: either ends in a 500 wherever it reaches the database.
    """
    if "\x00" in value:
        return tk._("Contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return tk._("Contains an unpaired surrogate, which is not a character")
    return None


def text_problem(value: str, max_bytes: Optional[int] = None) -> Optional[str]:
    """Why ``value`` cannot be stored, as a message for its field, or None.

    PostgreSQL refuses NUL characters and unpaired surrogates (500 instead of
    an answer); texts are bounded in length, to ``max_bytes`` of UTF-8 where
    they go into an index; JSON or YAML in a text must not nest deeper than
    parsers can follow.
    """
    problem = character_problem(value)
    if problem:
        return problem
    size = len(value.encode("utf-8"))
    if len(value) > MAX_TEXT:
        return tk._("Too long: {length} characters, at most {limit}").format(
            length=len(value), limit=MAX_TEXT)
    if max_bytes is not None and size > max_bytes:
        return tk._("Too long: {length} bytes in UTF-8, at most {limit} "
                    "(a Khmer letter takes 3 bytes)").format(length=size, limit=max_bytes)
    if value.lstrip()[:1] in ("[", "{") and nesting_depth(value) > MAX_DEPTH:
        return tk._("Nested deeper than {limit} levels").format(limit=MAX_DEPTH)
    return None


def not_text(value: Any) -> str:
    """The message for a value given where text is expected, naming its kind."""
    if isinstance(value, bool):
        kind = tk._("true or false")
    elif isinstance(value, (int, float)):
        kind = tk._("a number")
    elif isinstance(value, dict):
        kind = tk._("a mapping")
    elif isinstance(value, list):
        kind = tk._("a list")
    elif value is None:
        kind = tk._("null")
    else:
        kind = type(value).__name__
    return tk._("Expected text, not {kind}").format(kind=kind)


def read_translated_text(
    value: Mapping[Any, Any], languages: Sequence[str], required: bool,
    max_bytes: Optional[int] = None,
) -> tuple[dict[str, str], list[tuple[Any, str]]]:
    """The texts of a translated field, kept stripped and non-empty, and the
    problems found, each with the language it is about.

    :param languages: the languages offered; with ``required`` the first one
        must have a text
    :param max_bytes: see :func:`text_problem`
    """
    translations: dict[str, str] = {}
    problems: list[tuple[Any, str]] = []
    for language, text in value.items():
        if language not in languages:
            problems.append((language, language_problem(language, languages)))
        elif not isinstance(text, str):
            problems.append((language, tk._('The "{language}" text must be a string').format(
                language=language)))
        elif problem := text_problem(text, max_bytes):
            problems.append((language, f"{language}: {problem}"))
        elif text.strip():
            translations[language] = text.strip()
    if required and languages and languages[0] not in translations:
        problems.append((languages[0], tk._('Missing value in "{language}"').format(
            language=languages[0])))
    return translations, problems

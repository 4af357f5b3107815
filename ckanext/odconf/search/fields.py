"""The field types of CKAN 2.11's stock Solr schema (ckan/config/solr/schema.xml).

The embedded backend treats a document exactly as that schema would: which
fields are analysed text, which are exact strings, dates or numbers, which are
multi-valued and which are stored (returned by ``fl``). Keeping this table
faithful is what lets the same catalogue run on Solr and on the embedded search.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any, Optional

from dateutil.parser import ParserError, parse as parse_date

TEXT = "text"  # analysed and stemmed
TEXT_GENERAL = "text_general"  # analysed, not stemmed
STRING = "string"
INT = "int"
DATE = "date"


@dataclasses.dataclass(frozen=True)
class Field:
    """How one field of the stock schema is indexed."""

    type: str
    multi: bool = False
    stored: bool = True
    indexed: bool = True

    @property
    def is_text(self) -> bool:
        return self.type in (TEXT, TEXT_GENERAL)


_S = Field(STRING)
_S_MULTI = Field(STRING, multi=True)
_TEXT_NOT_STORED = Field(TEXT, multi=True, stored=False)

EXPLICIT: dict[str, Field] = {
    "index_id": _S, "id": _S, "site_id": _S, "entity_type": _S,
    "dataset_type": _S, "state": _S, "name": _S, "revision_id": _S,
    "version": _S, "url": _S, "ckan_url": _S, "download_url": _S,
    "license": _S, "license_id": _S, "organization": _S, "capacity": _S,
    "title": Field(TEXT), "notes": Field(TEXT),
    "title_ngram": Field(TEXT), "name_ngram": Field(TEXT),
    "author": Field(TEXT_GENERAL), "author_email": Field(TEXT_GENERAL),
    "maintainer": Field(TEXT_GENERAL), "maintainer_email": Field(TEXT_GENERAL),
    "tags": _S_MULTI, "groups": _S_MULTI,
    "permission_labels": Field(STRING, multi=True, stored=False),
    "res_name": Field(TEXT_GENERAL, multi=True),
    "res_description": Field(TEXT_GENERAL, multi=True),
    "res_format": _S_MULTI, "res_url": _S_MULTI, "res_type": _S_MULTI,
    "text": _TEXT_NOT_STORED, "urls": _TEXT_NOT_STORED,
    "depends_on": _TEXT_NOT_STORED, "dependency_of": _TEXT_NOT_STORED,
    "derives_from": _TEXT_NOT_STORED, "has_derivation": _TEXT_NOT_STORED,
    "links_to": _TEXT_NOT_STORED, "linked_from": _TEXT_NOT_STORED,
    "child_of": _TEXT_NOT_STORED, "parent_of": _TEXT_NOT_STORED,
    "views_total": Field(INT, stored=False),
    "views_recent": Field(INT, stored=False),
    "resources_accessed_total": Field(INT, stored=False),
    "resources_accessed_recent": Field(INT, stored=False),
    "metadata_created": Field(DATE), "metadata_modified": Field(DATE),
    "indexed_ts": Field(DATE),
    "title_string": Field(STRING, stored=False),
    "data_dict": Field(STRING, indexed=False),
    "validated_data_dict": Field(STRING, indexed=False),
    "_version_": _S,
}

# Fields CKAN filters, sorts and facets on in nearly every search get a typed
# column of their own (as Solr keeps docValues), so those searches decode no
# JSON per document. name -> multi-valued. Every other field lives in JSONB.
COLUMNS: dict[str, bool] = {
    "index_id": False, "id": False, "site_id": False, "state": False, "capacity": False, "dataset_type": False,
    "name": False, "organization": False, "license_id": False,
    "metadata_created": False, "metadata_modified": False, "title_string": False,
    "permission_labels": True, "groups": True, "tags": True, "res_format": True,
}

# ``odconf_search.facet_count`` (migration 5d7a2c9e1b36) counts the documents
# of every combination of the DIMENSIONS values under each value of the
# COUNTED facet fields (CKAN's default facets): a search whose conditions read
# only DIMENSIONS takes its numbers from there.
DIMENSIONS = frozenset({"site_id", "state", "capacity", "dataset_type", "permission_labels"})
COUNTED = frozenset({"organization", "license_id", "groups", "tags", "res_format"})

# The schema's copyField rules into the catch-all ``text`` field.
TEXT_SOURCES = (
    "urls", "name", "title", "text", "license", "notes", "tags", "groups",
    "organization", "res_name", "res_description", "maintainer", "author",
)
TEXT_SOURCE_PREFIXES = ("extras_", "res_extras_", "vocab_")
URL_SOURCES = ("url", "ckan_url", "download_url", "res_url")


def field(name: str) -> Field:
    """Return how ``name`` is indexed, following the schema's dynamic fields."""
    if name in EXPLICIT:
        return EXPLICIT[name]
    if name.endswith("_date"):
        return Field(DATE)
    if name.startswith("extras_"):
        return Field(TEXT)
    if name.startswith("res_extras_"):
        return Field(TEXT, multi=True)
    if name.startswith("vocab_"):
        return _S_MULTI
    return Field(STRING, stored=False)


def feeds_text(name: str) -> bool:
    """True when the schema copies field ``name`` into the ``text`` field."""
    return name in TEXT_SOURCES or name.startswith(TEXT_SOURCE_PREFIXES)


_DATE_MATH = re.compile(
    r"^NOW(?P<ops>(?:[+-]\d+(?:YEARS?|MONTHS?|DAYS?|HOURS?|MINUTES?|SECONDS?)|/"
    r"(?:YEAR|MONTH|DAY|HOUR|MINUTE|SECOND))*)$"
)
_DATE_OP = re.compile(r"([+-])(\d+)([A-Z]+?)S?(?=[+-/]|$)|/([A-Z]+)")


def _apply_date_math(ops: str, now: datetime.datetime) -> datetime.datetime:
    from dateutil.relativedelta import relativedelta

    value = now
    for sign, amount, unit, round_unit in _DATE_OP.findall(ops):
        if round_unit:
            parts = ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND")
            keep = parts.index(round_unit)
            value = value.replace(
                month=value.month if keep >= 1 else 1,
                day=value.day if keep >= 2 else 1,
                hour=value.hour if keep >= 3 else 0,
                minute=value.minute if keep >= 4 else 0,
                second=value.second if keep >= 5 else 0,
                microsecond=0,
            )
        else:
            delta = relativedelta(**{unit.lower() + "s": int(amount)})  # type: ignore[arg-type]
            value = value + delta if sign == "+" else value - delta
    return value


def parse_solr_date(value: str) -> Optional[datetime.datetime]:
    """Parse a date as Solr accepts it (ISO 8601 or ``NOW`` date math), in UTC."""
    value = value.strip()
    match = _DATE_MATH.match(value)
    if match:
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        try:
            return _apply_date_math(match.group("ops"), now)
        except (OverflowError, ValueError):
            # beyond the years 1 to 9999 that dates have here
            return None
    try:
        parsed = parse_date(value)
    except (ParserError, ValueError, OverflowError):
        return None
    if parsed.tzinfo:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed


def sortable_date(value: datetime.datetime) -> str:
    """Fixed-width UTC form, so that dates compare and sort as strings."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)


def solr_date(value: datetime.datetime) -> str:
    """The form Solr returns a stored date in (milliseconds, trailing zeros dropped)."""
    millis = "%03d" % (value.microsecond // 1000)
    millis = millis.rstrip("0")
    return value.strftime("%Y-%m-%dT%H:%M:%S") + ("." + millis if millis else "") + "Z"


def as_values(value: Any) -> list[Any]:
    """The list of values a document field holds (None and empties dropped)."""
    values = value if isinstance(value, (list, tuple, set)) else [value]
    return [v for v in values if v is not None and v != []]


def as_string(value: Any) -> str:
    """The string Solr indexes for a scalar value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return solr_date(value)
    return str(value)

"""Turn the document CKAN sends to Solr into the rows of the embedded index.

The document is taken as CKAN's ``PackageSearchIndex.index_package`` hands it
to Solr: after every plugin's ``before_dataset_index`` and with the
``permission_labels``. Like Solr with the stock schema, a document that the
schema would refuse (a list in a single-valued field, an invalid date, a
nested object) is refused with a clear message, so a plugin that works on the
embedded search also works on Solr.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import re
from typing import Any

from . import fields as schema
from ckanext.odconf.khmer import khmer_inner_words, segment_khmer


class DocumentError(ValueError):
    """The document would be refused by CKAN's stock Solr schema."""


REQUIRED = ("index_id", "id", "site_id")

# A UTC timestamp without offset, with at most microseconds.
_UTC_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z?\Z")

# Which tsvector weight each text source gets (see sql.RANK_WEIGHTS).
_WEIGHT_OF = {"title": "a", "name": "b", "tags": "b", "groups": "b", "notes": "c"}


@dataclasses.dataclass
class Row:
    """One row of ``odconf_search.document``."""

    doc: str  # JSON of the stored fields, as Solr returns them
    fields: str  # JSON of the other indexed non-text fields: {name: [string, ...]}
    columns: dict[str, Any]  # values of schema.COLUMNS: a string, or a list for multi-valued
    text_a: str
    text_b: str
    text_c: str
    text_d: str

    def params(self) -> dict[str, Any]:
        # Shallow: dataclasses.asdict would deep-copy every list.
        return dict(self.columns, doc=self.doc, fields=self.fields, text_a=self.text_a,
                    text_b=self.text_b, text_c=self.text_c, text_d=self.text_d)


def to_row(document: dict[str, Any]) -> Row:
    """Validate ``document`` against the stock schema and build its row."""
    missing = [name for name in REQUIRED if document.get(name) in (None, "")]
    if missing:
        raise DocumentError(
            "[doc=%s] missing required field: %s" % (document.get("index_id"), ", ".join(missing)))
    stored: dict[str, Any] = {}
    indexed: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {"a": [], "b": [], "c": [], "d": []}
    for name, value in document.items():
        values = schema.as_values(value)
        if not values:
            continue
        info = schema.field(name)
        for item in values:
            if isinstance(item, (dict, list, tuple)):
                raise DocumentError(
                    f"field {name!r}: a nested value ({type(item).__name__}) cannot be indexed;"
                    " serialise it (e.g. json.dumps) in before_dataset_index")
        if not info.multi and len(values) > 1:
            raise DocumentError(
                f"multiple values encountered for non multiValued field {name}: {values!r}"
                " (multi-valued fields need a vocab_ prefix in CKAN's stock schema)")
        if info.type == schema.DATE:
            dates = [_parse_date(name, item) for item in values]
            if info.stored:
                stored_dates = [schema.solr_date(d) for d in dates]
                stored[name] = stored_dates if info.multi else stored_dates[0]
            indexed[name] = [schema.sortable_date(d) for d in dates]
            continue
        strings = [schema.as_string(item) for item in values]
        if info.stored:
            if info.type == schema.INT:
                shown: list[Any] = [_as_int(name, s) for s in strings]
            else:
                shown = strings
            stored[name] = shown if info.multi else shown[0]
        if not info.indexed:
            continue
        # Solr matches and counts a document once per value, however often
        # the value repeats (two CSV resources count once under CSV).
        if info.type == schema.INT:
            indexed[name] = list(dict.fromkeys(str(_as_int(name, s)) for s in strings))
        elif not info.is_text or (not info.stored and name != "text"):
            # Unstored text (urls, relationships) is kept for field queries;
            # ``text`` itself lives only in the tsvector.
            indexed[name] = list(dict.fromkeys(strings))
        if schema.feeds_text(name) or name in schema.URL_SOURCES:
            texts[_WEIGHT_OF.get(name, "d")].extend(strings)
    columns = {name: indexed.pop(name, []) if multi else indexed.pop(name, [None])[0]
               for name, multi in schema.COLUMNS.items()}
    joined = {weight: "\n".join(parts) for weight, parts in texts.items()}
    analysed = {f"text_{weight}": segment_khmer(text) for weight, text in joined.items()}
    # The words inside Khmer compounds are found, but rank as the rest of
    # the text does (weight D), below a whole word of the title.
    inner = khmer_inner_words("\n".join(joined.values()))
    if inner:
        analysed["text_d"] = f"{analysed['text_d']}\n{inner}"
    return Row(doc=json.dumps(stored), fields=json.dumps(indexed), columns=columns, **analysed)


def _parse_date(name: str, value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str) and _UTC_TIMESTAMP.match(value):
        # The form CKAN sends (metadata_created ...): 200 times faster than
        # the general parser, same result.
        try:
            return datetime.datetime.fromisoformat(value.rstrip("Z"))
        except ValueError:
            pass
    parsed = schema.parse_solr_date(str(value)) if str(value).strip() else None
    if parsed is None:
        raise DocumentError(f"Invalid Date String for field {name}: {value!r}")
    return parsed


def _as_int(name: str, value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise DocumentError(f"field {name}: {value!r} is not a number")

"""SQL of the embedded index: the ``odconf_search.document`` table.

Every statement runs on CKAN's own SQLAlchemy session, so an index write
belongs to the same database transaction as the change it reflects: when
the action commits, both are committed; when either fails, neither is.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
from typing import Any, Iterator, Optional, Sequence

import pysolr
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from . import fields as schema
from .documents import Row

SCHEMA = "odconf_search"
TABLE = f"{SCHEMA}.document"

_COLUMNS = list(schema.COLUMNS)
# Values of one row, in this order, in the VALUES list of an upsert.
_VALUES = ["doc", "fields", "text_a", "text_b", "text_c", "text_d"] + _COLUMNS
_CAST = dict({"doc": "jsonb", "fields": "jsonb"},
             **{name: "text[]" if multi else "text" for name, multi in schema.COLUMNS.items()})
# Documents written together at most, in one statement.
BATCH_ROWS = 200


@functools.lru_cache(maxsize=8)
def _upsert(count: int) -> TextClause:
    """Insert or replace ``count`` documents in one statement."""
    values = ", ".join(
        "(" + ", ".join(f":{name}_{i}" for name in _VALUES) + ")" for i in range(count))
    return text(f"""
    INSERT INTO {TABLE} (doc, fields, tsv, tsv_head, seq, indexed_at, {", ".join(_COLUMNS)})
    SELECT CAST(v.doc AS jsonb), CAST(v.fields AS jsonb),
           analysed.head || setweight(to_tsvector(CAST(:config AS regconfig), CAST(v.text_c AS text)), 'C')
                         || setweight(to_tsvector(CAST(:config AS regconfig), CAST(v.text_d AS text)), 'D'),
           analysed.head, nextval('{SCHEMA}.document_seq'), now(),
           {", ".join(f"CAST(v.{name} AS {_CAST[name]})" for name in _COLUMNS)}
    FROM (VALUES {values}) AS v({", ".join(_VALUES)})
    CROSS JOIN LATERAL (
        SELECT setweight(to_tsvector(CAST(:config AS regconfig), CAST(v.text_a AS text)), 'A')
               || setweight(to_tsvector(CAST(:config AS regconfig), CAST(v.text_b AS text)), 'B') AS head
    ) analysed
    ON CONFLICT (index_id) DO UPDATE SET
        doc = EXCLUDED.doc, fields = EXCLUDED.fields, tsv = EXCLUDED.tsv,
        tsv_head = EXCLUDED.tsv_head, seq = EXCLUDED.seq, indexed_at = EXCLUDED.indexed_at,
        {", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS if name != "index_id")}
""")


def write(session: Session, rows: Sequence[Row], text_config: str) -> None:
    """Insert or replace the given documents (keyed by ``index_id``), many per statement."""
    # A statement may change a row once only: a document given twice keeps
    # its last version, in the place of its last write (as separate writes do).
    unique: dict[str, Row] = {}
    for row in rows:
        unique.pop(row.columns["index_id"], None)
        unique[row.columns["index_id"]] = row
    ordered = list(unique.values())
    for start in range(0, len(ordered), BATCH_ROWS):
        chunk = ordered[start:start + BATCH_ROWS]
        params: dict[str, Any] = {"config": text_config}
        for i, row in enumerate(chunk):
            params.update((f"{name}_{i}", value) for name, value in row.params().items())
        session.execute(_upsert(len(chunk)), params)


_batch: contextvars.ContextVar[Optional[list[Row]]] = contextvars.ContextVar(
    "odconf_search_batch", default=None)


@contextlib.contextmanager
def batch(session: Session, text_config: str) -> Iterator[None]:
    """Collect the documents indexed in the block and write them together at its end.

    For bulk indexing that nothing reads until it commits (``odconf-search
    rebuild``): one statement per ``BATCH_ROWS`` documents instead of one
    each. If the block fails, nothing of it is written.
    """
    rows: list[Row] = []
    token = _batch.set(rows)
    try:
        yield
    finally:
        _batch.reset(token)
    try:
        write(session, rows, text_config)
    except SQLAlchemyError as error:
        ends = f"{rows[0].columns['index_id']} to {rows[-1].columns['index_id']}"
        raise pysolr.SolrError(
            f"ERROR: the index could not be written; none of the {len(rows)} documents written"
            f" together ({ends}) was: {getattr(error, 'orig', None) or error}") from error


def collect(rows: Sequence[Row]) -> bool:
    """Add ``rows`` to the batch under way, if any; False when there is none."""
    collected = _batch.get()
    if collected is None:
        return False
    collected.extend(rows)
    return True


def delete(session: Session, where: str, params: dict[str, Any]) -> int:
    """Delete the documents matching a compiled condition; return how many."""
    result = session.execute(text(f"DELETE FROM {TABLE} d WHERE {where}"), params)
    return result.rowcount  # type: ignore[attr-defined]  # a DELETE's result is a CursorResult


@dataclasses.dataclass
class Page:
    """What one search returns."""

    hits: int
    docs: list[dict[str, Any]]
    scores: list[float]
    facets: dict[str, list[tuple[str, int]]]


@dataclasses.dataclass
class Query:
    """A compiled search, as ``connection.PostgresConnection.search`` makes it."""

    where: str
    params: dict[str, Any]
    score: str  # SQL ranking a document
    order_by: list[tuple[str, str]]  # (SQL expression or "score", "ASC" or "DESC")
    rows: int
    start: int
    facets: list[tuple[str, str, str]]  # (field, expression, values template): sql.facet_source
    facet_limit: int
    facet_mincount: int
    counted: bool  # hits and facets may be read from odconf_search.facet_count


def search(session: Session, query: Query) -> Page:
    """Run a compiled query: the count, one page of documents, and the facets.

    A query that reads only the columns the facet counts are kept by gets
    its count and facets from ``odconf_search.facet_count`` and visits only
    the documents of its page. Any other query visits its matching documents
    once, for all three.
    """
    params = dict(query.params, _rows=max(query.rows, 0), _start=max(query.start, 0),
                  **{f"_facet{i}": name for i, (name, _, _) in enumerate(query.facets)})
    if query.counted:
        hits, counts = _counted(session, query, params)
        docs: list[tuple[dict[str, Any], float]] = []
        if query.rows > 0 and hits > query.start:
            order = _order(query, [expression for expression, _ in query.order_by], "d.seq")
            docs = [(doc, score) for doc, score in session.execute(text(
                f"SELECT d.doc, {query.score} AS score FROM {TABLE} d WHERE {query.where}"
                f" ORDER BY {order} LIMIT :_rows OFFSET :_start"), params)]
        page = Page(hits=hits, docs=[d for d, _ in docs], scores=[float(s) for _, s in docs],
                    facets=counts)
    else:
        page = _scanned(session, query, params)
    page.facets = {name: _top(values, query.facet_mincount, query.facet_limit)
                   for name, values in page.facets.items()}
    return page


def _order(query: Query, sort_columns: Sequence[str], seq: str) -> str:
    """ORDER BY list, ``sort_columns[i]`` holding the i-th sort expression's value."""
    terms = [f"score {direction}" if expression == "score"
             else f"{sort_columns[i]} {direction} NULLS LAST"
             for i, (expression, direction) in enumerate(query.order_by)]
    return ", ".join(terms + [seq])


def _top(values: list[tuple[str, int]], mincount: int, limit: int) -> list[tuple[str, int]]:
    """A facet's values as Solr lists them: most frequent first, then by value, bytewise."""
    kept = sorted(((value, n) for value, n in values if n >= max(mincount, 1)),
                  key=lambda item: (-item[1], item[0].encode()))
    return kept if limit < 0 else kept[:limit]


def _counted(session: Session, query: Query,
             params: dict[str, Any]) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    names = [name for name, _, _ in query.facets]
    rows = session.execute(text(f"""
        SELECT field, value, sum(n) AS n FROM {SCHEMA}.facet_count d
        WHERE {query.where} AND d.field = ANY(:_counted_fields)
        GROUP BY field, value HAVING sum(n) > 0
    """), dict(params, _counted_fields=[""] + names))
    hits = 0
    counts: dict[str, list[Any]] = {name: [] for name in names}
    for field, value, n in rows:
        if field == "":
            hits = int(n)
        else:
            counts[field].append((value, int(n)))
    return hits, counts


def _scanned(session: Session, query: Query, params: dict[str, Any]) -> Page:
    # One pass over the matching documents: their ranks, sort keys and facet
    # values are kept aside (``m``), then counted, ordered and paged from there.
    kept = ["d.index_id", f"{query.score} AS score", "d.seq AS seq"]
    kept += [f"{expression} AS o{i}" for i, (expression, _) in enumerate(query.order_by)
             if expression != "score"]
    kept += [f"{expression} AS f{i}" for i, (_, expression, _) in enumerate(query.facets)]
    order = _order(query, [f"m.o{i}" for i in range(len(query.order_by))], "m.seq")
    facets = "".join(
        f" UNION ALL SELECT 2, CAST(:_facet{i} AS text), v, count(*), NULL, NULL"
        f" FROM (SELECT {values.format(f'm.f{i}')} AS v FROM m) listed WHERE v IS NOT NULL"
        f" GROUP BY v"
        for i, (_, _, values) in enumerate(query.facets))
    # The page keeps the order of its sorted, limited subquery.
    page = f"""
        UNION ALL
        SELECT 1, NULL, NULL, page.position, d.doc, page.score
        FROM (SELECT top.index_id, top.score, row_number() OVER () AS position
              FROM (SELECT m.index_id, m.score FROM m ORDER BY {order}
                    LIMIT :_rows OFFSET :_start) top) page
        JOIN {TABLE} d ON d.index_id = page.index_id
    """ if query.rows > 0 else ""
    statement = text(f"""
        WITH m AS MATERIALIZED (SELECT {", ".join(kept)} FROM {TABLE} d WHERE {query.where})
        SELECT 0 AS kind, NULL AS field, NULL AS value, (SELECT count(*) FROM m) AS n,
               NULL::jsonb AS doc, NULL::float8 AS score
        {page}
        {facets}
    """)
    hits, docs = 0, []
    result: dict[str, list[Any]] = {name: [] for name, _, _ in query.facets}
    for kind, field, value, n, doc, score in session.execute(statement, params):
        if kind == 0:
            hits = int(n)
        elif kind == 1:
            docs.append((n, doc, float(score)))
        else:
            result[field].append((value, int(n)))
    docs.sort(key=lambda item: item[0])
    return Page(hits=hits, docs=[d for _, d, _ in docs], scores=[s for _, _, s in docs],
                facets=result)

"""SQL of the embedded index: the ``odconf_search.document`` table.

Every statement runs on CKAN's own SQLAlchemy session, so an index write
belongs to the same database transaction as the change it reflects: when
the action commits, both are committed; when either fails, neither is.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import fields as schema
from .documents import Row

SCHEMA = "odconf_search"
TABLE = f"{SCHEMA}.document"

_COLUMNS = list(schema.COLUMNS)
_UPSERT = text(f"""
    INSERT INTO {TABLE} (doc, fields, tsv, tsv_head, seq, indexed_at, {", ".join(_COLUMNS)})
    SELECT CAST(:doc AS jsonb), CAST(:fields AS jsonb),
           head || setweight(to_tsvector(CAST(:config AS regconfig), :text_c), 'C')
                || setweight(to_tsvector(CAST(:config AS regconfig), :text_d), 'D'),
           head, nextval('{SCHEMA}.document_seq'), now(),
           {", ".join(":" + name for name in _COLUMNS)}
    FROM (SELECT setweight(to_tsvector(CAST(:config AS regconfig), :text_a), 'A')
                 || setweight(to_tsvector(CAST(:config AS regconfig), :text_b), 'B') AS head) analysed
    ON CONFLICT (index_id) DO UPDATE SET
        doc = EXCLUDED.doc, fields = EXCLUDED.fields, tsv = EXCLUDED.tsv,
        tsv_head = EXCLUDED.tsv_head, seq = EXCLUDED.seq, indexed_at = EXCLUDED.indexed_at,
        {", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS if name != "index_id")}
""")


def write(session: Session, rows: Sequence[Row], text_config: str) -> None:
    """Insert or replace the given documents (keyed by ``index_id``)."""
    if rows:
        session.execute(_UPSERT, [dict(row.params(), config=text_config) for row in rows])


def delete(session: Session, where: str, params: dict[str, Any]) -> int:
    """Delete the documents matching a compiled condition; return how many."""
    result = session.execute(text(f"DELETE FROM {TABLE} d WHERE {where}"), params)
    return result.rowcount


@dataclasses.dataclass
class Page:
    """What one search returns."""

    hits: int
    docs: list[dict[str, Any]]
    scores: list[float]
    facets: dict[str, list[tuple[str, int]]]


def search(session: Session, where: str, params: dict[str, Any], score: str,
           order_by: Sequence[str], rows: int, start: int,
           facets: Sequence[tuple[str, str, str]], facet_limit: int, facet_mincount: int) -> Page:
    """Run a compiled query: the count, one page of documents, and the facets.

    ``facets`` lists (field name, FROM addition, value expression) as
    ``sql.facet_source`` gives them.
    """
    hits = session.execute(
        text(f"SELECT count(*) FROM {TABLE} d WHERE {where}"), params).scalar()
    docs: list[dict[str, Any]] = []
    scores: list[float] = []
    if rows > 0 and hits > start:
        order = ", ".join(list(order_by) + ["d.seq"])
        page = session.execute(text(
            f"SELECT d.doc, {score} AS score FROM {TABLE} d WHERE {where}"
            f" ORDER BY {order} LIMIT :_rows OFFSET :_start"),
            dict(params, _rows=rows, _start=start))
        for doc, doc_score in page:
            docs.append(doc)
            scores.append(float(doc_score))
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name, _, _ in facets}
    if facets and hits:
        counts.update(_facets(session, where, params, facets, facet_limit, facet_mincount))
    return Page(hits=hits, docs=docs, scores=scores, facets=counts)


def _facets(session: Session, where: str, params: dict[str, Any],
            facets: Sequence[tuple[str, str, str]], limit: int,
            mincount: int) -> dict[str, list[tuple[str, int]]]:
    """Counts of each value of each facet field over the whole result."""
    per_field = " UNION ALL ".join(
        f"(SELECT CAST(:_facet{i} AS text) AS field, {value} AS value, count(*) AS n"
        f" FROM {TABLE} d{join} WHERE {where} AND {value} IS NOT NULL"
        f" GROUP BY {value} HAVING count(*) >= :_facet_mincount)"
        for i, (_name, join, value) in enumerate(facets))
    limit_clause = "" if limit < 0 else "WHERE ranked.position <= :_facet_limit"
    statement = text(f"""
        SELECT field, value, n FROM (
            SELECT field, value, n,
                   row_number() OVER (PARTITION BY field ORDER BY n DESC, value COLLATE "C") AS position
            FROM ({per_field}) counted
        ) ranked
        {limit_clause}
        ORDER BY field, position
    """)
    names = {f"_facet{i}": name for i, (name, _join, _value) in enumerate(facets)}
    result: dict[str, list[tuple[str, int]]] = {name: [] for name in names.values()}
    rows = session.execute(statement, dict(
        params, **names, _facet_limit=limit, _facet_mincount=max(mincount, 1)))
    for field, value, count in rows:
        result[field].append((value, int(count)))
    return result


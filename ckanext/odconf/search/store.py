"""SQL of the embedded index: the ``odconf_search.document`` table.

Every statement runs on CKAN's own SQLAlchemy session, so an index write
belongs to the same database transaction as the change it reflects: when
the action commits, both are committed; when either fails, neither is.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from .documents import Row

SCHEMA = "odconf_search"
TABLE = f"{SCHEMA}.document"

_UPSERT = text(f"""
    INSERT INTO {TABLE} (index_id, site_id, entity_id, doc, fields, tsv, seq, indexed_at)
    VALUES (
        :index_id, :site_id, :entity_id, CAST(:doc AS jsonb), CAST(:fields AS jsonb),
        setweight(to_tsvector(CAST(:config AS regconfig), :text_a), 'A')
        || setweight(to_tsvector(CAST(:config AS regconfig), :text_b), 'B')
        || setweight(to_tsvector(CAST(:config AS regconfig), :text_c), 'C')
        || setweight(to_tsvector(CAST(:config AS regconfig), :text_d), 'D'),
        nextval('{SCHEMA}.document_seq'), now()
    )
    ON CONFLICT (index_id) DO UPDATE SET
        site_id = EXCLUDED.site_id, entity_id = EXCLUDED.entity_id,
        doc = EXCLUDED.doc, fields = EXCLUDED.fields, tsv = EXCLUDED.tsv,
        seq = EXCLUDED.seq, indexed_at = EXCLUDED.indexed_at
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
           facet_fields: Iterable[str], facet_limit: int, facet_mincount: int) -> Page:
    """Run a compiled query: the count, one page of documents, and the facets."""
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
    facets = {name: [] for name in facet_fields}
    if facets and hits:
        facets.update(_facets(session, where, params, list(facets), facet_limit, facet_mincount))
    return Page(hits=hits, docs=docs, scores=scores, facets=facets)


def _facets(session: Session, where: str, params: dict[str, Any], names: list[str],
            limit: int, mincount: int) -> dict[str, list[tuple[str, int]]]:
    """Counts of each value of each facet field over the whole result."""
    names_param = {f"_facet{i}": name for i, name in enumerate(names)}
    values = " UNION ALL ".join(
        f"SELECT :_facet{i} AS field, v FROM jsonb_array_elements_text("
        f"coalesce(d.fields -> :_facet{i}, '[]'::jsonb)) v"
        for i in range(len(names)))
    limit_clause = "" if limit < 0 else "WHERE ranked.position <= :_facet_limit"
    statement = text(f"""
        SELECT field, value, n FROM (
            SELECT field, value, n,
                   row_number() OVER (PARTITION BY field ORDER BY n DESC, value COLLATE "C") AS position
            FROM (
                SELECT f.field, f.v AS value, count(*) AS n
                FROM {TABLE} d CROSS JOIN LATERAL ({values}) f
                WHERE {where}
                GROUP BY f.field, f.v
                HAVING count(*) >= :_facet_mincount
            ) counted
        ) ranked
        {limit_clause}
        ORDER BY field, position
    """)
    result: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    rows = session.execute(statement, dict(
        params, **names_param, _facet_limit=limit, _facet_mincount=max(mincount, 1)))
    for field, value, count in rows:
        result[field].append((value, int(count)))
    return result


def clear(session: Session, site_id: Optional[str] = None) -> None:
    """Remove every document (of one site)."""
    if site_id is None:
        session.execute(text(f"DELETE FROM {TABLE}"))
    else:
        session.execute(text(f"DELETE FROM {TABLE} WHERE site_id = :site_id"), {"site_id": site_id})

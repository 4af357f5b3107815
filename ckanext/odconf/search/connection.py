"""A Solr connection that answers from PostgreSQL.

CKAN 2.11 reaches Solr through one function, ``ckan.lib.search.common.
make_connection``, which returns a ``pysolr.Solr`` client: indexing
(``add``), deletions and ``clear`` (``delete``), ``commit`` and every search
(``search``) go through it. :class:`PostgresConnection` offers the same
methods with the same parameters and results, so all of CKAN's search code,
and every plugin hook on the way, runs unchanged in front of it.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable, Optional, Union

import pysolr
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from ckan.common import config
from ckan.lib.search.common import SearchQueryError, solr_datetime_decoder
from ckan.logic import ValidationError

from . import cache, fields as schema, store, transaction
from .documents import DocumentError, to_row
from .query_parser import Params, QuerySyntaxError, parse
from .sql import Compiler, facet_source, sort_key


_SORT_SPEC = re.compile(r"^\s*([\w.\-]+)\s+(asc|desc)\s*$", re.IGNORECASE)
_LOCAL_PARAMS = re.compile(r"^\{![^}]*\}")


class InvalidSearchQuery(ValidationError, SearchQueryError):
    """A malformed query: CKAN's ValidationError for the API (HTTP 409),
    a SearchQueryError for the pages that catch those (HTTP 400)."""

    def __init__(self, param: str, message: str):
        ValidationError.__init__(self, {param: [f"Search query is invalid: {message}"]})
        self.args = (f"Search query is invalid: {param}: {message}",)


class PostgresConnection:
    """The subset of ``pysolr.Solr`` that CKAN uses, served by PostgreSQL."""

    url = "postgresql (odconf_search)"

    def __init__(self, decode_dates: bool = True):
        self.decode_dates = decode_dates

    @property
    def text_config(self) -> str:
        # The declaration's default, repeated: CKAN's test runner unloads the
        # plugin (and so its declarations) while the site still uses it.
        return config.get("odconf_search.text_search_config") or "odconf_search.english"

    # --------------------------------------------------------------- writing
    def add(self, docs: Iterable[dict[str, Any]], commit: Optional[bool] = None,
            **_options: Any) -> str:
        """Index documents, replacing any with the same ``index_id``."""
        try:
            rows = [to_row(doc) for doc in docs]
        except DocumentError as error:
            raise pysolr.SolrError(f"ERROR: {error}")
        session, committing = transaction.session_for_write()
        transaction.wrote(session)
        if not committing and store.collect(rows):
            return ""  # written with its batch (store.batch)
        try:
            store.write(session, rows, self.text_config)
        except SQLAlchemyError as error:
            # CKAN turns SolrError into SearchIndexError, which fails the
            # commit of the change being indexed (other errors are only logged).
            raise pysolr.SolrError(f"ERROR: the index could not be written: {getattr(error, 'orig', None) or error}")
        if commit and not committing:
            session.commit()
        return ""

    def delete(self, id: Union[str, list[str], None] = None, q: Optional[str] = None,
               commit: Optional[bool] = None, **_options: Any) -> str:
        """Delete documents by ``index_id`` or by query."""
        if id is None and q is None:
            raise ValueError('You must specify "id" or "q".')
        compiler = Compiler(self.text_config)
        if id is not None:
            ids = [id] if isinstance(id, str) else list(id)
            where = f"d.index_id = ANY({compiler.param(ids)})"
        else:
            where = self._compile(compiler, "q", q, Params(q_op="OR"))
        session, committing = transaction.session_for_write()
        transaction.wrote(session)
        store.delete(session, where, compiler.params)
        if commit and not committing:
            session.commit()
        return ""

    def commit(self, **_options: Any) -> str:
        """Commit pending index writes, unless they ride on a commit under way."""
        session, committing = transaction.session_for_write()
        if not committing:
            session.commit()
        return ""

    optimize = commit

    # ------------------------------------------------------------- searching
    def search(self, q: str = "*:*", search_handler: Optional[str] = None,
               **kwargs: Any) -> pysolr.Results:
        """Run a Solr search; parameters and results as with ``pysolr``."""
        params = Params(
            def_type=kwargs.get("defType", "lucene"),
            df=kwargs.get("df", "text"),
            q_op=kwargs.get("q.op", "OR"),
            qf=kwargs.get("qf", ""),
            mm=kwargs.get("mm", ""),
        )
        compiler = Compiler(self.text_config)
        conditions = [self._compile(compiler, "q", q, params)]
        score = compiler.score()
        filter_params = Params(df=params.df, q_op=params.q_op)
        for param, fq in self._filter_queries(kwargs):
            # filters restrict, they do not score
            ranked = list(compiler.rank_queries)
            conditions.append(self._compile(compiler, param, fq, filter_params))
            compiler.rank_queries = ranked
        wanted = _field_list(kwargs.get("fl"))
        facets = []
        if str(kwargs.get("facet", "false")).lower() == "true":
            for name in dict.fromkeys(_LOCAL_PARAMS.sub("", f) for f in _as_list(kwargs.get("facet.field"))):
                facets.append((name, *facet_source(name, compiler.param)))
        query = store.Query(
            where=" AND ".join(conditions), params=compiler.params, score=score,
            order_by=self._order_by(kwargs.get("sort"), compiler),
            rows=_int_param("rows", kwargs.get("rows", 10)),
            start=_int_param("start", kwargs.get("start", 0)),
            facets=facets,
            facet_limit=_int_param("facet.limit", kwargs.get("facet.limit", 100)),
            facet_mincount=_int_param("facet.mincount", kwargs.get("facet.mincount", 0)),
            counted=(compiler.fields_used <= schema.DIMENSIONS
                     and all(name in schema.COUNTED for name, _, _ in facets)),
        )
        session = transaction.session_for_read()
        cache_key = self._cache_key(session, dict(kwargs, q=q))
        cached = cache.get(cache_key) if cache_key else None
        if cached is not None:
            page = store.Page(**cached)
        else:
            page = self._run(session, query, compiler.matches_text)
            if cache_key:
                cache.put(cache_key, dataclasses.asdict(page))
        docs = [self._output(doc, score_value, wanted)
                for doc, score_value in zip(page.docs, page.scores)]
        facet_counts = {name: [item for pair in values for item in pair]
                        for name, values in page.facets.items()}
        return pysolr.Results({
            "response": {"numFound": page.hits, "start": query.start, "docs": docs},
            "facet_counts": {"facet_fields": facet_counts},
        })

    # --------------------------------------------------------------- helpers
    @staticmethod
    def _cache_key(session: Any, params: dict[str, Any]) -> Optional[str]:
        """None when the cache is off or the session sees uncommitted index changes."""
        if not cache.ttl() or transaction.has_uncommitted_writes(session):
            return None
        return cache.key(transaction.index_state(session), params)

    @staticmethod
    def _run(session: Any, query: store.Query, matches_text: bool) -> store.Page:
        # A savepoint keeps a failing search from spoiling the caller's
        # transaction, and rolling it back drops the planner setting again.
        # It is taken on the connection: a Session-level savepoint rollback
        # fires after_rollback, where CKAN forgets the datasets it has yet
        # to index at commit.
        savepoint = session.connection().begin_nested()
        try:
            if not query.counted:
                # The matching documents are kept aside in memory, not on disk.
                session.execute(text("SET LOCAL work_mem = '64MB'"))
            if matches_text:
                # PostgreSQL does not count the cost of decompressing text
                # vectors and picks a sequential scan for common words; the
                # GIN index is always the faster way to match text here.
                session.execute(text("SET LOCAL enable_seqscan = off"))
            return store.search(session, query)
        finally:
            savepoint.rollback()

    @staticmethod
    def _compile(compiler: Compiler, param: str, query: str, params: Params) -> str:
        """SQL condition for one query parameter; bad syntax is the caller's error."""
        try:
            return compiler.where(parse(query, params))
        except QuerySyntaxError as error:
            raise InvalidSearchQuery(param, f"{error} in {query!r}")

    @staticmethod
    def _filter_queries(kwargs: dict[str, Any]) -> list[tuple[str, str]]:
        found = [("fq", fq) for fq in _as_list(kwargs.get("fq"))]
        found += [("fq_list", fq) for fq in _as_list(kwargs.get("fq_list"))]
        return [(param, fq) for param, fq in found if fq and fq.strip()]

    def _order_by(self, sort: Optional[str], compiler: Compiler) -> list[tuple[str, str]]:
        if not sort:
            return [("score", "DESC")]
        clauses = []
        for spec in sort.split(","):
            match = _SORT_SPEC.match(spec)
            if not match:
                # CKAN turns this Solr message into SearchQueryError('Invalid "sort" parameter')
                raise pysolr.SolrError(f"Can't determine a Sort Order (asc or desc) in sort spec {spec!r}")
            name, direction = match.group(1), match.group(2).upper()
            clauses.append(("score" if name == "score" else sort_key(name, compiler.param), direction))
        return clauses

    def _output(self, doc: dict[str, Any], score: float, wanted: Optional[set[str]]) -> dict[str, Any]:
        if wanted is not None:
            doc = {k: v for k, v in doc.items() if k in wanted}
        if wanted is not None and "score" in wanted:
            doc["score"] = score
        if self.decode_dates:
            doc = solr_datetime_decoder(doc)
        return doc


def _field_list(fl: Union[str, list[str], None]) -> Optional[set[str]]:
    """The stored fields ``fl`` asks for; ``None`` means all (``*``)."""
    if not fl:
        return None
    names = {n for part in _as_list(fl) for n in re.split(r"[,\s]+", part) if n}
    return None if "*" in names else names


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _int_param(name: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidSearchQuery(name, f"{value!r} is not a whole number")

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
import logging
import re
from typing import Any, Iterable, Optional, Union

import pysolr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from ckan.common import config
from ckan.lib.search.common import SearchError, SearchQueryError, solr_datetime_decoder
from ckan.logic import ValidationError

from . import cache, fields as schema, store, transaction
from .documents import DocumentError, to_row
from .query_parser import Params, QuerySyntaxError, clause_count, parse, shortened
from .compiler import Compiler, facet_source, sort_key

log = logging.getLogger(__name__)

_SORT_SPEC = re.compile(r"^\s*([\w.\-]+)\s+(asc|desc)\s*$", re.IGNORECASE)
_LOCAL_PARAMS = re.compile(r"^\{![^}]*\}")
# PostgreSQL text cannot hold NUL, nor UTF-8 a surrogate code point.
_UNSEARCHABLE = re.compile("[\x00\ud800-\udfff]")
# Parameters parsed as one string each.
_STRING_PARAMS = ("defType", "df", "q.op", "qf", "mm", "sort")
# Solr reads rows, start and the facet numbers as Java ints.
_INT_RANGE = (-2 ** 31, 2 ** 31 - 1)
_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE when statement_timeout fires


class InvalidSearchQuery(ValidationError, SearchQueryError):
    """A malformed query: CKAN's ValidationError for the API (HTTP 409),
    a SearchQueryError for the pages that catch those (HTTP 400)."""

    def __init__(self, param: str, message: str):
        ValidationError.__init__(self, {param: [f"Search query is invalid: {message}"]})
        self.args = (f"Search query is invalid: {param}: {message}",)


def _option(name: str, default: int) -> int:
    """A whole-number option; its declared default, repeated (see ``text_config``)."""
    value = config.get(name)
    return default if value is None or value == "" else int(value)


class _Budget:
    """What one search may hold, as Solr's ``maxBooleanClauses`` bounds it.

    Every query (``q`` and each filter) holds at most ``max_clauses``
    distinct conditions and ``max_query_length`` characters; the whole
    search, with its sort keys and facets, at most ``max_total_clauses``.
    Checked before any SQL is built: PostgreSQL plans a statement without
    ever checking for cancellation, so a huge one cannot be stopped.
    """

    def __init__(self) -> None:
        self.clauses = _option("odconf_search.max_clauses", 1024)
        self.total = _option("odconf_search.max_total_clauses", 4096)
        self.length = _option("odconf_search.max_query_length", 100_000)
        self.used = 0

    def check_length(self, param: str, query: str) -> None:
        if len(query) > self.length:
            raise InvalidSearchQuery(
                param, f"the query is too long: {len(query)} characters, at most {self.length}")

    def spend(self, param: str, count: int, what: str) -> None:
        """Count ``count`` more conditions, sort keys or facets of ``param``."""
        self.used += count
        if self.used > self.total:
            raise InvalidSearchQuery(
                param, f"too many clauses: more than {self.total} {what} in one search")

    def check_query(self, param: str, node: Any) -> None:
        count = clause_count(node)
        if count > self.clauses:
            raise InvalidSearchQuery(
                param, f"too many clauses: {count} distinct terms and conditions, at most {self.clauses}")
        self.spend(param, count, "terms and conditions")


def collapse_filter_list(search_params: dict[str, Any]) -> dict[str, Any]:
    """Keep each filter of ``fq_list`` once; refuse more than a search may hold.

    For ``package_search``'s ``before_dataset_search``: CKAN checks its
    filters one by one before the search reaches the backend, and makes one
    filter of each character of a string ``fq_list``, so a large one costs
    seconds there already. Identical filters restrict alike: one is enough.
    """
    fq_list = search_params.get("fq_list")
    if isinstance(fq_list, (str, list, tuple)) and all(isinstance(fq, str) for fq in fq_list):
        search_params["fq_list"] = list(dict.fromkeys(fq_list))
        _Budget().spend("fq_list", len(search_params["fq_list"]), "filters")
    return search_params


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
        elif q is not None:
            tree = self._parse(_Budget(), "q", q, Params(q_op="OR"))
            where = self._where(compiler, "q", q, tree)
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
        """Run a Solr search; parameters and results as with ``pysolr``.

        A malformed or oversized query raises :class:`InvalidSearchQuery`
        before any SQL is sent; a search stopped by
        ``odconf_search.statement_timeout`` raises ``SearchError``.
        """
        for name, value in dict(kwargs, q=q).items():
            _searchable(name, value)
        for name in ("q",) + _STRING_PARAMS:
            value = q if name == "q" else kwargs.get(name)
            if value is not None and not isinstance(value, str):
                raise InvalidSearchQuery(name, "must be a string")
        budget = _Budget()
        filters = self._filter_queries(kwargs, budget)
        budget.check_length("qf", kwargs.get("qf") or "")
        # A parameter given as None is absent, as an empty HTTP parameter is to Solr.
        params = Params(
            def_type=kwargs.get("defType") or "lucene",
            df=kwargs.get("df") or "text",
            q_op=kwargs.get("q.op") or "OR",
            qf=kwargs.get("qf") or "",
            mm=kwargs.get("mm") or "",
        )
        filter_params = Params(df=params.df, q_op=params.q_op)
        trees = [("q", q, self._parse(budget, "q", q, params))]
        trees += [("fq", fq, self._parse(budget, "fq", fq, filter_params)) for fq in filters]
        facet_fields: list[str] = []
        if str(kwargs.get("facet", "false")).lower() == "true":
            facet_fields = list(dict.fromkeys(
                _LOCAL_PARAMS.sub("", f) for f in _strings("facet.field", kwargs.get("facet.field"))))
            budget.spend("facet.field", len(facet_fields), "terms, conditions, sort keys and facets")
        sort = kwargs.get("sort")
        sort_specs = sort.split(",") if sort else []
        budget.spend("sort", len(sort_specs), "terms, conditions, sort keys and facets")

        compiler = Compiler(self.text_config)
        conditions = [self._where(compiler, *trees[0])]
        score = compiler.score()
        for tree in trees[1:]:
            # filters restrict, they do not score
            ranked = list(compiler.rank_queries)
            conditions.append(self._where(compiler, *tree))
            compiler.rank_queries = ranked
        wanted = _field_list(_strings("fl", kwargs.get("fl")))
        facets = [(name, *facet_source(name, compiler.param)) for name in facet_fields]
        query = store.Query(
            where=" AND ".join(conditions), params=compiler.params, score=score,
            order_by=self._order_by(sort_specs, compiler),
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
            page = self._run(session, query, compiler.matches_text, trees)
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
    def _run(session: Any, query: store.Query, matches_text: bool,
             trees: list[tuple[str, str, Any]]) -> store.Page:
        # A savepoint keeps a failing search from spoiling the caller's
        # transaction, and rolling it back drops the settings made for the
        # search again (SET LOCAL). It is taken on the connection: a
        # Session-level savepoint rollback fires after_rollback, where CKAN
        # forgets the datasets it has yet to index at commit.
        timeout = _option("odconf_search.statement_timeout", 5000)
        savepoint = session.connection().begin_nested()
        try:
            if timeout > 0:
                session.execute(text(f"SET LOCAL statement_timeout = {int(timeout)}"))
            if not query.counted:
                # The matching documents are kept aside in memory, not on disk.
                session.execute(text("SET LOCAL work_mem = '64MB'"))
            if matches_text:
                # PostgreSQL does not count the cost of decompressing text
                # vectors and picks a sequential scan for common words; the
                # GIN index is always the faster way to match text here.
                session.execute(text("SET LOCAL enable_seqscan = off"))
            return store.search(session, query)
        except DBAPIError as error:
            if getattr(error.orig, "pgcode", None) != _QUERY_CANCELED:
                raise
            log.warning("Search stopped after %d ms (odconf_search.statement_timeout): %s",
                        timeout, "; ".join(f"{param}={shortened(value, 500)}"
                                           for param, value, _ in trees))
            raise SearchError(f"the search took longer than {timeout} ms and was stopped;"
                              " a narrower query may answer") from None
        finally:
            savepoint.rollback()

    @staticmethod
    def _parse(budget: _Budget, param: str, query: str, params: Params) -> Any:
        """The query tree of one query parameter, within the budget; bad syntax is the caller's error."""
        budget.check_length(param, query)
        try:
            tree = parse(query, params)
        except QuerySyntaxError as error:
            raise InvalidSearchQuery(param, f"{error} in {shortened(query)}")
        budget.check_query(param, tree)
        return tree

    @staticmethod
    def _where(compiler: Compiler, param: str, query: str, tree: Any) -> str:
        """SQL condition for one parsed query parameter."""
        try:
            return compiler.where(tree)
        except QuerySyntaxError as error:
            raise InvalidSearchQuery(param, f"{error} in {shortened(query)}")

    @staticmethod
    def _filter_queries(kwargs: dict[str, Any], budget: _Budget) -> list[str]:
        """The distinct non-empty filter queries (``fq``), each once.

        CKAN adds the items of ``fq_list`` to ``fq`` and passes ``fq_list``
        along too, which Solr ignores, as this does.
        """
        found = dict.fromkeys(fq for fq in _strings("fq", kwargs.get("fq")) if fq.strip())
        # Counted before parsing: a string fq_list makes a filter of each character.
        budget.spend("fq", len(found), "filters")
        return list(found)

    def _order_by(self, sort_specs: list[str], compiler: Compiler) -> list[tuple[str, str]]:
        if not sort_specs:
            return [("score", "DESC")]
        clauses = []
        for spec in sort_specs:
            match = _SORT_SPEC.match(spec)
            if not match:
                # CKAN turns this Solr message into SearchQueryError('Invalid "sort" parameter')
                raise pysolr.SolrError(f"Can't determine a Sort Order (asc or desc) in sort spec {shortened(spec)}")
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


def _field_list(fl: list[str]) -> Optional[set[str]]:
    """The stored fields ``fl`` asks for; ``None`` means all (``*``)."""
    names = {n for part in fl for n in re.split(r"[,\s]+", part) if n}
    return None if not names or "*" in names else names


def _strings(param: str, value: Any) -> list[str]:
    """A parameter given as one string or a list of strings, as a list."""
    values = [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]
    if not all(isinstance(item, str) for item in values):
        raise InvalidSearchQuery(param, "must be a string or a list of strings")
    return values


def _searchable(param: str, value: Any) -> None:
    """Refuse characters no search can hold, in a string or a list of them."""
    for item in value if isinstance(value, (list, tuple)) else [value]:
        if isinstance(item, str) and _UNSEARCHABLE.search(item):
            raise InvalidSearchQuery(
                param, "contains a character that cannot be searched (NUL or an unpaired surrogate)")


def _int_param(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidSearchQuery(name, f"{shortened(str(value))} is not a whole number")
    low, high = _INT_RANGE
    if not low <= number <= high:
        raise InvalidSearchQuery(name, f"out of range: it must be from {low} to {high}")
    return number

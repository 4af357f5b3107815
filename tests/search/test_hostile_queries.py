"""Oversized and malformed searches are refused in bounded time, never with a 500.

Every test here runs on the real PostgreSQL index. A refused query answers
CKAN's ValidationError (HTTP 409 from the API, 400 from /dataset) before any
SQL reaches the index; the controls show that queries just below the limits,
and queries that only repeat themselves, are still answered correctly.
"""
from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from typing import Any, Callable, Iterator

import pytest
from ckan import model
from ckan.lib.search.common import SearchError
from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action
from sqlalchemy import event, text

from ckanext.odconf.search.connection import InvalidSearchQuery, PostgresConnection
from ckanext.odconf.search.query_parser import (
    MAX_DEPTH, FieldGroup, Params, QuerySyntaxError, Term, clause_count, parse,
)

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY

LIMIT = 1024  # odconf_search.max_clauses, by default
API = "/api/3/action/package_search"


@pytest.fixture
def rivers() -> list[dict[str, Any]]:
    """Two datasets tagged ``water`` and one tagged ``education``."""
    return [
        factories.Dataset(name="mekong-water-levels", title="Mekong water levels",
                          notes="Daily gauges along the river",
                          tags=[{"name": "water"}, {"name": "hydrology"}]),
        factories.Dataset(name="tonle-sap-fisheries", title="Tonle Sap fisheries",
                          notes="Fish catch around the great lake",
                          tags=[{"name": "fisheries"}, {"name": "water"}]),
        factories.Dataset(name="school-census", title="School census 2023",
                          notes="Pupils of grade 7", tags=[{"name": "education"}]),
    ]


def names(**params: Any) -> list[str]:
    """Names package_search returns to an anonymous visitor, sorted."""
    context = {"user": "", "ignore_auth": False}
    return sorted(d["name"] for d in call_action("package_search", context=context, **params)["results"])


def words(count: int, prefix: str = "w") -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


class IndexStatements:
    """Counts the SQL statements that read the embedded index while active."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> "IndexStatements":
        event.listen(model.meta.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: Any) -> None:
        event.remove(model.meta.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "odconf_search.document" in statement or "odconf_search.facet_count" in statement:
            self.count += 1


def refused_quickly(search: Callable[[], Any]) -> str:
    """Run a search that must be refused before any SQL reads the index, within 2 s."""
    started = time.monotonic()
    with IndexStatements() as statements, pytest.raises(ValidationError) as refused:
        search()
    elapsed = time.monotonic() - started
    assert elapsed < 2, f"refused after {elapsed:.2f} s"
    assert statements.count == 0
    return str(refused.value.error_dict)


class TestOversizedQueries:
    def test_q_of_5000_distinct_words(self, rivers):
        message = refused_quickly(lambda: names(q=" ".join(words(5000))))
        assert "too many clauses" in message and "1024" in message

    def test_fq_of_5000_distinct_terms(self, rivers):
        message = refused_quickly(lambda: names(fq=" ".join(f"tags:{w}" for w in words(5000))))
        assert "too many clauses" in message

    def test_field_with_5000_values(self, rivers):
        message = refused_quickly(lambda: names(fq="tags:(" + " OR ".join(words(5000)) + ")"))
        assert "too many clauses" in message

    def test_many_filters_together_exceed_the_total(self, rivers):
        # each filter is small; together they exceed what one search may hold
        fq_list = [f"tags:({' OR '.join(words(1000, prefix=f'f{n}-'))})" for n in range(5)]
        message = refused_quickly(lambda: names(fq_list=fq_list))
        assert "too many clauses" in message

    def test_qf_of_5000_fields(self, rivers):
        qf = " ".join(f"extras_{w}" for w in words(5000))
        message = refused_quickly(lambda: names(q="water", qf=qf))
        assert "too many clauses" in message

    def test_query_longer_than_the_length_limit(self, rivers):
        message = refused_quickly(lambda: names(q="x" * 200_001))
        assert "too long" in message

    def test_query_nested_3000_deep(self, rivers):
        message = refused_quickly(lambda: names(fq="(" * 3000 + "tags:water" + ")" * 3000))
        assert "nested" in message
        message = refused_quickly(lambda: names(fq="a:" * 3000 + "water"))
        assert "nested" in message


HOSTILE_BODIES = {
    "q of 5,000 words": {"q": " ".join(words(5000))},
    "fq of 5,000 terms": {"fq": " ".join(f"tags:{w}" for w in words(5000))},
    "field with 5,000 values": {"fq": "tags:(" + " OR ".join(words(5000)) + ")"},
    # CKAN makes one filter of each character of a string fq_list; these
    # characters are all different, so nothing collapses
    "1 MB string fq_list": {"fq_list": "".join(chr(0x4E00 + i % 20000) for i in range(2 ** 20))},
}


class TestOversizedQueriesOverHttp:
    @pytest.mark.parametrize("hostile", HOSTILE_BODIES, ids=list(HOSTILE_BODIES))
    def test_refused_in_2_s_while_others_search(self, app, rivers, hostile):
        answered = threading.Event()
        searching = threading.Event()
        normal: list[tuple[float, Any]] = []

        def normal_searches() -> None:
            # its own client, so its own request and app context
            client = app.flask_app.test_client()
            while not answered.is_set() or len(normal) < 2:
                sent = time.monotonic()
                searching.set()
                normal.append((sent, client.get(API, query_string={"q": "water"})))

        other = threading.Thread(target=normal_searches)
        other.start()
        # the hostile request leaves once a normal search is under way, so they overlap
        assert searching.wait(timeout=10)
        started = time.monotonic()
        response = app.post(API, json=HOSTILE_BODIES[hostile], status=409)
        elapsed = time.monotonic() - started
        answered.set()
        other.join(timeout=30)
        assert elapsed < 2, f"answered after {elapsed:.2f} s"
        assert "too many" in json.dumps(response.json["error"])
        assert normal and normal[0][0] < started + elapsed
        for _, answer in normal:
            assert answer.status_code == 200
            assert sorted(d["name"] for d in answer.json["result"]["results"]) == [
                "mekong-water-levels", "tonle-sap-fisheries"]

    def test_5000_word_q_answers_409(self, app, rivers):
        started = time.monotonic()
        response = app.get(API, query_string={"q": " ".join(words(5000))}, status=409)
        assert time.monotonic() - started < 2
        assert "too many clauses" in json.dumps(response.json["error"])

    def test_dataset_page_answers_400(self, app, rivers):
        app.get("/dataset/", query_string={"q": " ".join(words(5000))}, status=400)


class TestRepeatsCollapse:
    def test_one_word_5000_times_is_the_word(self, rivers):
        started = time.monotonic()
        assert names(q=" ".join(["water"] * 5000)) == names(q="water") == [
            "mekong-water-levels", "tonle-sap-fisheries"]
        assert time.monotonic() - started < 2

    def test_one_filter_5000_times_is_the_filter(self, rivers):
        assert names(fq_list=["tags:hydrology"] * 5000) == ["mekong-water-levels"]

    def test_a_string_fq_list_of_one_repeated_character(self, rivers):
        # 100,000 filters "7" collapse into one: the word 7
        assert names(fq_list="7" * 100_000) == ["school-census"]

    def test_repeats_keep_the_minimum_should_match(self, rivers):
        # dismax's mm counts a repeated word each time, as Lucene does: of
        # "water water census", two of three clauses match the water datasets
        assert names(q="water water census", mm="2") == [
            "mekong-water-levels", "tonle-sap-fisheries"]
        assert names(q="water census", mm="2") == []


class TestQueryTree:
    def test_repeats_are_kept_once_and_counted(self):
        tree = parse("water water census", Params(def_type="dismax", qf="text", mm="2"))
        assert tree.should == [FieldGroup(["text"], Term(None, "water")),
                               FieldGroup(["text"], Term(None, "census"))]
        assert tree.times() == [2, 1] and tree.min_should == 2
        assert clause_count(tree) == 2

    def test_clauses_count_per_field_matched(self):
        assert clause_count(parse("water", Params(def_type="dismax", qf="title notes"))) == 2
        assert clause_count(parse("water", Params(def_type="dismax", qf="title text"))) == 1
        assert clause_count(parse("tags:(a OR b OR a) AND -name:x", Params())) == 3

    def test_nesting_is_bounded(self):
        parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH, Params())
        with pytest.raises(QuerySyntaxError, match="nested"):
            parse("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), Params())


class TestJustBelowTheLimits:
    def test_q_with_the_largest_number_of_terms(self, rivers):
        q = "title:(" + " OR ".join(words(LIMIT - 1) + ["gauges", "census"]) + ")"
        with pytest.raises(ValidationError):
            names(q=q)
        q = "title:(" + " OR ".join(words(LIMIT - 2) + ["mekong", "census"]) + ")"
        assert names(q=q) == ["mekong-water-levels", "school-census"]

    def test_free_text_with_the_largest_number_of_words(self, rivers):
        # CKAN's default dismax: 80% of 1024 words must match, none does
        assert names(q=" ".join(words(LIMIT - 1) + ["water"])) == []
        assert names(q=" ".join(words(LIMIT - 1) + ["water"]), mm="1") == [
            "mekong-water-levels", "tonle-sap-fisheries"]

    def test_filter_with_the_largest_number_of_values(self, rivers):
        fq = "tags:(" + " OR ".join(words(LIMIT - 1) + ["education"]) + ")"
        assert names(fq_list=[fq]) == ["school-census"]
        # CKAN adds two conditions of its own to fq (capacity and state)
        fq = "tags:(" + " OR ".join(words(LIMIT - 3) + ["education"]) + ")"
        assert names(fq=fq) == ["school-census"]

    def test_nesting_just_below_the_limit(self, rivers):
        assert names(fq="(" * 60 + "tags:education" + ")" * 60) == ["school-census"]


class TestMalformedInput:
    @pytest.mark.parametrize("params", [
        {"start": 10 ** 20},
        {"start": 2 ** 63},
        {"rows": 10 ** 20},
    ])
    def test_huge_start_or_rows(self, rivers, params):
        with pytest.raises(ValidationError) as refused:
            PostgresConnection().search(q="*:*", **params)
        assert "out of range" in str(refused.value.error_dict)

    def test_huge_start_through_the_api(self, app, rivers):
        response = app.get(API, query_string={"start": str(10 ** 20)}, status=409)
        assert "start" in json.dumps(response.json["error"])

    @pytest.mark.parametrize("fq", [
        "metadata_modified:[NOW-1000000000YEARS TO NOW]",
        "metadata_modified:[NOW-9999999999999999999999DAYS TO *]",
        "metadata_modified:[NOW+" + "9" * 5000 + "YEARS TO *]",
        "metadata_modified:[99999-01-01T00:00:00Z TO *]",
        "views_total:" + "9" * 400,
        "views_total:" + "9" * 5000,
    ])
    def test_dates_and_numbers_out_of_range(self, rivers, fq):
        with pytest.raises(ValidationError) as refused:
            names(fq=fq)
        assert "invalid" in str(refused.value.error_dict)

    def test_date_math_in_range_still_works(self, rivers):
        assert len(names(fq="metadata_modified:[NOW-1YEAR TO NOW+1DAY]")) == 3

    @pytest.mark.parametrize("param", ["q", "fq", "qf", "sort", "fl"])
    @pytest.mark.parametrize("character", ["\x00", "\ud800"])
    def test_nul_or_lone_surrogate(self, app, rivers, param, character):
        body = {param: f"water{character}"}
        if param == "qf":
            body["q"] = "water"
        if param == "sort":
            body[param] = f"name{character} asc"
        response = app.post(API, data=json.dumps(body), content_type="application/json", status=409)
        assert "cannot be searched" in json.dumps(response.json["error"])

    @pytest.mark.parametrize("query_string", ["topic=%00", "tags=%00", "q=water%00"])
    def test_dataset_page_with_nul_answers_400(self, app, rivers, query_string):
        response = app.get(f"/dataset/?{query_string}", status=400)
        assert "cannot be searched" in response.body

    @pytest.mark.parametrize("query_string", ["tags=%ED%A0%80", "q=%ED%A0%80"])
    def test_dataset_page_with_a_surrogate_escape(self, app, rivers, query_string):
        # Werkzeug keeps invalid UTF-8 percent-encoded: a word like any other
        response = app.get(f"/dataset/?{query_string}", status=200)
        assert "No datasets found" in response.body

    @pytest.mark.parametrize("item", [{"tags": "water"}, ["tags:water"], 5, None])
    def test_non_string_filters(self, rivers, item):
        with pytest.raises(ValidationError) as refused:
            PostgresConnection().search(q="*:*", fq=["+state:active", item])
        assert "string" in str(refused.value.error_dict)

    @pytest.mark.parametrize("item", [{"tags": "water"}, ["tags:water"]])
    def test_non_string_fq_list_items_through_the_api(self, app, rivers, item):
        response = app.post(API, json={"fq_list": [item]})
        assert response.status_code in (400, 409)
        assert response.json["success"] is False

    def test_non_string_q(self, rivers):
        with pytest.raises(InvalidSearchQuery):
            PostgresConnection().search(q=["water"])

    @pytest.mark.parametrize("param", ["defType", "df", "qf", "mm"])
    def test_parser_parameter_given_as_null_is_absent(self, rivers, param):
        found = call_action("package_search", q="water", **{param: None})
        assert found["count"] == call_action("package_search", q="water")["count"] > 0


@contextlib.contextmanager
def index_locked() -> Iterator[None]:
    """Another session holds the index table: a search waits as a slow statement would."""
    with model.meta.engine.connect() as other:
        blocking = other.begin()
        other.execute(text("LOCK TABLE odconf_search.document IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            blocking.rollback()


@pytest.mark.ckan_config("odconf_search.statement_timeout", "300")
class TestStatementTimeout:
    def test_a_search_that_waits_too_long_is_stopped(self, rivers, caplog, monkeypatch):
        marker = uuid.uuid4().hex  # a query no cached result answers
        # CKAN's CLI, run in-process by earlier tests, reads test.ini with
        # logging.config.fileConfig, which disables every logger that exists.
        monkeypatch.setattr(logging.getLogger("ckanext.odconf.search.connection"), "disabled", False)
        with index_locked(), caplog.at_level(logging.WARNING), \
                pytest.raises(SearchError) as stopped:
            started = time.monotonic()
            names(q=f"water {marker}")
        elapsed = time.monotonic() - started
        assert 0.25 < elapsed < 2
        assert "took longer than 300 ms" in str(stopped.value)
        assert marker in caplog.text
        # the setting ended with the search: the session keeps its own
        assert model.Session.execute(text("SHOW statement_timeout")).scalar() == "0"
        assert names(q="water") == ["mekong-water-levels", "tonle-sap-fisheries"]

    def test_timeout_answers_409_over_http(self, app, rivers):
        with index_locked():
            response = app.get(API, query_string={"q": f"water {uuid.uuid4().hex}"}, status=409)
        assert "took longer" in json.dumps(response.json["error"])

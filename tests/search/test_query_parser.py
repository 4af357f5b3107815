"""The query parser alone: Solr's clause rules, minimum-should-match, syntax errors."""
from __future__ import annotations

import pytest

from ckanext.odconf.search.query_parser import (
    Bool, FieldGroup, MatchAll, Params, QuerySyntaxError, Range, Term, Wildcard,
    parse, parse_local_params, parse_min_should_match,
)

LUCENE_AND = Params(def_type="lucene", q_op="AND")
LUCENE_OR = Params(def_type="lucene", q_op="OR")
DISMAX = Params(def_type="dismax", qf="name^4 title^4 tags^2 groups^2 text", mm="2<-1 5<80%")


def test_match_all_and_empty():
    assert parse("*:*", LUCENE_AND) == MatchAll()
    assert parse("", LUCENE_AND) == MatchAll()


def test_default_operator_decides_plain_clauses():
    assert parse("tags:a tags:b", LUCENE_AND) == Bool(must=[Term("tags", "a"), Term("tags", "b")])
    assert parse("tags:a tags:b", LUCENE_OR) == Bool(should=[Term("tags", "a"), Term("tags", "b")])


def test_or_makes_both_sides_optional_and_not_prohibits():
    assert parse("tags:a OR tags:b", LUCENE_AND) == Bool(should=[Term("tags", "a"), Term("tags", "b")])
    assert parse("tags:a AND NOT tags:b", LUCENE_OR) == Bool(
        must=[Term("tags", "a")], must_not=[Term("tags", "b")])
    assert parse("+tags:a -tags:b tags:c", LUCENE_OR) == Bool(
        must=[Term("tags", "a")], should=[Term("tags", "c")], must_not=[Term("tags", "b")])


def test_field_groups_ranges_wildcards_phrases():
    assert parse("tags:(a OR b)", LUCENE_AND) == Bool(should=[Term("tags", "a"), Term("tags", "b")])
    assert parse("metadata_modified:[NOW-1DAY TO *}", LUCENE_AND) == Range(
        "metadata_modified", "NOW-1DAY", None, True, False)
    assert parse("name:riv*er?", LUCENE_AND) == Wildcard("name", "riv*er?")
    assert parse(r"name:riv\*", LUCENE_AND) == Term("name", "riv*")
    assert parse('title:"open data"~2^3', LUCENE_AND) == Term("title", "open data", phrase=True)
    assert parse(r"title:Seymour\: An", LUCENE_AND) == Bool(
        must=[Term("title", "Seymour:"), Term("text", "An")])


def test_dismax_takes_words_across_qf_with_minimum_should_match():
    fields = ["name", "title", "tags", "groups", "text"]
    three = parse("water quality (annex)", DISMAX)
    assert three == Bool(should=[FieldGroup(fields, Term(None, "water")),
                                 FieldGroup(fields, Term(None, "quality")),
                                 FieldGroup(fields, Term(None, "(annex)"))], min_should=2)


@pytest.mark.parametrize("clauses,needed", [(1, 1), (2, 2), (3, 2), (5, 4), (6, 4), (10, 8)])
def test_ckan_default_mm(clauses, needed):
    assert parse_min_should_match("2<-1 5<80%", clauses) == needed


@pytest.mark.parametrize("query", [
    "title:(open", 'title:"open', "tags:a AND", "metadata_modified:[a TO", "tags:",
    "{!unknown_parser}x", ")",
])
def test_syntax_errors(query):
    with pytest.raises(QuerySyntaxError):
        parse(query, LUCENE_AND)


def test_local_params_choose_the_parser():
    assert parse("{!lucene q.op=OR}tags:a tags:b", LUCENE_AND) == Bool(
        should=[Term("tags", "a"), Term("tags", "b")])
    assert parse("{!bool must='tags:a' must_not='tags:b'}", LUCENE_AND) == Bool(
        must=[Term("tags", "a")], must_not=[Term("tags", "b")])


@pytest.mark.parametrize("section", [
    "{!dismax qf=title v='some value'}",
    '{!type=dismax qf="name^4 title" mm=2}',
    "{!lucene q.op=AND df=text}",
    "{! edismax  v = $qq }",
])
def test_local_parameters_read_as_ckan_reads_them(section):
    # CKAN's own (private) reader is the reference the embedded search must agree with
    from ckan.lib.search.query import _parse_local_params
    assert parse_local_params(section) == _parse_local_params(section)


@pytest.mark.parametrize("section", ["{!}", "{!qf=}", "{!v='open}", "{!a=b =c}", "{dismax}"])
def test_malformed_local_parameters_are_a_syntax_error(section):
    with pytest.raises(QuerySyntaxError):
        parse_local_params(section)

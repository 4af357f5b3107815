"""package_search refuses malformed parameters with a clear error (issue 9).

Each malformed request answers 409 with CKAN's error JSON naming the
parameter (never 500); the /dataset page answers 400; valid requests keep
working as in stock CKAN (the controls). Refusals happen before any search,
so those tests need no catalogue.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.lib.search.common import SearchQueryError
from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.logic.refusals import assert_refused

API = "/api/3/action/package_search"
NUL = "Contains a NUL character, which cannot be stored"
SURROGATE = "Contains an unpaired surrogate, which is not a character"
BOOLEAN = "Expected true or false"
TEXTS = "Expected a list of texts"
MAPPINGS = "A list of mappings is not accepted here"


@pytest.fixture
def catalogue(clean_db: Any, clean_index: Any, with_plugins: Any) -> dict[str, Any]:
    """A public and a private dataset of an organisation with an editor."""
    editor = factories.User()
    organisation = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    public = factories.Dataset(owner_org=organisation["id"], license_id="cc-by",
                               title="Rice harvest 2024")
    private = factories.Dataset(owner_org=organisation["id"], license_id="cc-by",
                                private=True, title="Rice harvest draft figures")
    return {"editor": editor, "public": public, "private": private,
            "token": factories.APIToken(user=editor["name"])["token"]}


MALFORMED_JSON = [
    # booleans that are not booleans
    ("include_private", "maybe", BOOLEAN),
    ("include_private", "", BOOLEAN),
    ("include_private", [True], BOOLEAN),
    ("include_drafts", "maybe", BOOLEAN),
    ("include_deleted", "", BOOLEAN),
    ("include_deleted", 2, BOOLEAN),
    ("use_default_schema", "maybe", BOOLEAN),
    ("use_default_schema", {"a": 1}, BOOLEAN),
    # numbers: empty, not numeric, not whole, huge, negative
    ("rows", "", "Must be a whole number"),
    ("rows", "ten", "Must be a whole number"),
    ("rows", 1.5, "Must be a whole number"),
    ("rows", True, "Must be a whole number"),
    ("rows", "9" * 5000, "Must be a whole number"),
    ("rows", 10**30, "Must be a whole number from 0 to 2147483647"),
    ("rows", -1, "Must be a whole number from 0 to 2147483647"),
    ("start", "", "Must be a whole number"),
    ("start", "x", "Must be a whole number"),
    ("start", 2**63, "Must be a whole number from 0 to 2147483647"),
    ("start", [1], "Must be a whole number"),
    ("facet.mincount", "", "Must be a whole number"),
    ("facet.mincount", "many", "Must be a whole number"),
    ("facet.limit", "", "Must be a whole number"),
    ("facet.limit", 2**40, "Must be a whole number from -2147483647 to 2147483647"),
    # lists and texts of the wrong type
    ("fl", 5, TEXTS),
    ("fl", {"id": 1}, TEXTS),
    ("fl", ["id", 1], TEXTS),
    ("fq_list", None, TEXTS),
    ("fq_list", True, TEXTS),
    ("fq_list", 3, TEXTS),
    ("fq_list", {"a": "b"}, TEXTS),
    ("fq_list", [1], TEXTS),
    ("fq_list", [["tags:x"]], TEXTS),
    ("fq_list", "tags:x", TEXTS),
    ("fq_list", [{"a": "b"}], MAPPINGS),
    ("q", {"a": "b"}, "Expected text, not a mapping"),
    ("q", ["rice"], "Expected text, not a list"),
    ("q", True, "Expected text, not true or false"),
    ("fq", ["tags:x"], "Expected text, not a list"),
    ("fq", {}, "Expected text, not a mapping"),
    ("sort", ["name asc"], "Expected text, not a list"),
    ("qf", {"title": 4}, "Expected text, not a mapping"),
    ("defType", None, "Expected text, not null"),
    ("mm", [1], "Expected text, not a list"),
    ("facet.field", {"a": 1}, TEXTS),
    ("facet.field", [1], TEXTS),
    ("facet.field", "not json", TEXTS),
    ("facet.field", [{"name": "tags"}], MAPPINGS),
    ("extras", "ext_a", "Expected a mapping"),
    # NUL and lone surrogates, anywhere
    ("q", "rice\x00", NUL),
    ("fq", "tags:\ud800", SURROGATE),
    ("qf", "title\x00", NUL),
    ("sort", "\udfff", SURROGATE),
    ("fq_list", ["tags:\x00"], "[0]: " + NUL),
    ("facet.field", ["tags\ud800"], "[0]: " + SURROGATE),
    ("fl", "id\x00", NUL),
    ("ext_bbox", "\x00", NUL),
    ("extras", {"ext_bbox": ["\ud800"]}, "ext_bbox[0]: " + SURROGATE),
]


def test_malformed_json_answers_409_naming_the_field(app, with_plugins):
    # json.dumps sends a lone surrogate as the escape \ud800
    assert_refused(app, {
        (number, field): (API, json.dumps({"q": "rice", field: value}), field, message)
        for number, (field, value, message) in enumerate(MALFORMED_JSON)
    })


def test_malformed_query_string_answers_409(app, with_plugins):
    cases = {
        "include_private=maybe": ("include_private", BOOLEAN),
        "include_drafts=": ("include_drafts", BOOLEAN),
        "rows=": ("rows", "Must be a whole number"),
        "start=99999999999999999999": ("start", "Must be a whole number from 0 to 2147483647"),
        "facet.mincount=x": ("facet.mincount", "Must be a whole number"),
        "fq_list=tags:x": ("fq_list", TEXTS),
        "q=rice%00": ("q", NUL),
        "q=a&q=b": ("q", "Expected text, not a list"),
    }
    assert_refused(app, {query: (f"{API}?{query}", None, field, message)
                         for query, (field, message) in cases.items()})


def test_every_refused_parameter_is_named(app, with_plugins):
    body = {"rows": "", "include_private": "maybe", "q": ["x"], "fq_list": [{"a": 1}]}
    error = app.post(API, json=body, status=409).json["error"]
    assert set(error) == {"__type", "rows", "include_private", "q", "fq_list"}


def test_python_callers_get_a_validation_error_that_pages_catch_too(with_plugins):
    with pytest.raises(ValidationError) as raised:
        call_action("package_search", rows="")
    assert raised.value.error_dict == {"rows": ["Must be a whole number"]}
    assert isinstance(raised.value, SearchQueryError)
    assert str(raised.value) == "rows: Must be a whole number"


class TestDatasetPage:
    def test_nul_in_the_query_answers_400(self, app, catalogue):
        page = app.get("/dataset/", query_string={"q": "rice\x00"}, status=400).body
        assert "Contains a NUL character" in page

    def test_nul_in_a_facet_filter_answers_400(self, app, catalogue):
        app.get("/dataset/", query_string={"tags": "\x00"}, status=400)

    def test_control_the_page_lists_the_public_dataset(self, app, catalogue):
        page = app.get("/dataset/", query_string={"q": "rice"}, status=200).body
        assert "Rice harvest 2024" in page
        assert "Rice harvest draft figures" not in page


class TestValidRequestsStillWork:
    """Controls: what stock CKAN accepts keeps its meaning."""

    def test_include_private_as_a_word_shows_the_members_private_dataset(self, app, catalogue):
        for word in ("true", "True", "yes", "1", " on "):
            result = app.get(API, query_string={"q": "rice", "include_private": word},
                             headers={"Authorization": catalogue["token"]}, status=200).json
            assert result["result"]["count"] == 2, word
        result = app.get(API, query_string={"q": "rice", "include_private": "false"},
                         headers={"Authorization": catalogue["token"]}, status=200).json
        assert result["result"]["count"] == 1

    def test_include_private_as_json_boolean_and_number(self, app, catalogue):
        for value, count in ((True, 2), (1, 2), (False, 1), (0, 1), (None, 1)):
            result = app.post(API, json={"q": "rice", "include_private": value},
                              headers={"Authorization": catalogue["token"]}, status=200).json
            assert result["result"]["count"] == count, value

    def test_an_anonymous_visitor_never_sees_the_private_dataset(self, app, catalogue):
        result = app.post(API, json={"q": "rice", "include_private": True}, status=200).json
        assert [d["title"] for d in result["result"]["results"]] == ["Rice harvest 2024"]

    def test_rows_start_and_facets(self, catalogue):
        kept = call_action("package_search", {"user": catalogue["editor"]["name"]},
                           q="rice", include_private=True, sort="title_string asc",
                           rows="1", start=" 1 ", **{"facet.field": '["organization"]',
                                                     "facet.limit": "-1", "facet.mincount": 1.0})
        assert [d["title"] for d in kept["results"]] == ["Rice harvest draft figures"]
        assert kept["search_facets"]["organization"]["items"][0]["count"] == 2

    def test_rows_above_the_maximum_are_capped_as_in_stock(self, catalogue):
        assert call_action("package_search", rows=5000)["count"] == 1

    def test_fl_as_string_or_list_and_fq_list(self, catalogue):
        listed = call_action("package_search", q="rice", fl=["name", "title"],
                             fq_list=["name:" + catalogue["public"]["name"]])
        assert listed["results"] == [{"name": catalogue["public"]["name"],
                                      "title": "Rice harvest 2024"}]
        named = call_action("package_search", q="rice", fl="name", fq_list=[])
        assert named["results"] == [{"name": catalogue["public"]["name"]}]

    def test_a_number_as_query_is_read_as_text(self, catalogue):
        assert call_action("package_search", q=2024)["count"] == 1

    def test_ext_parameters_still_reach_extensions(self, catalogue):
        assert call_action("package_search", q="rice", ext_bbox="1,2,3,4",
                           extras={"ext_a": "b"})["count"] == 1

    def test_unknown_parameters_are_still_ckans_search_error(self, app, catalogue):
        response = app.post(API, json={"weird_param": 1}, status=400).json
        assert response["error"]["__type"] == "Search Query Error"

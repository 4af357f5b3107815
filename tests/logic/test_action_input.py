"""The odconf_* actions refuse malformed input with a clear error (issue 9).

Booleans, lists, objects, NUL characters or unpaired surrogates as
``id``, ``conference``, ``theme``, ``rows`` or ``start`` answer 409 naming
the parameter, before anything reaches SQL; the controls show that valid
requests, the same parameters given as query-string text included, work.
"""
from __future__ import annotations

import json

from ckan.tests import factories

from tests.logic.refusals import assert_refused

NUL = "Contains a NUL character, which cannot be stored"
SURROGATE = "Contains an unpaired surrogate, which is not a character"
WHOLE = "Must be a whole number"
RANGE = "Must be a whole number from 0 to 2147483647"

#: (action, valid parameters, the parameter made malformed, its value, the message)
MALFORMED = [
    ("odconf_conference_show", {}, "id", True, "Expected text, not true or false"),
    ("odconf_conference_show", {}, "id", ["nodc-2024"], "Expected text, not a list"),
    ("odconf_conference_show", {}, "id", {"name": "nodc-2024"}, "Expected text, not a mapping"),
    ("odconf_conference_show", {}, "id", None, "Missing value"),
    ("odconf_conference_show", {}, "id", "", "Missing value"),
    ("odconf_conference_show", {}, "id", "nodc\x00", NUL),
    ("odconf_conference_show", {}, "id", "nodc\ud800", SURROGATE),
    ("odconf_conference_show", {}, "id", [{"id": "x"}], "A list of mappings is not accepted here"),
    ("odconf_conference_show", {}, "id", "x" * 100_001,
     "Too long: 100001 characters, at most 100000"),
    ("odconf_theme_show", {"theme": "education"}, "conference", [2024], "Expected text, not a list"),
    ("odconf_theme_show", {"theme": "education"}, "conference", "\udfff", SURROGATE),
    ("odconf_theme_show", {"conference": "nodc-2024"}, "theme", ["education"],
     "Expected text, not a list"),
    ("odconf_theme_show", {"conference": "nodc-2024"}, "theme", False,
     "Expected text, not true or false"),
    ("odconf_theme_show", {"conference": "nodc-2024"}, "theme", "edu\x00cation", NUL),
    ("odconf_theme_show", {"conference": "nodc-2024", "theme": "education"}, "rows", "", WHOLE),
    ("odconf_theme_show", {"conference": "nodc-2024", "theme": "education"}, "rows", "x", WHOLE),
    ("odconf_theme_show", {"conference": "nodc-2024", "theme": "education"}, "rows", -1, RANGE),
    ("odconf_theme_show", {"conference": "nodc-2024", "theme": "education"}, "start", 2**63, RANGE),
    ("odconf_theme_show", {"conference": "nodc-2024", "theme": "education"}, "start", [0], WHOLE),
    ("odconf_referencing_datasets", {}, "id", {"$ne": ""}, "Expected text, not a mapping"),
    ("odconf_referencing_datasets", {}, "id", "x\x00", NUL),
    ("odconf_referencing_datasets", {"id": "open-data-survey-2020"}, "rows", True, WHOLE),
    ("odconf_referencing_datasets", {"id": "open-data-survey-2020"}, "rows", 1e300, RANGE),
    ("odconf_referencing_datasets", {"id": "open-data-survey-2020"}, "start", "-3", RANGE),
]

def test_malformed_json_answers_409_naming_the_parameter(app, with_plugins):
    # json.dumps sends a lone surrogate as the escape \ud800
    assert_refused(app, {
        (number, action, field): (f"/api/3/action/{action}", json.dumps(dict(valid, **{field: value})),
                                  field, message)
        for number, (action, valid, field, value, message) in enumerate(MALFORMED)
    })


def test_missing_parameters_are_named(app, with_plugins):
    answers = {
        action: app.get(f"/api/3/action/{action}").json["error"]
        for action in ("odconf_conference_show", "odconf_theme_show", "odconf_referencing_datasets")
    }
    assert answers == {
        "odconf_conference_show": {"__type": "Validation Error", "id": ["Missing value"]},
        "odconf_theme_show": {"__type": "Validation Error", "conference": ["Missing value"],
                              "theme": ["Missing value"]},
        "odconf_referencing_datasets": {"__type": "Validation Error", "id": ["Missing value"]},
    }


def test_malformed_query_string_answers_409(app, with_plugins):
    cases = {
        "odconf_conference_show?id=nodc%00": ("id", NUL),
        "odconf_conference_show?id=a&id=b": ("id", "Expected text, not a list"),
        "odconf_theme_show?conference=nodc-2024&theme=education&rows=": ("rows", WHOLE),
        "odconf_theme_show?conference=nodc-2024&theme=education&start=1e3": ("start", WHOLE),
        "odconf_referencing_datasets?id=x&rows=99999999999999999999": ("rows", RANGE),
    }
    assert_refused(app, {query: (f"/api/3/action/{query}", None, field, message)
                         for query, (field, message) in cases.items()})


def test_controls_valid_requests_work(app, nodc_with_examples):
    """The same actions with valid input, as JSON and as query-string text."""
    citing = factories.Dataset(owner_org="odc", license_id="cc-by", title="Survey follow-up",
                               references=["open-data-survey-2020"])
    api = "/api/3/action/"
    shown = app.get(api + "odconf_conference_show", query_string={"id": "nodc-2024"},
                    status=200).json["result"]
    assert shown["edition"] == "nodc-2024"
    listed = app.post(api + "odconf_conference_list", json={"ignored": [{"a": 1}]},
                      status=200).json["result"]
    assert [edition["edition"] for edition in listed] == ["nodc-2024"]
    theme = app.get(api + "odconf_theme_show", query_string={
        "conference": "nodc-2024", "theme": "education", "rows": "1", "start": "1"},
        status=200).json["result"]
    assert (theme["dataset_count"], [d["name"] for d in theme["datasets"]]) == (
        2, ["nodc-2024-example-education-2"])
    capped = app.post(api + "odconf_theme_show", json={
        "conference": "nodc-2024", "theme": "education", "rows": 10**6},
        status=200).json["result"]
    assert len(capped["datasets"]) == 2
    found = app.post(api + "odconf_referencing_datasets",
                     json={"id": "open-data-survey-2020", "rows": 5.0, "start": 0},
                     status=200).json["result"]
    assert [d["name"] for d in found["results"]] == [citing["name"]]


def test_an_unknown_or_numeric_id_is_not_found(app, with_plugins):
    """A number is read as the text of an id, as CKAN core reads ids."""
    for value in ("x" * 5000, 5, 2.5):
        error = app.post("/api/3/action/odconf_conference_show", json={"id": value},
                         status=404).json["error"]
        assert error["__type"] == "Not Found Error"

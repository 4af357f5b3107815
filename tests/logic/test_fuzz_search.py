"""Property-based fuzzing of package_search and the odconf_* actions (issue 9).

Each target is sent a fixed-seed, bounded stream of requests through the real
HTTP app, as a JSON body or as a query string. Every parameter is either a
value a client would really send or a hostile one: a wrong JSON type, NUL, a
lone surrogate (sent as the JSON escape ``\\ud800``), a huge or non-finite
number, a string of up to 100 kB, a fragment of Solr syntax, or a value
nested up to 300 deep. Whatever arrives, the answer must be:

- never a server error (5xx), within a bounded time;
- no larger than 100 times the request, or than a 20 kB floor for small
  requests (a page of results or a refusal legitimately outweighs a
  20-byte request);
- when not a success, CKAN's JSON error with a ``__type`` and a message.
"""
from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

import pytest
from ckan.tests import factories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

API = "/api/3/action/"
FLOOR = 20_000
AMPLIFICATION = 100
SLOWEST_ANSWER = 10.0  # seconds: generous on a shared test machine; pathologies take minutes

FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)

SOLR_FRAGMENTS = [
    "*:*", 'title:"unterminated', "(((", ")))", "name:[* TO *]", "x~2", "rice^1e99", "\\",
    "{!lucene}x", "{!child of=x}y", "_val_:1", "AND OR NOT", "+-", "title:*", "capacity:private",
    "-state:active", "metadata_modified:[NOW-1000000000YEARS TO NOW]", "id:(a OR b OR c)",
    "' OR 1=1 --", "%00", "<script>alert(1)</script>", "ទិន្នន័យ", "", " ",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfffy", "\ud800\x00"] + SOLR_FRAGMENTS),
    st.text(max_size=40),
    # long strings, up to 100 kB of UTF-8
    st.sampled_from(["a", "rice ", "(", "x OR ", "ទិន្នន័យ", '"', "[", "\x00"]).flatmap(
        lambda unit: st.integers(1, 100_000 // len(unit.encode())).map(lambda count: unit * count)),
)
NUMBER = st.one_of(
    st.integers(-5, 60), st.integers(-2**70, 2**70),
    st.sampled_from([2**31 - 1, 2**31, 2**63, 10**30, -2**31]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, HOSTILE_TEXT)


def _nest(depth: int, kind: str) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


HOSTILE = st.one_of(
    SCALAR,
    st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=8),
    st.builds(_nest, st.integers(1, 300), st.sampled_from(["list", "dict"])),
)


def now_and_then(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any],
                 percent: int) -> st.SearchStrategy[Any]:
    """``rare`` in about ``percent`` % of the draws, else ``usual``.

    A plain ``one_of`` leans towards its first branch, and hypothesis often
    draws the simplest choice, so that one is ``usual`` here.
    """
    return st.sampled_from(range(100)).flatmap(lambda draw: rare if draw >= 100 - percent else usual)


def either(*valid: Any, text: bool = False) -> st.SearchStrategy[Any]:
    """A valid value (one of ``valid``), or in 40 % of the draws a hostile
    one; a text parameter's hostile values include text that passes the type
    check and so reaches the search backend."""
    return now_and_then(st.sampled_from(valid),
                        st.one_of(HOSTILE_TEXT, HOSTILE) if text else HOSTILE, 40)


def request_params(required: dict[str, st.SearchStrategy[Any]],
                   optional: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """The required parameters (mostly valid), any subset of the optional
    ones, and now and then one nobody expects (the required ones left out
    are "missing" now and then too)."""
    unexpected = st.fixed_dictionaries({}, optional={"weird_param": HOSTILE, "ext_bbox": HOSTILE})
    return st.builds(
        lambda given, optional, extra, left_out: {
            name: value for name, value in {**given, **optional, **extra}.items()
            if name != left_out},
        st.fixed_dictionaries(required), st.fixed_dictionaries({}, optional=optional),
        now_and_then(st.just({}), unexpected, 20),
        now_and_then(st.just(None), st.sampled_from(list(required) or [None]), 20),
    )


SEARCH = request_params({}, {
    "q": either("", "rice", "education", "title:rice", "*:*", "name:rice*", 2024, text=True),
    "fq": either("", "+dataset_type:dataset", "conference:odc-test-2025", "theme:education",
                 text=True),
    "fq_list": either([], ["theme:education"], ["+organization:odc-test", "tags:x"]),
    "sort": either("score desc, metadata_modified desc", "title_string asc", "name desc",
                   text=True),
    "rows": either(0, 1, 10, "5", 1000, 5000),
    "start": either(0, 1, "2"),
    "fl": either("id", "name title", ["name", "title"]),
    "facet": either("true", "false"),
    "facet.field": either(["theme", "tags"], '["organization"]', []),
    "facet.limit": either(-1, 0, 10, "3"),
    "facet.mincount": either(0, 1, "2"),
    "include_private": either(True, False, "true", "no", 1),
    "include_drafts": either(True, False, "yes"),
    "include_deleted": either(True, False, "0"),
    "use_default_schema": either(True, False, "t"),
    "qf": either("title^4 text", "name", text=True),
    "defType": either("dismax", "edismax", "lucene"),
    "mm": either("1", "2<-1 5<80%"),
    "extras": either({}, {"ext_a": "b"}),
})
PAGING = {"rows": either(0, 1, 20, "3", 5000), "start": either(0, 1, "1")}
TARGETS = {
    "package_search": SEARCH,
    "odconf_conference_list": request_params({}, {"id": either("odc-test-2025")}),
    "odconf_conference_show": request_params({
        "id": either("odc-test-2025", "not-a-conference", text=True)}, {}),
    "odconf_theme_show": request_params({
        "conference": either("odc-test-2025", "not-a-conference", text=True),
        "theme": either("education", "health", "business", "unknown", text=True),
    }, PAGING),
    "odconf_referencing_datasets": request_params({
        "id": either("rice-harvest", "not-a-dataset", text=True)}, PAGING),
}


def query_string(params: dict[str, Any]) -> str:
    """The parameters as a client puts them in a URL: text as is, lists of
    text as repeated keys, anything else as JSON text."""
    pairs = []
    for name, value in params.items():
        if isinstance(value, str):
            pairs.append((name, value))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            pairs.extend((name, item) for item in value)
        else:
            pairs.append((name, json.dumps(value)))
    return urllib.parse.urlencode(pairs, errors="surrogatepass")


def error_messages(error: dict[str, Any]) -> list[str]:
    """The messages of CKAN's JSON error: ``message``, or the fields' lists."""
    messages = []
    for key, value in error.items():
        if key != "__type":
            messages.extend(value if isinstance(value, list) else [value])
    return [message for message in messages if isinstance(message, str) and message.strip()]


def check_answer(response: Any, request_size: int, elapsed: float) -> None:
    body = response.get_data()
    assert response.status_code < 500, body[:2000]
    assert elapsed < SLOWEST_ANSWER
    assert len(body) <= max(AMPLIFICATION * request_size, FLOOR), (len(body), request_size)
    if response.status_code != 200:
        answer = json.loads(body)
        assert answer["success"] is False
        assert answer["error"]["__type"]
        assert error_messages(answer["error"]), answer["error"]


@pytest.fixture
def catalogue(conference: dict[str, Any]) -> None:
    """The small test conference and a public and a private entry linked to it."""
    for private in (False, True):
        factories.Dataset(name="rice-harvest" + ("-draft" if private else ""), private=private,
                          owner_org="odc-test", license_id="cc-by", title="Rice harvest",
                          conference=conference["name"], theme="education")


@pytest.mark.parametrize("action", list(TARGETS))
def test_fuzz(app, catalogue, action):
    @FUZZ
    @given(params=TARGETS[action], as_json=st.booleans())
    def answer_is_bounded_and_clear(params: dict[str, Any], as_json: bool) -> None:
        started = time.monotonic()
        if as_json:
            body = json.dumps(params)  # NaN and Infinity as Python's JSON writes them
            response = app.post(API + action, data=body, content_type="application/json")
            size = len(API + action) + len(body.encode())
        else:
            url = f"{API}{action}?{query_string(params)}"
            response = app.get(url)
            size = len(url)
        check_answer(response, size, time.monotonic() - started)

    answer_is_bounded_and_clear()

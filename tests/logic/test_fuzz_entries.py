"""Property-based fuzz of ``package_create`` / ``package_update`` with this
extension's fields, sent by an editor over HTTP (issue 9).

Fixed seed and a bounded number of examples, so CI runs the same requests
every time. For every request: no 500; the answer is at most 100 times the
request (with a floor of 20 kB, the size of an ordinary dataset's answer);
a refused create leaves nothing behind (datasets and resources in the
database, datasets in the index, stored files) and a refused update changes
nothing.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import helpers
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.logic.entries import Editor, footprint, valid_dataset

pytestmark = pytest.mark.usefixtures("conference")

#: The answer may be at most this many times the request...
AMPLIFICATION = 100
#: ...or this many bytes, whichever is larger (a valid dataset's answer is ~5 kB).
FLOOR = 20_000

FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

#: Texts an attacker tries first: NUL, lone surrogates, index-sized, nested, YAML bombs.
NASTY_TEXTS = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "ក" * 1000, "x" * 3000,
    "[" * 2000 + "]" * 2000, "{" * 40, "- " * 200 + "a",
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    "odc-test-2025", "education", "schools", "breakout", "KH-12", "km", "cc-by",
    "2020-13-45", "https://example.org", "odc-test", "dataset", "reference", "x",
])
TEXTS = st.one_of(NASTY_TEXTS, st.text(max_size=30))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda children: (st.lists(children, max_size=3)
                      | st.dictionaries(TEXTS, children, max_size=3)),
    max_leaves=6,
)

#: Fields of this extension's schemas, and CKAN core's that clients send.
FIELDS = [
    "conference", "theme", "topic", "session", "references", "language",
    "spatial_coverage", "temporal_start", "temporal_end", "contact_name",
    "contact_email", "url", "version", "title_translated", "notes_translated",
    "license_id", "contributors", "document_kind", "publication_date", "link_status",
    "name", "title", "owner_org", "private", "tag_string", "resources", "type", "id",
]
CHANGES = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=4)


@pytest.fixture
def editor(app: Any) -> Editor:
    """One editor for all the examples of a test."""
    return Editor(app)


@pytest.fixture
def dataset_id(editor: Editor) -> str:
    """The dataset the update examples change."""
    return editor.post("package_create", valid_dataset()).json["result"]["id"]


def request_body(data: dict[str, Any]) -> bytes:
    """The JSON a client sends (lone surrogates travel as ``\\ud800`` escapes)."""
    return json.dumps(data).encode()


def assert_bounded(answer_size: int, request: bytes) -> None:
    assert answer_size <= max(AMPLIFICATION * len(request), FLOOR), (
        answer_size, request[:300])


@seed(20261130)
@FUZZ
@given(changes=CHANGES)
def test_package_create(editor, changes):
    request = request_body(valid_dataset(**changes))
    before = footprint()
    answer = editor.post("package_create", raw=request)
    assert answer.status in (200, 400, 403, 404, 409), (answer.status, request[:300])
    assert_bounded(len(answer.body), request)
    after = footprint()
    if answer.status == 200:
        created = answer.json["result"]
        assert after["packages"] == before["packages"] + 1
        assert after["resources"] == before["resources"] + len(created["resources"])
        # purged, so that the next examples may use the same name
        helpers.call_action("dataset_purge", {"ignore_auth": True}, id=created["id"])
    else:
        assert after == before, request[:300]


@seed(20261130)
@FUZZ
@given(changes=CHANGES)
def test_package_update(editor, dataset_id, changes):
    current = helpers.call_action("package_show", id=dataset_id)
    request = request_body({**current, **changes})
    before = footprint()
    answer = editor.post("package_update", raw=request)
    assert answer.status in (200, 400, 403, 404, 409), (answer.status, request[:300])
    assert_bounded(len(answer.body), request)
    if answer.status != 200:
        assert footprint() == before, request[:300]
        assert helpers.call_action("package_show", id=current["id"]) == current

"""The catalogue and the index never disagree after an action returns."""
from __future__ import annotations

import pysolr
import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib.search import SearchIndexError
from ckan.lib.search.common import make_connection
from ckan.logic import NotFound
from ckan.tests import factories
from ckan.tests.helpers import call_action
from sqlalchemy import text

from ckanext.odconf.search import store
from ckanext.odconf.search.documents import DocumentError, to_row

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY


def indexed(dataset_id: str) -> int:
    return model.Session.execute(
        text("SELECT count(*) FROM odconf_search.document WHERE id = :id"),
        {"id": dataset_id}).scalar()


@pytest.fixture
def failing_index_writes():
    """A real database constraint that refuses index rows titled 'poisoned'."""
    model.Session.execute(text(
        "ALTER TABLE odconf_search.document ADD CONSTRAINT odconf_test_poison "
        "CHECK (doc ->> 'title' IS DISTINCT FROM 'poisoned')"))
    model.Session.commit()
    yield
    model.Session.rollback()
    model.Session.execute(text(
        "ALTER TABLE odconf_search.document DROP CONSTRAINT odconf_test_poison"))
    model.Session.commit()


def test_create_update_delete_purge_are_indexed_at_once():
    dataset = factories.Dataset(title="Commune budgets")
    assert indexed(dataset["id"]) == 1
    call_action("package_patch", id=dataset["id"], title="Commune budgets 2024")
    assert call_action("package_search", q="2024")["count"] == 1
    call_action("package_delete", id=dataset["id"])
    assert call_action("package_search", q="budgets")["count"] == 0
    call_action("dataset_purge", id=dataset["id"])
    assert indexed(dataset["id"]) == 0


def test_a_failing_index_write_leaves_no_dataset(failing_index_writes):
    before = model.Session.query(model.Package).count()
    with pytest.raises(SearchIndexError):
        call_action("package_create", name="poisoned-dataset", title="poisoned")
    model.Session.rollback()
    assert model.Session.query(model.Package).count() == before
    with pytest.raises(NotFound):
        call_action("package_show", id="poisoned-dataset")
    assert call_action("package_search", q="poisoned")["count"] == 0


def test_a_failing_index_write_leaves_the_update_undone(failing_index_writes):
    dataset = factories.Dataset(title="Healthy title")
    with pytest.raises(SearchIndexError):
        call_action("package_patch", id=dataset["id"], title="poisoned")
    model.Session.rollback()
    assert call_action("package_show", id=dataset["id"])["title"] == "Healthy title"
    assert [d["title"] for d in call_action("package_search", q="healthy")["results"]] == ["Healthy title"]


@pytest.mark.parametrize("field,value,message", [
    ("languages", ["en", "km"], "multiple values encountered for non multiValued field languages"),
    ("spatial", {"type": "Point"}, "nested value"),
    ("release_date", "not a date", "Invalid Date String"),
])
def test_documents_stock_solr_would_refuse_are_refused(field, value, message):
    document = {"index_id": "x", "id": "x", "site_id": "s", field: value}
    with pytest.raises(DocumentError, match=message):
        to_row(document)


def test_multi_valued_vocab_fields_are_accepted_and_searchable():
    conn = make_connection()
    conn.add(docs=[{"index_id": "x", "id": "x", "site_id": "elsewhere",
                    "vocab_languages": ["en", "km"]}])
    assert conn.search(q="vocab_languages:km").hits == 1


def test_a_search_before_the_commit_keeps_what_is_to_be_indexed():
    # CKAN indexes at commit the datasets it collected during the
    # transaction; a search in between must not make it forget them.
    org = factories.Organization()
    context = {"user": factories.Sysadmin()["name"], "defer_commit": True}
    call_action("package_create", context=dict(context), name="deferred", owner_org=org["id"])
    call_action("package_search", q="deferred")
    model.repo.commit()
    assert call_action("package_search", q="name:deferred")["count"] == 1


def test_cached_results_follow_every_committed_change():
    dataset = factories.Dataset(title="Commune budgets")
    assert call_action("package_search", q="budgets")["count"] == 1
    call_action("package_patch", id=dataset["id"], title="Commune spending")
    assert call_action("package_search", q="budgets")["count"] == 0
    call_action("package_delete", id=dataset["id"])
    assert call_action("package_search", q="spending")["count"] == 0


@pytest.mark.parametrize("ttl,found_after_change_behind_its_back", [("600", 1), ("0", 0)])
def test_results_come_from_the_cache_until_the_index_changes(
        ckan_config, monkeypatch, ttl, found_after_change_behind_its_back):
    monkeypatch.setitem(ckan_config, "odconf_search.result_cache_ttl", ttl)
    factories.Dataset(name="cached", title="Commune budgets", notes="Spending")
    assert call_action("package_search", q="budgets")["count"] == 1
    # Behind the backend's back: the index changes but its generation does not,
    # so a cached result still answers; with the cache off, the index does.
    model.Session.execute(text("DELETE FROM odconf_search.document"))
    model.Session.commit()
    assert call_action("package_search", q="budgets")["count"] == found_after_change_behind_its_back
    factories.Dataset(name="another", title="Another", notes="Unrelated")  # a committed change
    assert call_action("package_search", q="budgets")["count"] == 0


def add_in_batch(conn, *docs):
    with store.batch(model.Session, conn.text_config):
        for doc in docs:
            conn.add(docs=[doc])
            assert indexed(doc["index_id"]) == 0  # not before the batch ends


def test_a_batch_writes_its_documents_together_at_its_end():
    conn = make_connection()
    add_in_batch(conn, *({"index_id": n, "id": n, "site_id": "elsewhere", "title": "commune"}
                         for n in "abc"))
    assert [indexed(n) for n in "abc"] == [1, 1, 1]
    model.Session.commit()
    assert conn.search(q="title:commune").hits == 3


def test_a_document_written_twice_in_one_batch_keeps_its_last_version():
    conn = make_connection()
    add_in_batch(conn, *({"index_id": "x", "id": "x", "site_id": "elsewhere", "title": title}
                         for title in ("first", "second")))
    conn.commit()
    assert [d["title"] for d in conn.search(q="id:x").docs] == ["second"]


def test_a_failing_batch_says_so_and_writes_nothing_of_it(failing_index_writes):
    conn = make_connection()
    with pytest.raises(pysolr.SolrError, match="none of the 3 documents written together"
                                               ".*odconf_test_poison"):
        add_in_batch(conn, *({"index_id": n, "id": n, "site_id": "elsewhere", "title": n}
                             for n in ("good", "poisoned", "also-good")))
    model.Session.rollback()
    assert [indexed(name) for name in ("good", "poisoned", "also-good")] == [0, 0, 0]


def test_a_rebuild_stops_on_a_failing_batch(cli, failing_index_writes):
    factories.Dataset(name="healthy", title="Healthy")
    sick = factories.Dataset(name="sick", title="Sick")
    model.Session.execute(text("UPDATE package SET title = 'poisoned' WHERE id = :id"),
                          {"id": sick["id"]})
    model.Session.commit()
    result = cli.invoke(ckan, ["odconf-search", "rebuild", "--workers", "1", "-q"])
    assert result.exit_code != 0
    assert "none of the 2 documents written together" in result.output

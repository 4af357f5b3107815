"""``ckan search-index rebuild|check|show|clear`` work on the embedded index."""
from __future__ import annotations

from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action
from sqlalchemy import text

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY

def count() -> int:
    return call_action("package_search")["count"]

def test_clear_then_rebuild(cli):
    first = factories.Dataset(name="first")
    factories.Dataset(name="second")
    result = cli.invoke(ckan, ["search-index", "clear"])
    assert result.exit_code == 0, result.output
    assert count() == 0

    result = cli.invoke(ckan, ["search-index", "rebuild", "-q"])
    assert result.exit_code == 0, result.output
    assert count() == 2

    result = cli.invoke(ckan, ["search-index", "clear", first["name"]])
    assert result.exit_code == 0, result.output
    assert [d["name"] for d in call_action("package_search")["results"]] == ["second"]

def test_check_lists_what_is_missing(cli):
    factories.Dataset(name="indexed")
    missing = factories.Dataset(name="missing")
    model.Session.execute(text("DELETE FROM odconf_search.document WHERE id = :id"),
                          {"id": missing["id"]})
    model.Session.commit()
    result = cli.invoke(ckan, ["search-index", "check"])
    assert result.exit_code == 0, result.output
    assert "Packages not indexed = 1 out of 2" in result.output
    assert "missing" in result.output

    result = cli.invoke(ckan, ["search-index", "rebuild", "--only-missing", "-q"])
    assert result.exit_code == 0, result.output
    assert count() == 2

def test_show_prints_the_indexed_document(cli):
    dataset = factories.Dataset(name="shown", title="Shown dataset")
    result = cli.invoke(ckan, ["search-index", "show", "shown"])
    assert result.exit_code == 0, result.output
    assert "'name': 'shown'" in result.output
    assert "'title': 'Shown dataset'" in result.output
    assert dataset["id"] in result.output

def test_rebuild_picks_up_changes_made_behind_ckan(cli):
    dataset = factories.Dataset(name="renamed", title="Old title", notes="Unchanged")
    model.Session.execute(text("UPDATE package SET title = 'New title' WHERE id = :id"),
                          {"id": dataset["id"]})
    model.Session.commit()
    assert call_action("package_search", q="new")["count"] == 0
    result = cli.invoke(ckan, ["search-index", "rebuild", dataset["name"]])
    assert result.exit_code == 0, result.output
    found = call_action("package_search", q="new")["results"]
    assert [d["title"] for d in found] == ["New title"]


def test_parallel_rebuild(cli):
    for number in range(7):
        factories.Dataset(name=f"dataset-{number}")
    cli.invoke(ckan, ["search-index", "clear"])
    assert count() == 0
    result = cli.invoke(ckan, ["odconf-search", "rebuild", "--workers", "2", "--batch", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert "Indexed 7 datasets" in result.output
    assert count() == 7

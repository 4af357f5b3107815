"""Facet counts kept by the index agree with counting the documents themselves.

A search that filters only on site, state, capacity, dataset type and
permission labels reads its count and CKAN's default facets from
``odconf_search.facet_count``; any other search counts the matching
documents. ``name:*`` matches every dataset yet reads a field outside those,
so it forces the second way: both must give the same numbers to everyone.
"""
from __future__ import annotations

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action
from sqlalchemy import text

from ckanext.odconf.search import transaction

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY

FACETS = '["organization", "groups", "tags", "res_format", "license_id"]'


def counts(user, **params):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    result = call_action("package_search", context=context, rows=0, **{"facet.field": FACETS}, **params)
    return result["count"], {name: {item["name"]: item["count"] for item in facet["items"]}
                             for name, facet in result["search_facets"].items()}


def counted_rows() -> int:
    return model.Session.execute(text("SELECT count(*) FROM odconf_search.facet_count")).scalar()


@pytest.fixture
def catalogue():
    member = factories.User(name="member")
    odc = factories.Organization(name="odc", users=[{"name": member["name"], "capacity": "editor"}])
    taf = factories.Organization(name="taf")
    group = factories.Group(name="education")
    factories.Dataset(name="school-census", owner_org=odc["id"], license_id="cc-by",
                      tags=[{"name": "schools"}, {"name": "census"}], groups=[{"name": group["name"]}],
                      resources=[{"url": "http://a/1.csv", "format": "CSV"},
                                 {"url": "http://a/2.csv", "format": "CSV"},
                                 {"url": "http://a/3.pdf", "format": "PDF"}])
    factories.Dataset(name="budget", owner_org=odc["id"], license_id="cc-by",
                      tags=[{"name": "budget"}], resources=[{"url": "http://a/b.xlsx", "format": "XLSX"}])
    factories.Dataset(name="private-budget", owner_org=odc["id"], private=True, license_id="odc-odbl",
                      tags=[{"name": "budget"}], resources=[{"url": "http://a/p.csv", "format": "CSV"}])
    factories.Dataset(name="taf-private", owner_org=taf["id"], private=True, tags=[{"name": "secret"}])
    factories.Dataset(name="draft", owner_org=odc["id"], state="draft", user=member,
                      tags=[{"name": "unfinished"}])
    gone = factories.Dataset(name="gone", owner_org=taf["id"], tags=[{"name": "schools"}])
    call_action("package_delete", id=gone["id"])
    return {"member": member, "sysadmin": factories.Sysadmin()}


def test_counts_as_a_visitor_sees_them(catalogue):
    hits, facets = counts(None)
    assert hits == 2
    # Two CSV resources count the dataset once, as Solr does.
    assert facets["res_format"] == {"CSV": 1, "PDF": 1, "XLSX": 1}
    assert facets["tags"] == {"schools": 1, "census": 1, "budget": 1}
    assert facets["organization"] == {"odc": 2}
    assert facets["groups"] == {"education": 1}
    assert facets["license_id"] == {"cc-by": 2}


@pytest.mark.parametrize("who", [None, "member", "sysadmin"])
@pytest.mark.parametrize("params", [{}, {"include_private": True},
                                    {"include_private": True, "include_drafts": True},
                                    {"fq": "capacity:public"}, {"fq": "-permission_labels:public"}])
def test_kept_counts_equal_counted_documents(catalogue, who, params):
    user = catalogue[who] if who else None
    kept = counts(user, **params)
    scanned = counts(user, **dict(params, q="name:*"))
    assert kept == scanned
    if who == "sysadmin" and params.get("include_private"):
        assert kept[1]["organization"] == {"odc": 3 + bool(params.get("include_drafts")), "taf": 1}


def test_counts_follow_updates_deletes_and_rollbacks(catalogue):
    dataset = call_action("package_show", id="budget")
    call_action("package_patch", id=dataset["id"], tags=[{"name": "finance"}],
                resources=[{"url": "http://a/b.json", "format": "JSON"}])
    hits, facets = counts(None)
    assert facets["tags"] == {"schools": 1, "census": 1, "finance": 1}
    assert facets["res_format"] == {"CSV": 1, "PDF": 1, "JSON": 1}
    call_action("package_delete", id="school-census")
    assert counts(None) == (1, counts(None, q="name:*")[1])
    assert counts(None)[1]["tags"] == {"finance": 1}
    # A change rolled back leaves the counts as they were.
    before = counts(None)
    model.Session.execute(text("DELETE FROM odconf_search.document"))
    model.Session.rollback()
    assert counts(None) == before


def test_clear_and_rebuild_recount(catalogue, cli):
    expected = counts(catalogue["sysadmin"], include_private=True)
    assert cli.invoke(ckan, ["search-index", "clear"]).exit_code == 0
    assert counts(catalogue["sysadmin"], include_private=True) == (0, {
        name: {} for name in expected[1]})
    assert cli.invoke(ckan, ["search-index", "rebuild", "-q"]).exit_code == 0
    assert counts(catalogue["sysadmin"], include_private=True) == expected


def test_appended_changes_are_folded_together(catalogue):
    expected = counts(None)
    dataset = call_action("package_show", id="budget")
    before = counted_rows()
    # Each patch appends two rows (-1 for the old tag, +1 for the new one);
    # one commit in COMPACT_EVERY folds them.
    for n in range(transaction.COMPACT_EVERY):
        call_action("package_patch", id=dataset["id"], tags=[{"name": f"tag-{n % 2}"}])
    call_action("package_patch", id=dataset["id"], tags=[{"name": "budget"}])
    assert counted_rows() < before + 2 * transaction.COMPACT_EVERY
    assert counts(None) == expected
    assert model.Session.execute(text("SELECT odconf_search.compact_facet_counts()")).scalar()
    # One row per (visibility, field, value) once folded.
    distinct = model.Session.execute(text(
        "SELECT count(*) FROM (SELECT DISTINCT site_id, state, capacity, dataset_type,"
        " permission_labels, field, value FROM odconf_search.facet_count) kept")).scalar()
    assert counted_rows() == distinct
    model.Session.commit()
    assert counts(None) == expected


@pytest.mark.ckan_config("odconf_search.result_cache_ttl", "0")
def test_unfiltered_searches_read_the_kept_counts(catalogue):
    # A count planted in the table shows where the numbers come from.
    model.Session.execute(text(
        "INSERT INTO odconf_search.facet_count SELECT site_id, state, capacity, dataset_type,"
        " permission_labels, 'tags', 'planted', 1 FROM odconf_search.facet_count"
        " WHERE field = '' AND capacity = 'public' AND state = 'active' LIMIT 1"))
    assert counts(None)[1]["tags"]["planted"] == 1
    assert "planted" not in counts(None, q="name:*")[1]["tags"]
    assert "planted" not in counts(None, fq="tags:budget")[1]["tags"]
    model.Session.rollback()

"""Private, draft and deleted datasets never reach someone who may not see them."""
from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY


def names_for(user, **params) -> set[str]:
    """Names package_search returns to ``user`` (None: anonymous), with CKAN's auth."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return {d["name"] for d in call_action("package_search", context=context, **params)["results"]}


@pytest.fixture
def catalogue():
    member = factories.User(name="member")
    outsider = factories.User(name="outsider")
    org = factories.Organization(name="odc", users=[{"name": member["name"], "capacity": "editor"}])
    other_org = factories.Organization(name="taf")
    factories.Dataset(name="public-survey", owner_org=org["id"])
    factories.Dataset(name="private-survey", owner_org=org["id"], private=True)
    factories.Dataset(name="private-elsewhere", owner_org=other_org["id"], private=True)
    factories.Dataset(name="draft-by-member", owner_org=org["id"], state="draft",
                      user=member)
    deleted = factories.Dataset(name="deleted-survey", owner_org=org["id"])
    call_action("package_delete", id=deleted["id"])
    return {"member": member, "outsider": outsider, "sysadmin": factories.Sysadmin()}


def test_anonymous_sees_only_public_active(catalogue):
    assert names_for(None) == {"public-survey"}
    assert names_for(None, include_private=True, include_drafts=True) == {"public-survey"}


def test_private_needs_a_permission_label(catalogue):
    assert names_for(catalogue["outsider"], include_private=True) == {"public-survey"}
    assert names_for(catalogue["member"], include_private=True) == {"public-survey", "private-survey"}
    assert names_for(catalogue["member"]) == {"public-survey"}


def test_a_filter_cannot_widen_visibility(catalogue):
    assert names_for(catalogue["outsider"], fq="capacity:private", include_private=True) == set()
    assert names_for(catalogue["outsider"], q="name:private-survey", include_private=True) == set()
    assert names_for(None, fq="+state:draft") == set()


def test_drafts_for_their_creator_only(catalogue):
    assert "draft-by-member" in names_for(catalogue["member"], include_drafts=True)
    assert "draft-by-member" not in names_for(catalogue["member"])
    assert "draft-by-member" not in names_for(catalogue["outsider"], include_drafts=True)


@pytest.mark.ckan_config("ckan.search.remove_deleted_packages", "false")
def test_deleted_only_on_request(catalogue):
    sysadmin = catalogue["sysadmin"]
    assert "deleted-survey" not in names_for(sysadmin, include_private=True)
    assert "deleted-survey" in names_for(sysadmin, include_deleted=True)


def test_sysadmin_sees_every_private_dataset(catalogue):
    assert names_for(catalogue["sysadmin"], include_private=True) == {
        "public-survey", "private-survey", "private-elsewhere"}


def test_organization_page_counts_respect_privacy(app, catalogue):
    page = app.get("/organization/odc")
    assert "public-survey" in page.body
    assert "private-survey" not in page.body

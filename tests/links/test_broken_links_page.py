"""The editors' page of an organisation's broken links: visible to its
editors and to sysadmins only, listing each broken link with its entry."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.odconf.links import storage

from .conftest import LOCAL_SERVER, LinkServer, reference_data, run_queued_jobs

pytestmark = [*LOCAL_SERVER, pytest.mark.usefixtures("with_plugins", "clean_links", "clean_index")]


@pytest.fixture
def catalogue(link_server: LinkServer) -> dict[str, Any]:
    """Organisation ``publisher`` with a public reference whose landing page is
    broken (404), one document broken (500) and one working, and a reference
    that was public when checked and is private now; people in every role."""
    sysadmin = factories.Sysadmin()
    people = {role: factories.User() for role in ("admin", "editor", "member", "outsider")}
    organisation = factories.Organization(name="publisher", users=[
        {"name": people[role]["name"], "capacity": role} for role in ("admin", "editor", "member")])
    factories.Organization(name="other", users=[
        {"name": people["outsider"]["name"], "capacity": "editor"}])
    context = {"user": sysadmin["name"]}
    helpers.call_action("package_create", dict(context), **reference_data(
        organisation["name"], "roadmap", link_server.url("/missing"),
        [link_server.url("/error"), link_server.url("/ok")]))
    helpers.call_action("package_create", dict(context), **reference_data(
        organisation["name"], "internal-note", link_server.url("/missing?internal"), []))
    assert run_queued_jobs() == 2
    # made private after its check, before its next job: its row is still stored
    helpers.call_action("package_patch", dict(context), id="internal-note", private=True)
    assert len(storage.broken_links(organisation["id"])) == 2
    return {"sysadmin": sysadmin, **people}


def page_of(app: Any, url: str, user: Any) -> Any:
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    return app.get(url, headers=headers)


def page(app: Any, user: Any, language: str = "") -> Any:
    return page_of(app, f"{language}/organization/broken-links/publisher", user)


@pytest.mark.parametrize("role", ["admin", "editor", "sysadmin"])
def test_editors_and_sysadmins_see_each_broken_link_with_its_entry(
        app: Any, catalogue: dict[str, Any], link_server: LinkServer, role: str) -> None:
    response = page(app, catalogue[role])
    assert response.status_code == 200
    body = response.body
    assert body.count('<tr data-url="') == 2
    assert f'<tr data-url="{link_server.url("/missing")}"' in body
    assert f'<tr data-url="{link_server.url("/error")}"' in body
    assert "Publication roadmap" in body and "Document 1" in body
    assert "The server answered with an error." in body and "(404)" in body and "(500)" in body
    # the working document and the entry that is private now are not listed
    assert link_server.url("/ok") not in body
    assert "internal" not in body


def test_editors_find_the_page_on_the_organisation_page(app: Any, catalogue: dict[str, Any]) -> None:
    link = 'href="/organization/broken-links/publisher"'
    assert link in page_of(app, "/organization/publisher", catalogue["editor"]).body
    # the control: a member of the organisation is not shown the way to it
    assert link not in page_of(app, "/organization/publisher", catalogue["member"]).body


def test_the_page_in_khmer(app: Any, catalogue: dict[str, Any]) -> None:
    body = page(app, catalogue["editor"], "/km").body
    assert "តំណភ្ជាប់ខូចរបស់" in body and "ម៉ាស៊ីនមេបានឆ្លើយតបដោយកំហុស។" in body


@pytest.mark.parametrize("role", ["member", "outsider", None])
def test_others_are_refused(app: Any, catalogue: dict[str, Any], link_server: LinkServer,
                            role: Any) -> None:
    response = page(app, catalogue[role] if role else None)
    assert response.status_code == 403
    assert link_server.url("/missing") not in response.body


def test_the_action_names_no_link_to_a_member(catalogue: dict[str, Any]) -> None:
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("odconf_broken_links_list", {"user": catalogue["member"]["name"],
                                                         "ignore_auth": False}, id="publisher")
    report = helpers.call_action("odconf_broken_links_list", {"user": catalogue["editor"]["name"],
                                                              "ignore_auth": False}, id="publisher")
    assert [link["package_name"] for link in report["links"]] == ["roadmap", "roadmap"]


@pytest.mark.parametrize("organisation, status", [
    ("no-such-organisation", 404), ("x" * 5000, 404),
    ("%00", 400),  # refused by the request guards before any view
])
def test_an_unknown_organisation_is_not_found(app: Any, catalogue: dict[str, Any],
                                              organisation: str, status: int) -> None:
    response = page_of(app, f"/organization/broken-links/{organisation}", catalogue["sysadmin"])
    assert response.status_code == status


@pytest.mark.parametrize("value", [None, ["publisher"], {"a": 1}, "", "x\x00", "\ud800x"])
def test_a_malformed_id_is_a_validation_error(catalogue: dict[str, Any], value: Any) -> None:
    with pytest.raises(tk.ValidationError):
        helpers.call_action("odconf_broken_links_list", {"user": catalogue["sysadmin"]["name"]},
                            id=value)

"""Links are checked in the background: a job enqueued when an entry is
created or its links change, run by a real ``ckan jobs worker``; each page
shows the status next to each link, in English and Khmer."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from bs4 import BeautifulSoup
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.odconf.links import jobs, storage

from ..logic.entries import valid_dataset
from .conftest import LOCAL_SERVER, LinkServer, reference_data, run_ckan, run_queued_jobs

pytestmark = [*LOCAL_SERVER, pytest.mark.usefixtures("with_plugins", "clean_links", "clean_index")]

PATHS = ["/ok", "/found", "/missing", "/error", "/no-head", "/slow", "/endless"]
EXPECTED = {"/moved": ("moved", 200), "/ok": ("works", 200), "/found": ("works", 200),
            "/missing": ("broken", 404), "/error": ("broken", 500), "/no-head": ("works", 206),
            "/slow": ("broken", None), "/endless": ("works", 200)}


def statuses(page: str) -> dict[str, str]:
    """The status shown next to each link of an entry's page: {url: label}."""
    soup = BeautifulSoup(page, "html.parser")
    shown = {}
    for item in soup.select("li.resource-item"):
        badge = item.select_one(".odconf-link-status")
        shown[item["data-id"]] = badge.get_text(strip=True) if badge else ""
    for badge in soup.select(".additional-info .odconf-link-status"):
        shown["landing page"] = badge.get_text(strip=True)
    return shown


def test_a_worker_checks_a_new_reference_and_its_page_shows_each_status(
        app: Any, link_server: LinkServer, worker_ini: Callable[..., str]) -> None:
    organisation = factories.Organization()
    sysadmin = factories.Sysadmin()
    reference = helpers.call_action(
        "package_create", {"user": sysadmin["name"]},
        **reference_data(organisation["name"], "survey", link_server.url("/moved"),
                         [link_server.url(path) for path in PATHS]))
    # the write only enqueued a job: nothing was fetched in the request
    [job] = ckan_jobs.get_queue().jobs
    assert job.meta["title"] == "odconf: check the links of survey"
    assert link_server.count() == 0
    page = app.get("/reference/survey").body
    assert set(statuses(page).values()) == {"Not checked yet"}

    ini = worker_ini({"odconf.links.allowed_hosts": "127.0.0.1", "odconf.links.timeout": "1"})
    worker = run_ckan(ini, "jobs", "worker", "--burst")
    assert worker.returncode == 0, worker.stderr

    recorded = storage.results(link_server.url(path) for path in EXPECTED)
    assert {path: (recorded[link_server.url(path)]["state"],
                   recorded[link_server.url(path)]["status_code"]) for path in EXPECTED} == EXPECTED
    assert recorded[link_server.url("/slow")]["problem"] == "timeout"
    assert recorded[link_server.url("/moved")]["final_url"] == link_server.url("/ok")

    by_resource = {resource["id"]: path for resource, path in zip(reference["resources"], PATHS)}
    english = statuses(app.get("/reference/survey").body)
    assert english.pop("landing page") == "Moved"
    shown = {by_resource[resource_id]: label for resource_id, label in english.items()}
    assert shown["/ok"] == shown["/found"] == shown["/no-head"] == shown["/endless"] == "Works"
    for path in ("/missing", "/error", "/slow"):
        assert shown[path].startswith("Broken since ")
    khmer = statuses(app.get("/km/reference/survey").body)
    assert khmer.pop("landing page") == "បានផ្លាស់ទី"
    shown = {by_resource[resource_id]: label for resource_id, label in khmer.items()}
    assert shown["/ok"] == shown["/endless"] == "ដំណើរការ"
    assert shown["/missing"].startswith("ខូចតាំងពី ")


def test_a_changed_link_is_checked_and_the_first_failure_is_kept(
        app: Any, link_server: LinkServer) -> None:
    organisation = factories.Organization()
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    helpers.call_action("package_create", dict(context), **reference_data(
        organisation["name"], "handbook", link_server.url("/missing"), []))
    assert run_queued_jobs() == 1
    first = storage.results([link_server.url("/missing")])[link_server.url("/missing")]
    assert first["broken_since"] == first["checked_at"]

    # an edit of the title leaves the link as it was: not fetched again
    helpers.call_action("package_patch", dict(context), id="handbook",
                        title_translated={"en": "Handbook", "km": "សៀវភៅណែនាំ"})
    assert run_queued_jobs() == 1 and link_server.count() == 1

    # checked again later (the scheduled run): still broken since the first failure
    jobs.check_urls([link_server.url("/missing")])
    again = storage.results([link_server.url("/missing")])[link_server.url("/missing")]
    assert again["checked_at"] > first["checked_at"]
    assert again["broken_since"] == first["broken_since"]
    page = app.get("/reference/handbook").body
    assert "Broken since" in page

    # a new address is checked on the edit that sets it
    helpers.call_action("package_patch", dict(context), id="handbook", url=link_server.url("/ok"))
    assert run_queued_jobs() == 1
    assert link_server.count("/ok") == 1
    assert statuses(app.get("/reference/handbook").body)["landing page"] == "Works"


def test_links_of_private_entries_are_not_checked(app: Any, link_server: LinkServer) -> None:
    organisation = factories.Organization()
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    helpers.call_action("package_create", dict(context), **reference_data(
        organisation["name"], "draft-policy", link_server.url("/ok"), [], private=True))
    helpers.call_action("package_create", dict(context), **reference_data(
        organisation["name"], "policy", link_server.url("/found"), []))
    assert run_queued_jobs() == 2
    # the public entry is the control: its link was checked
    assert link_server.count("/found") == 1 and link_server.count("/ok") == 1
    assert [request[2] for request in link_server.requests] == ["/found", "/ok"]
    assert storage.urls_to_check(None) == [link_server.url("/found")]


def test_a_dataset_page_shows_the_status_of_its_source_and_resources(
        app: Any, conference: dict[str, Any], link_server: LinkServer) -> None:
    sysadmin = factories.Sysadmin()
    dataset = helpers.call_action("package_create", {"user": sysadmin["name"]}, **valid_dataset(
        url=link_server.url("/ok"),
        resources=[{"url": link_server.url("/missing"), "format": "CSV", "name": "Schools"}]))
    assert run_queued_jobs() == 1
    [resource] = dataset["resources"]
    english = statuses(app.get("/dataset/schools-2023").body)
    assert english["landing page"] == "Works"
    assert english[resource["id"]].startswith("Broken since ")
    khmer = statuses(app.get("/km/dataset/schools-2023").body)
    assert khmer["landing page"] == "ដំណើរការ"
    assert khmer[resource["id"]].startswith("ខូចតាំងពី ")

"""A real harvester on the other end (issue 13).

The test site (its database filled by the fixtures) is served by gunicorn on
a free port. A second CKAN site, with a database and a configuration of its
own, runs ckanext-harvest and ckanext-dcat's ``dcat_rdf_harvester`` (with
this extension, as a regional portal running the same programme would) and
harvests the first one's ``/catalog.ttl``, every page of it, with
``ckan harvester run-test`` in the foreground. What arrives is read from the
second site with ``ckan api`` (ckanapi's command).
"""
from __future__ import annotations

import json
import pathlib
from typing import Any, Iterator

import pytest
from ckan.tests import helpers

from ckanext.odconf.hackathon.projects import PUBLISHING_RESULTS
from tests.conftest import NODC_2024
from tests import sites

SOURCE = "nodc-source"
HARVESTER_PLUGINS = ("odconf_search odconf scheming_datasets scheming_groups dcat harvest "
                     "dcat_rdf_harvester odconf_harvest")
OUTSIDE_URL = "https://example.org/open-data-study"
PROJECT = "nodc-2024-example-hackathon-project-1"


@pytest.fixture
def catalogue(nodc_with_examples: Any) -> dict[str, Any]:
    """The demo catalogue, with references both ways, a private and a draft entry, and
    the example hackathon projects (published), the first one awarded."""
    helpers.call_action("package_patch", id="nodc-2024-example-education-1",
                        references=["open-data-survey-2020", OUTSIDE_URL])
    # as publishing the results does
    helpers.call_action("package_patch", {PUBLISHING_RESULTS: True, "ignore_auth": True},
                        id=PROJECT, award="first")
    common = dict(owner_org="odc", license_id="cc-by", conference="nodc-2024", theme="education")
    helpers.call_action("package_create", name="hidden-private", private=True,
                        title_translated={"en": "Hidden private"}, **common)
    helpers.call_action("package_create", name="hidden-draft", state="draft",
                        title_translated={"en": "Hidden draft"}, **common)
    public = helpers.call_action("package_search", rows=1000)["results"]
    return {entry["id"]: entry for entry in public}


@pytest.fixture
def source(catalogue: Any, request: pytest.FixtureRequest,
           tmp_path: pathlib.Path) -> Iterator[str]:
    """The test site served by gunicorn, five datasets a page (so several pages)."""
    port = sites.free_port()
    ini = sites.write_ini(pathlib.Path(request.config.getoption("ckan_ini")).resolve(),
                          tmp_path / "source.ini", **{
                              "ckan.site_url": f"http://127.0.0.1:{port}",
                              "ckanext.dcat.datasets_per_page": "5"})
    with sites.serve(ini, port, tmp_path / "source.log") as url:
        yield url


@pytest.fixture
def harvester(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    """The second site: its own database, migrations, the NODC programme, no examples."""
    base = pathlib.Path(request.config.getoption("ckan_ini")).resolve()
    options = sites.options(base)
    name = options["sqlalchemy.url"].rsplit("/", 1)[1] + "_harvest"
    redis_db = options["ckan.redis.url"].rsplit("/", 1)[1]
    with sites.site(base, name, tmp_path, **{
            "ckan.plugins": HARVESTER_PLUGINS, "ckan.site_url": "http://harvester.test",
            "ckan.harvest.mq.type": "redis", "ckan.harvest.mq.redis_db": redis_db}) as ini:
        sites.ckan(ini, "odconf", "load", NODC_2024)
        yield ini


def _harvest(ini: pathlib.Path) -> dict[str, int]:
    """Harvest in the foreground; the job's figures (added, updated, not modified...)."""
    sites.ckan(ini, "harvester", "run-test", SOURCE)
    source = json.loads(sites.ckan(ini, "api", "action", "harvest_source_show", f"id={SOURCE}",
                                   stderr=False))
    jobs = json.loads(sites.ckan(ini, "api", "action", "harvest_job_list",
                                 f"source_id={source['id']}", stderr=False))
    return max(jobs, key=lambda job: job["created"])["stats"]


def _harvested(ini: pathlib.Path) -> dict[str, dict[str, Any]]:
    """The entries of the harvester that came from the source, by the source's URI."""
    answer = sites.ckan(ini, "api", "action", "package_search", "rows=1000",
                        "include_private=true", "include_drafts=true", stderr=False)
    entries = json.loads(answer)["results"]
    by_uri = {}
    for entry in entries:
        extras = {extra["key"]: extra["value"] for extra in entry.get("extras", [])}
        if "guid" in extras:
            by_uri[extras["guid"]] = entry
    return by_uri


def test_a_harvester_gets_every_public_entry_and_only_changes(catalogue, source, harvester):
    sites.ckan(harvester, "harvester", "source", "create", SOURCE, f"{source}/catalog.ttl",
               "dcat_rdf", "NODC catalogue", "true", "odc", "MANUAL",
               json.dumps({"rdf_format": "text/turtle"}))
    stats = _harvest(harvester)
    assert (stats["added"], stats["errored"]) == (len(catalogue), 0)
    harvested = _harvested(harvester)
    # every public entry, from every page (5 a page), and nothing else
    assert sorted(harvested) == sorted(f"{source}/dataset/{entry_id}" for entry_id in catalogue)
    assert not [entry for entry in harvested.values() if entry["title"].startswith("Hidden")]
    # control: the hidden entries are there at the source for who may read them
    assert helpers.call_action("package_show", id="hidden-private")["private"] is True
    assert helpers.call_action("package_show", id="hidden-draft")["state"] == "draft"
    references = {entry["name"]: entry["id"] for entry in catalogue.values()
                  if entry["type"] == "reference"}
    for entry_id, entry in catalogue.items():
        arrived = harvested[f"{source}/dataset/{entry_id}"]
        assert arrived["type"] == entry["type"]
        assert arrived["title_translated"] == entry["title_translated"], entry["name"]
        assert arrived.get("license_id") == entry.get("license_id"), entry["name"]
        assert (arrived.get("conference"), arrived.get("theme"), arrived.get("topic")) == (
            entry.get("conference"), entry.get("theme"), entry.get("topic")), entry["name"]
        # a reference entry of the source is cited by its address there
        assert sorted(arrived.get("references") or []) == sorted(
            f"{source}/dataset/{references[cited]}" if cited in references else cited
            for cited in entry.get("references") or []), entry["name"]
    # a project arrives as a project, with its team and challenge theme, but not its award
    # (on the harvesting site only its own results set one)
    project = catalogue[_id(catalogue, PROJECT)]
    arrived = harvested[f"{source}/dataset/{project['id']}"]
    assert project["award"] == "first"
    assert (arrived["type"], arrived["team_name"], arrived["challenge_theme"],
            arrived["project_status"], arrived.get("award")) == (
        "hackathon-project", project["team_name"], project["challenge_theme"], "published", None)
    # every project arrives linked to the harvested copies of the datasets it used,
    # whichever of them was on an earlier or a later page
    projects = [entry for entry in catalogue.values() if entry["type"] == "hackathon-project"]
    assert projects and all(entry["datasets_used"] for entry in projects)
    for entry in projects:
        arrived = harvested[f"{source}/dataset/{entry['id']}"]
        assert sorted(arrived["datasets_used"]) == sorted(
            harvested[f"{source}/dataset/{_id(catalogue, name)}"]["name"]
            for name in entry["datasets_used"]), entry["name"]
    cited = harvested[f"{source}/dataset/{_id(catalogue, 'nodc-2024-example-education-1')}"]
    assert OUTSIDE_URL in cited["references"] and len(cited["references"]) == 2
    assert cited["title_translated"]["km"].startswith("សំណុំទិន្នន័យឧទាហរណ៍")

    # one entry changes at the source: the second harvest updates it and only it
    changed = _id(catalogue, "nodc-2024-example-public-services-1")
    helpers.call_action("package_patch", id=changed,
                        notes_translated={"en": "Revised in 2025.", "km": "កែសម្រួលនៅឆ្នាំ២០២៥។"})
    stats = _harvest(harvester)
    assert (stats["updated"], stats["not modified"], stats["errored"], stats["added"]) == (
        1, len(catalogue) - 1, 0, 0)
    again = _harvested(harvester)
    modified = {uri for uri in again
                if again[uri]["metadata_modified"] != harvested[uri]["metadata_modified"]}
    assert modified == {f"{source}/dataset/{changed}"}
    assert again[f"{source}/dataset/{changed}"]["notes_translated"] == {
        "en": "Revised in 2025.", "km": "កែសម្រួលនៅឆ្នាំ២០២៥។"}
    assert len(again) == len(harvested)


def _id(catalogue: dict[str, Any], name: str) -> str:
    return next(entry_id for entry_id, entry in catalogue.items() if entry["name"] == name)

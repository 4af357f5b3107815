"""``ckan odconf check-links``: inline with a progress bar, and 1,000 links
through the queue checked by real workers within the per-host rate limit."""
from __future__ import annotations

import re
import time
from typing import Any, Callable

import pytest
from ckan.cli.cli import ckan
from ckan.lib import jobs as ckan_jobs
from ckan import model
from ckan.tests import factories, helpers

from ckanext.odconf.links import jobs, storage

from .conftest import LOCAL_SERVER, LinkServer, reference_data, start_ckan

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_links", "clean_index")]

LINKS, ENTRIES, WORKERS, PER_MINUTE = 1000, 10, 2, 6000


@LOCAL_SERVER[0]
@LOCAL_SERVER[1]
def test_inline_checks_stale_links_then_all(cli: Any, link_server: LinkServer) -> None:
    sysadmin = factories.Sysadmin()
    helpers.call_action("package_create", {"user": sysadmin["name"]}, **reference_data(
        factories.Organization()["name"], "survey", link_server.url("/ok"),
        [link_server.url("/missing"), link_server.url("/moved")]))
    ckan_jobs.get_queue().empty()  # the command, not the entry's job, checks them here

    first = cli.invoke(ckan, ["odconf", "check-links", "--inline"])
    assert first.exit_code == 0, first.output
    assert "3 link(s) to check in 1 public entries." in first.output
    assert "Checking links" in first.output and "Checked 3 link(s)" in first.output
    assert {url: row["state"] for url, row in storage.results(
        [link_server.url(path) for path in ("/ok", "/missing", "/moved")]).items()} == {
        link_server.url("/ok"): "works", link_server.url("/missing"): "broken",
        link_server.url("/moved"): "moved"}
    requests = link_server.count()

    # nothing is stale yet: nothing fetched
    again = cli.invoke(ckan, ["odconf", "check-links", "--stale", "--inline"])
    assert "0 link(s) to check" in again.output and link_server.count() == requests
    every = cli.invoke(ckan, ["odconf", "check-links", "--all", "--inline"])
    assert "Checked 3 link(s)" in every.output and link_server.count() > requests

    # a deleted entry's links and results are forgotten by the next run
    helpers.call_action("package_delete", {"user": sysadmin["name"]}, id="survey")
    gone = cli.invoke(ckan, ["odconf", "check-links", "--all", "--inline"])
    assert "0 link(s) to check in 0 public entries." in gone.output
    assert storage.results([link_server.url("/ok")]) == {}


def test_the_queue_without_workers_only_enqueues(cli: Any, link_server: LinkServer) -> None:
    sysadmin = factories.Sysadmin()
    helpers.call_action("package_create", {"user": sysadmin["name"]}, **reference_data(
        factories.Organization()["name"], "survey", link_server.url("/ok"), []))
    ckan_jobs.get_queue().empty()
    result = cli.invoke(ckan, ["odconf", "check-links"])
    assert result.exit_code == 0, result.output
    assert "Enqueued; `ckan jobs worker` checks them." in result.output
    [job] = ckan_jobs.get_queue().jobs
    assert list(job.args) == [[link_server.url("/ok")]] and link_server.count() == 0


def test_a_thousand_links_checked_by_workers_within_the_rate_limit(
        link_server: LinkServer, worker_ini: Callable[..., str]) -> None:
    sysadmin = factories.Sysadmin()
    organisation = factories.Organization()
    per_entry = LINKS // ENTRIES
    for entry in range(ENTRIES):
        helpers.call_action("package_create", {"user": sysadmin["name"]}, **reference_data(
            organisation["name"], f"publication-{entry}", "",
            [link_server.url(f"/ok?entry={entry}&document={document}")
             for document in range(per_entry)]))
    ckan_jobs.get_queue().empty()  # the command enqueues them all

    ini = worker_ini({"odconf.links.allowed_hosts": "127.0.0.1", "odconf.links.timeout": "5",
                      "odconf.links.per_host_rate": str(PER_MINUTE)})
    command = start_ckan(ini, "odconf", "check-links", "--all", "--wait")
    deadline = time.monotonic() + 60
    while ckan_jobs.get_queue().count < LINKS // jobs.BATCH_SIZE:
        assert time.monotonic() < deadline and command.poll() is None, command.stderr.read()
        time.sleep(0.2)
    workers = [start_ckan(ini, "jobs", "worker", "--burst") for _ in range(WORKERS)]
    _out, progress = command.communicate(timeout=600)
    for worker in workers:
        assert worker.wait(timeout=60) == 0, worker.stderr.read()
        worker.stdout.close(), worker.stderr.close()

    assert command.returncode == 0, progress
    assert "Checked by the workers" in progress
    figures = re.search(r"Checked 1000 link\(s\) in ([\d.]+) s \(([\d.]+) links/s\)", progress)
    assert figures, progress
    model.Session.rollback()
    recorded = storage.results(storage.urls_to_check(None))
    assert len(recorded) == LINKS
    assert {row["state"] for row in recorded.values()} == {"works"}
    # one HEAD per link, spaced by the shared per-host limit across both workers
    arrivals = sorted(request[0] for request in link_server.requests)
    assert len(arrivals) == LINKS
    interval = 60 / PER_MINUTE
    assert arrivals[-1] - arrivals[0] >= (LINKS - 1) * interval * 0.95
    busiest = max(sum(1 for t in arrivals[i:i + 200] if t < start + 1.0)
                  for i, start in enumerate(arrivals))
    assert busiest <= 1 / interval + 3
    print(f"\n{LINKS} links, {WORKERS} workers, {PER_MINUTE}/min per host: "
          f"{figures[1]} s, {figures[2]} links/s; first to last request "
          f"{arrivals[-1] - arrivals[0]:.1f} s, busiest second {busiest} requests")

"""The demo's production server: gunicorn with scripts/gunicorn.conf.py and scripts/wsgi.py.

Each gunicorn worker builds CKAN by itself, so each must have the embedded
search installed: a search answered by any worker finds a dataset that only
the PostgreSQL index holds (without ``odconf_search`` in a worker, CKAN would
ask Solr, which does not exist here, and answer 500).
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import pytest
from ckan.tests import factories

from tests.servers import stop

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKERS = 2
BOOT_TIMEOUT = 60


def _wait_for_listening_port(log: pathlib.Path, server: subprocess.Popen) -> int:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited: {log.read_text()}"
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            return int(found.group(1))
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not listen within {BOOT_TIMEOUT} s: {log.read_text()}")


@pytest.fixture
def gunicorn(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[dict[str, Any]]:
    """gunicorn serving the test site on a free port, with an access log naming each worker."""
    ini = os.path.abspath(request.config.getoption("ckan_ini"))
    log = tmp_path / "gunicorn.log"
    access_log = tmp_path / "access.log"
    environ = dict(os.environ, CKAN_INI=ini, ODCONF_WORKERS=str(WORKERS), ODCONF_THREADS="2")
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "scripts" / "gunicorn.conf.py"),
             "--bind", "127.0.0.1:0", "--access-logfile", str(access_log),
             "--access-logformat", "%(p)s %(s)s %(U)s"],
            env=environ, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        port = _wait_for_listening_port(log, server)
        yield {"url": f"http://127.0.0.1:{port}", "access_log": access_log, "log": log}
    finally:
        stop(server)


def _search(url: str, word: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/3/action/package_search?q={word}", timeout=30) as answer:
        return json.load(answer)["result"]


def _workers_that_answered(access_log: pathlib.Path) -> set[str]:
    # gunicorn writes "<pid> <status> <path>" per request (format above).
    return {line.split()[0] for line in access_log.read_text().splitlines()
            if line.split()[1:3] == ["200", "/api/3/action/package_search"]}


@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_every_gunicorn_worker_answers_searches_from_the_embedded_index(gunicorn: dict[str, Any]):
    dataset = factories.Dataset(title="Mekong hydropower concessions", license_id="cc-by",
                                owner_org=factories.Organization()["id"])
    url = gunicorn["url"]
    served_by: set[str] = set()
    # Fresh connections in parallel, until every worker has answered one (bounded).
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(25):
            results = list(pool.map(lambda _: _search(url, "hydropower"), range(8)))
            assert all(result["count"] == 1 for result in results), results
            assert {result["results"][0]["name"] for result in results} == {dataset["name"]}
            served_by = _workers_that_answered(gunicorn["access_log"])
            if len(served_by) == WORKERS:
                break
    assert len(served_by) == WORKERS, gunicorn["log"].read_text()
    assert _search(url, "nonexistentword")["count"] == 0

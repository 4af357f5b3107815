"""CKAN 2.11's own search tests, run against the embedded backend.

They run in a pytest of their own (their fixtures reset the database), with
``test-search.ini``: only ``odconf_search`` next to CKAN's default plugins,
on a database of their own. Every test that cannot pass must be listed, with
the reason, in README.rst under "CKAN's own search tests".
"""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from ckan.common import config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUITES = [
    ["--pyargs", "ckan.tests.logic.action.test_get", "-k", "TestPackageSearch"],
    ["--pyargs", "ckan.tests.lib.search"],
]


def documented_failures() -> set[str]:
    """Test ids listed in README.rst's "CKAN's own search tests" section."""
    readme = (ROOT / "README.rst").read_text(encoding="utf-8")
    section = readme.split("CKAN's own search tests", 1)[1].split("\n\n\n", 1)[0]
    return set(re.findall(r"``(ckan\.tests\.[\w.]+::[\w\[\]-]+)``", section))


def same_test(documented: str, reported: str) -> bool:
    """junit names a test from where it was found: relative to its package, or
    from the root with the path of the virtualenv in front."""
    if "ckan.tests." in reported:
        reported = reported[reported.index("ckan.tests."):]
    return documented == reported or documented.endswith("." + reported)


@pytest.fixture(scope="module")
def suite_database() -> str:
    """A database of its own, initialised with CKAN's and this plugin's tables."""
    url = make_url(config["sqlalchemy.url"])
    name = f"{url.database}_ckan_suite"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    suite_url = str(url.set(database=name))
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=suite_url)
    ckan = pathlib.Path(sys.executable).parent / "ckan"
    for args in (["db", "init"], ["db", "upgrade", "-p", "odconf_search"]):
        subprocess.run([str(ckan), "-c", str(ROOT / "test-search.ini"), *args],
                       check=True, env=env, capture_output=True)
    return suite_url


def run_suite(database_url: str, args: list[str], tmp_path: pathlib.Path) -> dict[str, str]:
    """Run one of CKAN's test selections; return {test id: outcome}."""
    report = tmp_path / "report.xml"
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=database_url)
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         f"--ckan-ini={ROOT / 'test-search.ini'}", f"--junitxml={report}", *args],
        cwd=ROOT, env=env, capture_output=True, timeout=1200)
    outcomes = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        outcomes[test_id] = "failed" if failed else "skipped" if skipped else "passed"
    return outcomes


def test_ckan_search_suite_passes_on_the_embedded_backend(suite_database, tmp_path):
    outcomes: dict[str, str] = {}
    for number, args in enumerate(SUITES):
        (tmp_path / str(number)).mkdir()
        outcomes.update(run_suite(suite_database, args, tmp_path / str(number)))
    ran = {t: o for t, o in outcomes.items() if o != "skipped"}
    failed = {t for t, o in ran.items() if o == "failed"}
    passed = len(ran) - len(failed)
    assert len(ran) > 150, f"only {len(ran)} of CKAN's search tests ran"
    assert passed / len(ran) >= 0.95, f"{passed}/{len(ran)} passed; failed: {sorted(failed)}"
    documented = documented_failures()
    undocumented = {t for t in failed if not any(same_test(d, t) for d in documented)}
    passing_now = {d for d in documented if not any(same_test(d, t) for t in failed)}
    assert not undocumented, f"failing but not listed in README.rst: {sorted(undocumented)}"
    assert not passing_now, f"listed in README.rst as failing but passing: {sorted(passing_now)}"

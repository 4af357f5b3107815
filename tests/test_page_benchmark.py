"""``benchmarks/page_benchmark.py`` runs as README.rst says, and the showcase's
pages run as many SQL statements with more datasets (no query per card)."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest
from ckan.common import config

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.usefixtures("with_plugins")
def test_the_page_benchmark_runs_and_no_statement_count_grows(request):
    ini = pathlib.Path(request.config.getoption("ckan_ini")).resolve()
    database = config["sqlalchemy.url"].rsplit("/", 1)[1] + "_pages"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "page_benchmark.py"), "--sizes", "12", "16",
         "--runs", "2", "--database", database, "--ini", str(ini)],
        capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-4000:]
    pages = re.findall(r"^  (/\S*)\s+(200|404/not built)\b", done.stdout, re.MULTILINE)
    # four pages, at two sizes, with the results cache off and on
    assert len(pages) == 16, done.stdout
    growth = done.stdout.split("Statements per request, 12 -> 16 datasets", 1)[1]
    verdicts = re.findall(r"^  (/\S*)\s+(\d+ -> \d+\s+(?:no growth|GROWS by \d+)|404/not built)",
                          growth, re.MULTILINE)
    assert [page for page, _ in verdicts] == [
        "/", "/conference/nodc-2024", "/conference/nodc-2024/public-services",
        "/dataset/nodc-2024-example-public-services-2"]
    assert not [verdict for verdict in verdicts if "GROWS" in verdict[1]], growth

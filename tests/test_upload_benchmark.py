"""``benchmarks/upload_benchmark.py`` runs as README.rst says: it uploads a
file through gunicorn, prints its figures, checks the stored file against the
one sent, and leaves no database or temporary file behind."""
from __future__ import annotations

import importlib.util
import pathlib
import re
import tempfile

import pytest
import sqlalchemy as sa

from tests import sites

SCRIPT = sites.ROOT / "benchmarks" / "upload_benchmark.py"
SIZE = 5 * 1024 * 1024
FIGURES = re.compile(
    r"^run 1: [\d.]+ s, [\d.]+ MB/s, worker peak memory growth -?[\d.]+ MB "
    r"\((?:VmHWM reset by clear_refs|VmRSS sampled every 10 ms)\); "
    rf"stored file matches \(size {SIZE} bytes, sha256 [0-9a-f]{{12}}\.\.\.\)$",
    re.MULTILINE)


def test_the_upload_benchmark_uploads_checks_and_cleans_up(
        request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path):
    base = pathlib.Path(request.config.getoption("ckan_ini")).resolve()
    database = sites.options(base)["sqlalchemy.url"].rsplit("/", 1)[1] + "_upload_test"
    spec = importlib.util.spec_from_file_location("upload_benchmark", SCRIPT)
    assert spec and spec.loader
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    # the benchmark's temporary directory (file, storage, configuration) in this test's
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    benchmark.main(["--ckan-ini", str(base), "--size-mb", "5", "--runs", "1",
                    "--database", database])

    printed = capsys.readouterr().out
    assert FIGURES.search(printed), printed
    assert re.search(r"^median: [\d.]+ s, [\d.]+ MB/s, worker peak memory growth -?[\d.]+ MB$",
                     printed, re.MULTILINE), printed
    # 5 MB cannot show streaming, but a body held several times over would show
    assert re.search(r"^target \(worker peak memory growth under 50 MB in every run\): met ",
                     printed, re.MULTILINE), printed
    assert list(tmp_path.iterdir()) == []
    engine = sa.create_engine(sites.options(base)["sqlalchemy.url"])
    with engine.connect() as connection:
        left = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": database}).fetchall()
    engine.dispose()
    assert left == []

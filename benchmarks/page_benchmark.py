"""Page benchmark: server time and SQL statements of the showcase's pages.

In a database of its own, it loads the NODC 2024 programme with its examples
(``ckan odconf load nodc-2024 --examples``, files included), then grows the
catalogue to each size asked for (100 and 10,000 datasets by default) and
measures, at each size, the pages a visitor opens:

- ``/`` (the home page), ``/conference/nodc-2024``, a theme page
  (``/conference/nodc-2024/public-services``) and a dataset page (an example
  dataset with its files and references);
- for each: the HTTP status (a page that answers 404 is reported as
  "404/not built" and skipped), the median and p95 of the server time, the
  median CPU time of the application (less sensitive than the wall time to
  other programs running on the machine; PostgreSQL's share is not in it),
  and the number of SQL statements one request runs;
- which statements grow from one size to the next, and which run more than
  once in one request (a query per card or per item), each named by the
  function of this extension (or of CKAN) that sent it.

How the catalogue grows: the example datasets (written by the loader through
CKAN's actions and validated by the schema) serve as templates; each new
dataset is a copy of one of them, written with SQL in CKAN's tables (package,
extras, tag, organisation membership, resources) with its own name, title,
organisation, licence and visibility (1 in 20 private), spread evenly over
the themes and rooms. The copies are then indexed by ``ckan odconf-search
rebuild``, which runs CKAN's own indexing code (``package_show`` and
``PackageSearchIndex`` with every plugin's ``before_dataset_index``) in one
process per core. So the index holds what CKAN would have indexed, and
10,000 datasets take about a minute instead of an hour of ``package_create``.

How it measures: in this process, through CKAN's whole WSGI application (the
middleware included) with werkzeug's test client, as an anonymous visitor.
Server time is the time of that call, from the request to the last byte of
the body. SQL statements are counted with SQLAlchemy's ``before_cursor_execute``
event on every engine, so the count is exactly the statements of that request
(PostgreSQL's pg_stat_statements would mix in other sessions' statements and
needs a server setting). The search results cache
(``odconf_search.result_cache_ttl``) is measured both off (every search runs
its SQL, as for the first visitor after any change to the catalogue) and on
(as the demo runs).

Usage (from the repository root, with the project's venv; PostgreSQL and
Redis running, as ``make test-env`` leaves them)::

    .venv/bin/python benchmarks/page_benchmark.py
    .venv/bin/python benchmarks/page_benchmark.py --sizes 100 10000 --runs 30 --languages en km

It prints its figures; it asserts nothing. Targets (issue 11, 2-core
machine): every median under 150 ms; the number of statements does not grow
with the number of datasets.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import os
import pathlib
import re
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from typing import Any, Callable, Optional

import psycopg2
import psycopg2.extras

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import sites  # noqa: E402  (the test's site helpers)

EDITION = "nodc-2024"
THEME = "public-services"
DATASET = f"{EDITION}-example-{THEME}-2"
PAGES = ("/", f"/conference/{EDITION}", f"/conference/{EDITION}/{THEME}", f"/dataset/{DATASET}")
LICENSES = ("cc-by", "cc-by-sa", "odc-odbl", "cc-zero", "odc-by")
BENCHMARK_TAG = "benchmark"
PRIVATE_EVERY = 20
WARM_UP = 3

# Where a statement comes from: the innermost frame of an extension, else of
# CKAN, outside SQLAlchemy and the database driver.
_OWN_CODE = ("/ckanext/",)
_CKAN_CODE = ("/ckan/lib/", "/ckan/logic/", "/ckan/views/", "/ckan/model/", "/ckan/authz.py")
#: CKAN's wrappers around actions and validators: not what was called.
_WRAPPERS = {"wrapped", "convert", "validate", "_validate", "__call__"}
_LITERALS = re.compile(r"%\(\w+\)s|'(?:[^']|'')*'|\b\d+\b")
_REPEATED = re.compile(r"\?(?:, \?)+")


def dataset_count(url: str) -> int:
    """Active datasets of type ``dataset``, public and private."""
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM package WHERE type = 'dataset' AND state = 'active'")
        return int(cursor.fetchone()[0])


def grow(url: str, size: int) -> int:
    """Copy the example datasets until the catalogue holds ``size`` datasets;
    return how many were added."""
    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM package WHERE type = 'dataset' AND state = 'active'")
        start = int(cursor.fetchone()[0])
        if start >= size:
            return 0
        cursor.execute(
            "SELECT p.id, e.value FROM package p JOIN package_extra e ON e.package_id = p.id"
            " WHERE p.type = 'dataset' AND p.name LIKE %s AND e.key = 'theme' ORDER BY e.value, p.name",
            (f"{EDITION}-example-%",))
        templates = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM \"group\" WHERE is_organization AND state = 'active' ORDER BY name")
        organisations = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM tag WHERE name = %s", (BENCHMARK_TAG,))
        found = cursor.fetchone()
        tag = found[0] if found else str(uuid.uuid4())
        if not found:
            cursor.execute("INSERT INTO tag (id, name) VALUES (%s, %s)", (tag, BENCHMARK_TAG))
        cursor.execute(
            "CREATE TEMP TABLE copy (template text, id text, name text, title text, title_km text,"
            " notes text, license_id text, owner_org text, private boolean, created timestamp)"
            " ON COMMIT DROP")
        psycopg2.extras.execute_values(cursor, "INSERT INTO copy VALUES %s", [
            (templates[number % len(templates)], str(uuid.uuid4()), f"benchmark-dataset-{number:05d}",
             f"Benchmark dataset {number}", f"សំណុំទិន្នន័យសាកល្បងល្បឿន {number}",
             f"Benchmark dataset {number}, written by benchmarks/page_benchmark.py.",
             LICENSES[number % len(LICENSES)], organisations[number % len(organisations)],
             number % PRIVATE_EVERY == 0, f"2024-03-{1 + number % 26:02d} 08:00")
            for number in range(start, size)
        ], page_size=5000)
        cursor.execute(
            "INSERT INTO package (id, name, title, version, url, notes, author, author_email, maintainer,"
            " maintainer_email, state, license_id, type, owner_org, private, metadata_modified,"
            " creator_user_id, metadata_created, plugin_data)"
            " SELECT c.id, c.name, c.title, p.version, p.url, c.notes, p.author, p.author_email,"
            " p.maintainer, p.maintainer_email, p.state, c.license_id, p.type, c.owner_org, c.private,"
            " c.created, p.creator_user_id, c.created, p.plugin_data"
            " FROM copy c JOIN package p ON p.id = c.template")
        cursor.execute(
            "INSERT INTO package_extra (id, key, value, state, package_id)"
            " SELECT gen_random_uuid()::text, e.key,"
            " CASE e.key"
            " WHEN 'title_translated' THEN json_build_object('en', c.title, 'km', c.title_km)::text"
            " WHEN 'notes_translated' THEN json_build_object('en', c.notes)::text ELSE e.value END,"
            " e.state, c.id FROM copy c JOIN package_extra e ON e.package_id = c.template")
        cursor.execute(
            "INSERT INTO package_tag (id, state, package_id, tag_id)"
            " SELECT gen_random_uuid()::text, 'active', c.id, %s FROM copy c", (tag,))
        cursor.execute(
            "INSERT INTO member (id, group_id, table_id, state, table_name, capacity)"
            " SELECT gen_random_uuid()::text, c.owner_org, c.id, 'active', 'package', 'organization'"
            " FROM copy c")
        cursor.execute(
            "INSERT INTO resource (id, url, format, description, position, hash, state, extras, name,"
            " resource_type, mimetype, mimetype_inner, size, last_modified, cache_url,"
            " cache_last_updated, created, url_type, package_id, metadata_modified)"
            " SELECT gen_random_uuid()::text, r.url, r.format, r.description, r.position, r.hash,"
            " r.state, r.extras, r.name, r.resource_type, r.mimetype, r.mimetype_inner, r.size,"
            " r.last_modified, r.cache_url, r.cache_last_updated, c.created, r.url_type, c.id, c.created"
            " FROM copy c JOIN resource r ON r.package_id = c.template AND r.state = 'active'")
    # Written in bulk within seconds: give PostgreSQL the statistics a live
    # site has (autovacuum keeps them), so that queries are planned as there.
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return size - start


# The measurements -----------------------------------------------------------


@dataclasses.dataclass
class Statements:
    """The SQL statements of the requests made while it listens."""

    count: int = 0
    #: when set, each statement's origin and shape are kept (slower)
    detail: Optional[collections.Counter[tuple[str, str]]] = None

    def __call__(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.count += 1
        if self.detail is not None:
            self.detail[(origin(), shape(statement))] += 1


def _short(path: str) -> str:
    for marker in ("/ckanext/", "/ckan/"):
        if marker in path:
            return marker.strip("/") + "/" + path.split(marker, 1)[1]
    return path


def origin() -> str:
    """Who sent the statement being run: the function of CKAN that the
    extensions' code called (a helper, an action, a model method), then the
    innermost functions of the extensions and templates on the stack
    (``file:function``, at most three), innermost first."""
    frames = traceback.extract_stack()[:-3]
    called = ""
    chain: list[str] = []
    for frame in reversed(frames):
        where = f"{_short(frame.filename)}:{frame.name}"
        if any(marker in frame.filename for marker in _OWN_CODE):
            if where not in chain:
                chain.append(where)
            if len(chain) == 3:
                break
        elif not chain and any(marker in frame.filename for marker in _CKAN_CODE) \
                and frame.name not in _WRAPPERS:
            called = where  # the outermost so far: what the extension called
    return " < ".join(([called] if called else []) + chain) or "?"


def shape(statement: str) -> str:
    """The statement without its values, to group statements that differ only there."""
    text = " ".join(statement.split())
    return _REPEATED.sub("?...", _LITERALS.sub("?", text))[:160]


@dataclasses.dataclass
class PageResult:
    page: str
    status: int
    times: list[float]
    statements: list[int]
    detail: collections.Counter[tuple[str, str]]
    #: CPU time of this process per request (the WSGI application's own work,
    #: less sensitive than the wall time to other programs on the machine)
    cpu: list[float] = dataclasses.field(default_factory=list)

    @property
    def built(self) -> bool:
        return self.status != 404

    def median(self) -> float:
        return statistics.median(self.times)

    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def load_app(ini: str) -> Any:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(ini))


def measure(client: Any, page: str, runs: int, listen: Callable[[Statements], Any]) -> PageResult:
    """Time ``runs`` requests of a page after a warm-up, counting their statements."""
    status = client.get(page).status_code
    if status == 404:
        return PageResult(page, status, [], [], collections.Counter())
    for _ in range(WARM_UP - 1):
        client.get(page)
    detail: collections.Counter[tuple[str, str]] = collections.Counter()
    with listen(Statements(detail=detail)):
        client.get(page)
    times, counts, cpu = [], [], []
    for _ in range(runs):
        statements = Statements()
        with listen(statements):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(page)
            response.get_data()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        status = response.status_code
        counts.append(statements.count)
    return PageResult(page, status, times, counts, detail, cpu)


def run_pages(app: Any, pages: list[str], runs: int, cache_ttl: int) -> list[PageResult]:
    from ckan.common import config
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from werkzeug.test import Client

    class listen:
        def __init__(self, statements: Statements):
            self.statements = statements

        def __enter__(self) -> Statements:
            event.listen(Engine, "before_cursor_execute", self.statements)
            return self.statements

        def __exit__(self, *_exc: Any) -> None:
            event.remove(Engine, "before_cursor_execute", self.statements)

    config["odconf_search.result_cache_ttl"] = cache_ttl
    client = Client(app)
    return [measure(client, page, runs, listen) for page in pages]


def report(size: int, cache: str, results: list[PageResult], repeated: bool) -> None:
    print(f"\n{size} datasets, search results cache {cache} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"  {'page':<50} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}"
          f" {'SQL statements':>15}")
    for result in results:
        if not result.built:
            print(f"  {result.page:<50} 404/not built")
            continue
        counts = sorted(set(result.statements))
        shown = str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
        print(f"  {result.page:<50} {result.status:>6} {result.median():>10.1f} {result.p95():>8.1f}"
              f" {statistics.median(result.cpu):>7.1f} {shown:>15}")
        if not repeated:
            continue
        again = [(key, count) for key, count in result.detail.items() if count > 1]
        for (where, statement), count in sorted(again, key=lambda item: -item[1])[:10]:
            print(f"      {count:>3}x {where}\n           {statement[:110]}")


def growth(small: tuple[int, list[PageResult]], large: tuple[int, list[PageResult]]) -> None:
    """The statements whose number changes between two sizes, page by page."""
    print(f"\nStatements per request, {small[0]} -> {large[0]} datasets (search results cache off):")
    for before, after in zip(small[1], large[1]):
        if not (before.built and after.built):
            print(f"  {before.page:<50} 404/not built")
            continue
        # the fewest of the runs: CKAN now and then adds one statement of its own
        # to a request (the site settings' freshness check)
        first, last = min(before.statements), min(after.statements)
        verdict = "no growth" if last <= first else f"GROWS by {last - first}"
        print(f"  {before.page:<50} {first} -> {last}  {verdict}")
        if last <= first:
            continue
        for key in sorted(set(before.detail) | set(after.detail)):
            if after.detail[key] > before.detail[key]:
                print(f"      {before.detail[key]} -> {after.detail[key]}  {key[0]}\n"
                      f"           {key[1][:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000],
                        help="catalogue sizes in datasets, in increasing order")
    parser.add_argument("--runs", type=int, default=30, help="timed requests of each page")
    parser.add_argument("--languages", nargs="+", default=["en"], choices=["en", "km"])
    parser.add_argument("--database", default="odconf_bench_pages")
    parser.add_argument("--redis-db", type=int,
                        help="a Redis database number of its own (default: the configuration's)")
    parser.add_argument("--ini", default=str(ROOT / "test.ini"),
                        help="configuration the site's is written from (plugins and options)")
    args = parser.parse_args()
    pages = [(f"/{language}" if language != "en" else "") + page
             for language in args.languages for page in PAGES]
    pages = [page.rstrip("/") or "/" for page in pages]
    base = pathlib.Path(args.ini).resolve()
    changes = {} if args.redis_db is None else {"ckan.redis.url": f"redis://127.0.0.1:6379/{args.redis_db}"}
    with tempfile.TemporaryDirectory() as folder, sites.site(
            base, args.database, pathlib.Path(folder), **changes) as ini:
        url = sites.options(ini)["sqlalchemy.url"]
        started = time.perf_counter()
        sites.ckan(ini, "odconf", "load", EDITION, "--examples")
        print(f"programme and examples loaded in {time.perf_counter() - started:.0f} s")
        app = None
        measured: list[tuple[int, list[PageResult]]] = []
        for size in sorted(args.sizes):
            started = time.perf_counter()
            added = grow(url, size)
            if added:
                written = time.perf_counter() - started
                started = time.perf_counter()
                sites.ckan(ini, "odconf-search", "rebuild", "-q", timeout=3600)
                print(f"\n{added} datasets written in {written:.1f} s, index rebuilt in "
                      f"{time.perf_counter() - started:.1f} s")
            print(f"catalogue: {dataset_count(url)} datasets")
            if app is None:
                app = load_app(str(ini))
            cold = run_pages(app, pages, args.runs, cache_ttl=0)
            report(size, "off", cold, repeated=True)
            report(size, "on (600 s)", run_pages(app, pages, args.runs, cache_ttl=600), repeated=False)
            measured.append((size, cold))
        for small, large in zip(measured, measured[1:]):
            growth(small, large)


if __name__ == "__main__":
    main()

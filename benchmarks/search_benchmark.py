"""Benchmark of the embedded search backend (plugin ``odconf_search``).

Generates a catalogue of N datasets with realistic text (English and Khmer
words), tags, organisations, resources and extras, writes it straight into
CKAN's tables of a database of its own, then measures with CKAN's own code:

- the rebuild rate of ``ckan odconf-search rebuild`` (CKAN's indexing code in
  one process per core; ``--ckan-rebuild`` also times CKAN's single-process
  ``ckan search-index rebuild``), in datasets per second;
- median and p95 of ``package_search`` for a free-text query with 3 facets
  and 20 rows, for a facet-only query over everything, and for the first
  page of /dataset (no query, 3 facets, 20 rows), as an anonymous visitor
  (so with CKAN's permission-label filter);
- the size of the index against the size of the package tables.

Usage (from the repository root, with the project's venv):

    .venv/bin/python benchmarks/search_benchmark.py --datasets 100000

It prints its figures; it asserts nothing. Targets (issue 3, 2-core machine):
median under 50 ms for both queries, rebuild >= 300 datasets/s, index under
2x the package tables.
"""
from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import random
import statistics
import subprocess
import sys
import time
import uuid

import psycopg2
import psycopg2.extras

ROOT = pathlib.Path(__file__).resolve().parents[1]
INI = ROOT / "test-search.ini"

WORDS = (
    "budget commune province district school enrolment teacher health clinic "
    "water river mekong rice harvest forest land concession mining road bridge "
    "election census population household income poverty gender women youth "
    "disability indigenous language education literacy climate rainfall flood "
    "drought energy electricity solar garment factory labour wage trade export "
    "import tourism temple fisheries lake fish aquaculture transport airport "
    "railway port digital internet mobile telecom policy law decree regulation "
    "procurement contract investment company registry tax revenue expenditure "
    "debt aid donor project ngo civil society survey assessment study report "
    "map boundary village commune council services hospital vaccine nutrition "
    "sanitation waste pollution biodiversity wildlife protected area carbon "
    "open data transparency accountability inclusion journalism storytelling "
    "annual monthly quarterly national provincial municipal rural urban local "
    "public private sector service delivery access quality coverage index rate "
    "total number share average median growth change trend baseline target "
    "indicator statistics dataset table series record registry list directory "
    "inventory catalogue archive portal platform dashboard visualisation chart "
    "agriculture crop livestock irrigation fertiliser market price food security "
    "employment unemployment migration remittance garment construction housing "
    "infrastructure water supply electricity grid hydropower dam reservoir canal "
    "school primary secondary university student dropout scholarship curriculum "
    "hospital doctor nurse maternal child mortality immunisation malaria dengue "
    "tuberculosis hiv insurance pension social protection cash transfer idpoor "
    "budget allocation execution audit procurement tender bid award contractor "
    "parliament ministry department agency authority committee commission office "
    "court judgement legal case complaint grievance petition consultation forum "
    "community participation volunteer association cooperative union federation "
    "environment emission deforestation logging plantation rubber cassava sugar "
    "cashew pepper mango fishery fishing lot mangrove coast island river basin "
    "tonle sap kampong siem reap battambang kampot kep preah sihanouk koh kong "
    "pursat pailin banteay meanchey oddar takeo prey veng svay rieng kandal "
    "tbong khmum mondulkiri ratanakiri stung treng kratie vihear thom chhnang "
    "speu phnom penh asean region neighbouring cross border international bilateral "
    "loan grant disbursement commitment pipeline portfolio evaluation monitoring "
    "baseline endline household panel sample questionnaire interview focus group "
    "gis shapefile raster satellite imagery land cover elevation road network "
    "address postcode geocode coordinate latitude longitude boundary polygon"
).split()
KHMER_WORDS = ["ទិន្នន័យ", "បើកចំហ", "ការអប់រំ", "សុខាភិបាល", "ថវិកា", "ខេត្ត", "ភូមិ", "ទឹក", "ព្រៃឈើ", "ការអភិវឌ្ឍ"]
FORMATS = ["CSV", "XLSX", "PDF", "JSON", "GeoJSON", "SHP", "API"]
LICENSES = ["cc-by", "cc-by-sa", "odc-odbl", "cc-zero", "odc-by", "other-open"]
PROVINCES = ["Phnom Penh", "Siem Reap", "Battambang", "Kampot", "Kratie", "Stung Treng",
             "Mondulkiri", "Ratanakiri", "Takeo", "Kampong Cham"]


# Word frequencies follow Zipf's law, as in real text: a few words are common,
# most are rare.
ZIPF = [1 / rank for rank in range(1, len(WORDS) + 1)]


def sentence(rng: random.Random, low: int, high: int, khmer: float = 0.1) -> str:
    count = rng.randint(low, high)
    words = rng.choices(WORDS, weights=ZIPF, k=count)
    return " ".join(rng.choice(KHMER_WORDS) if rng.random() < khmer else w for w in words)


def database_url(name: str) -> str:
    return f"postgresql://odconf:odconf@127.0.0.1/{name}"


def ckan(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(pathlib.Path(sys.executable).parent / "ckan"), "-c", str(INI), *args],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def prepare_database(name: str, env: dict[str, str]) -> None:
    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    ckan(env, "db", "init")
    ckan(env, "db", "upgrade", "-p", "odconf_search")


def generate(name: str, datasets: int, seed: int = 2024) -> None:
    """Write ``datasets`` datasets, their tags, extras and resources into CKAN's tables."""
    rng = random.Random(seed)
    connection = psycopg2.connect(database_url(name))
    now = datetime.datetime(2024, 3, 26, 8, 30)
    with connection, connection.cursor() as cursor:
        orgs = [(str(uuid.uuid4()), f"org-{i:02d}", f"Organisation {i:02d} {rng.choice(WORDS).title()}")
                for i in range(50)]
        psycopg2.extras.execute_values(cursor, (
            'INSERT INTO "group" (id, name, title, description, created, state, type,'
            " approval_status, is_organization) VALUES %s"),
            [(i, n, t, "", now, "active", "organization", "approved", True) for i, n, t in orgs])
        tags = {w: str(uuid.uuid4()) for w in WORDS}
        psycopg2.extras.execute_values(cursor, "INSERT INTO tag (id, name) VALUES %s",
                                       [(i, w) for w, i in tags.items()])
        batch = 5000
        for start in range(0, datasets, batch):
            packages, extras, package_tags, resources = [], [], [], []
            for n in range(start, min(start + batch, datasets)):
                pid = str(uuid.uuid4())
                org = rng.choice(orgs)
                created = now - datetime.timedelta(minutes=n)
                packages.append((
                    pid, f"dataset-{n:06d}", sentence(rng, 3, 8).capitalize(),
                    sentence(rng, 30, 80), "active", rng.choice(LICENSES), "dataset",
                    org[0], rng.random() < 0.05, created, created, "Data team"))
                for key, value in (("province", rng.choice(PROVINCES)),
                                   ("frequency", rng.choice(["annual", "monthly", "daily"])),
                                   ("source", sentence(rng, 2, 5, khmer=0))):
                    extras.append((str(uuid.uuid4()), key, value, "active", pid))
                for word in set(rng.choices(WORDS, weights=ZIPF, k=rng.randint(1, 6))):
                    package_tags.append((str(uuid.uuid4()), "active", pid, tags[word]))
                for position in range(rng.randint(1, 3)):
                    fmt = rng.choice(FORMATS)
                    resources.append((
                        str(uuid.uuid4()), f"https://data.example.org/{pid}/{position}.{fmt.lower()}",
                        fmt, sentence(rng, 5, 15), position, "active",
                        f"{sentence(rng, 2, 4, khmer=0).title()} ({fmt})", pid, created))
            psycopg2.extras.execute_values(cursor, (
                "INSERT INTO package (id, name, title, notes, state, license_id, type, owner_org,"
                " private, metadata_created, metadata_modified, author) VALUES %s"), packages)
            psycopg2.extras.execute_values(cursor, (
                "INSERT INTO package_extra (id, key, value, state, package_id) VALUES %s"), extras)
            psycopg2.extras.execute_values(cursor, (
                "INSERT INTO package_tag (id, state, package_id, tag_id) VALUES %s"), package_tags)
            psycopg2.extras.execute_values(cursor, (
                "INSERT INTO resource (id, url, format, description, position, state, name,"
                " package_id, created) VALUES %s"), resources)
            print(f"\rgenerated {min(start + batch, datasets)}/{datasets} datasets", end="", flush=True)
    print()
    # The catalogue came in bulk within seconds: give PostgreSQL the table
    # statistics a live site has (autovacuum keeps them), so CKAN's queries
    # during the rebuild are planned as they would be there.
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def sizes(name: str) -> tuple[int, int]:
    """Bytes of the index (table, TOAST, indexes) and of the package tables."""
    connection = psycopg2.connect(database_url(name))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_total_relation_size('odconf_search.document')")
        index = cursor.fetchone()[0]
        cursor.execute("SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(ARRAY["
                       "'package','package_extra','package_tag','tag','resource','member']) t")
        packages = cursor.fetchone()[0]
    connection.close()
    return index, int(packages)


def load_ckan() -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    make_app(load_config(str(INI)))


def time_queries(runs: int, cache_ttl: int) -> dict[str, list[float]]:
    """Time package_search in this process, through CKAN's action layer."""
    from ckan.common import config
    from ckan.plugins import toolkit

    config["odconf_search.result_cache_ttl"] = cache_ttl
    search = toolkit.get_action("package_search")
    facets = '["organization", "tags", "res_format"]'
    rng = random.Random(7)
    timings: dict[str, list[float]] = {"free text, 3 facets, 20 rows": [],
                                       "facet-only over everything": [],
                                       "no query (the /dataset page), 3 facets, 20 rows": []}
    for run in range(runs + 5):
        queries = {
            "free text, 3 facets, 20 rows": {"q": rng.choice(WORDS), "rows": 20, "facet.field": facets},
            "facet-only over everything": {"q": "", "rows": 0, "facet.field": facets},
            "no query (the /dataset page), 3 facets, 20 rows": {
                "q": "", "rows": 20, "facet.field": facets, "fq": "+dataset_type:dataset"},
        }
        for label, params in queries.items():
            started = time.perf_counter()
            result = search({"user": "", "ignore_auth": False}, dict(params))
            elapsed = (time.perf_counter() - started) * 1000
            if run >= 5:  # the first runs warm caches up
                timings[label].append(elapsed)
            assert result["count"] > 0
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="timed searches of each kind")
    parser.add_argument("--database", default="odconf_bench")
    parser.add_argument("--ckan-rebuild", action="store_true",
                        help="also time CKAN's single-process `ckan search-index rebuild`")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of a previous run (skip generation and rebuild)")
    args = parser.parse_args()
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=database_url(args.database))
    os.environ["CKAN_SQLALCHEMY_URL"] = env["CKAN_SQLALCHEMY_URL"]
    if not args.reuse:
        prepare_database(args.database, env)
        started = time.perf_counter()
        generate(args.database, args.datasets)
        print(f"catalogue written in {time.perf_counter() - started:.0f} s")
        commands = [["odconf-search", "rebuild", "-q"]]
        if args.ckan_rebuild:
            commands.append(["search-index", "rebuild", "-q"])
        for command in commands:
            started = time.perf_counter()
            ckan(env, *command)
            elapsed = time.perf_counter() - started
            print(f"rebuild: {args.datasets} datasets in {elapsed:.1f} s = "
                  f"{args.datasets / elapsed:.0f} datasets/s (ckan {' '.join(command[:2])})")
    index, packages = sizes(args.database)
    print(f"index size: {index / 2**20:.0f} MiB; package tables: {packages / 2**20:.0f} MiB;"
          f" ratio {index / packages:.2f}")
    load_ckan()
    cold = time_queries(args.runs, cache_ttl=0)
    time_queries(args.runs, cache_ttl=600)  # fills the cache with these very queries
    warm = time_queries(args.runs, cache_ttl=600)
    for timings, cache_label in ((cold, "result cache off"), (warm, "result cache warm")):
        for label, values in timings.items():
            values.sort()
            p95 = values[int(len(values) * 0.95) - 1]
            print(f"package_search {label} ({cache_label}): median {statistics.median(values):.1f} ms,"
                  f" p95 {p95:.1f} ms over {len(values)} runs")


if __name__ == "__main__":
    main()

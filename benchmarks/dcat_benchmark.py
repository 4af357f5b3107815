"""Benchmark of the DCAT catalogue endpoint: harvesting every page of ``/catalog.ttl``.

Builds a site of its own (database ``--database``, created and dropped; the
configuration of ``test.ini`` otherwise, so the same plugins and RDF
profiles), loads the NODC 2024 programme, creates one dataset through the
action API with every field the profile maps (theme, references, languages,
Khmer text, a distribution) and clones it in SQL into ``--datasets``
datasets, indexes them with ``ckan odconf-search rebuild``, serves the site
with gunicorn (the demo's settings) and then, as a harvester does:

- fetches every page of ``/catalog.ttl`` one after the other, following the
  ``hydra:next`` links, and parses each with ckanext-dcat's ``RDFParser``
  and this site's profiles (what ``dcat_rdf_harvester`` does in its gather
  stage): datasets per second, fetching alone and fetching plus parsing;
  twice: with the cache of serialised datasets cold (nothing of these
  datasets kept yet: every dataset is serialised), then warm;
- the median (and p95) time of ``/dataset/<id>.ttl`` for ``--samples``
  datasets picked at random, cold then warm.

``--cache-ttl 0`` turns the cache off (``odconf.dcat.cache_ttl``): every page
is then serialised from the database each time, and the harvest runs once.
``--compare`` measures with the cache, then serves the same catalogue at the
same address with the cache off and measures again.

Usage (from the repository root, with the project's venv):

    .venv/bin/python benchmarks/dcat_benchmark.py --datasets 10000

It prints its figures; it asserts nothing. Target (issue 13, 2-core machine):
500 datasets per second or more.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import statistics
import sys
import tempfile
import time
import urllib.request

import sqlalchemy as sa

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import sites  # noqa: E402  (the test's site helpers)

PROGRAMME = ROOT / "ckanext" / "odconf" / "programmes" / "nodc-2024.yaml"
TEMPLATE = "bench-template"
#: Tables holding a dataset's parts, with the column naming the dataset.
PARTS = (("package_extra", "package_id"), ("resource", "package_id"),
         ("package_tag", "package_id"))


def template() -> dict[str, object]:
    """A dataset with every field the RDF profile maps."""
    return {
        "name": TEMPLATE, "type": "dataset", "owner_org": "odc", "license_id": "cc-by",
        "title_translated": {"en": "Benchmark template", "km": "គំរូសំណុំទិន្នន័យ"},
        "notes_translated": {"en": "Enrolment by province.", "km": "ការចុះឈ្មោះតាមខេត្ត។"},
        "conference": "nodc-2024", "theme": "education", "language": ["km", "en"],
        "spatial_coverage": ["KH", "KH-12"], "tags": [{"name": "education"}],
        "references": ["open-data-survey-2020", "https://example.org/study"],
        "resources": [{"url": "https://example.org/enrolment.csv", "format": "CSV",
                       "name": "Enrolment"}],
    }


def clone(url: str, count: int) -> None:
    """``count`` copies of the template, straight into CKAN's tables (one transaction)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        columns = {
            table: [row[0] for row in connection.execute(sa.text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = :table ORDER BY ordinal_position"),
                {"table": table})]
            for table in ("package", *(table for table, _ in PARTS))
        }
        replaced = {
            "id": "gen_random_uuid()::text", "name": "'bench-' || g",
            "title": "'Benchmark dataset ' || g",
            "metadata_modified": "metadata_modified - g * interval '1 second'",
            "metadata_created": "metadata_created - g * interval '1 second'",
        }
        connection.execute(sa.text(
            f"INSERT INTO package ({', '.join(columns['package'])}) "
            f"SELECT {', '.join(replaced.get(c, c) for c in columns['package'])} "
            f"FROM package, generate_series(1, :count) AS g WHERE name = :template"),
            {"count": count, "template": TEMPLATE})
        for table, key in PARTS:
            values = {"id": "gen_random_uuid()::text", key: "copy.id"}
            if table == "package_extra":
                values["value"] = "replace(part.value, 'Benchmark template', copy.title)"
            connection.execute(sa.text(
                f"INSERT INTO {table} ({', '.join(columns[table])}) "
                f"SELECT {', '.join(values.get(c, 'part.' + c) for c in columns[table])} "
                f"FROM {table} AS part JOIN package AS template ON template.id = part.{key} "
                f"AND template.name = :template JOIN package AS copy ON copy.name LIKE 'bench-%' "
                f"AND copy.id <> template.id"), {"template": TEMPLATE})
    engine.dispose()


def fetch(url: str) -> tuple[str, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        body = answer.read().decode("utf-8")
    return body, time.perf_counter() - started


def harvest(site: str, label: str) -> None:
    """Every page of /catalog.ttl, parsed as the RDF harvester does."""
    from ckanext.dcat.processors import RDFParser

    url, pages, datasets, fetching, parsing = f"{site}/catalog.ttl", 0, 0, 0.0, 0.0
    while url:
        body, seconds = fetch(url)
        fetching += seconds
        started = time.perf_counter()
        parser = RDFParser()
        parser.parse(body, _format="turtle")
        datasets += sum(1 for _dataset in parser.datasets())
        url = parser.next_page()
        parsing += time.perf_counter() - started
        pages += 1
    print(f"harvest, {label}: {datasets} datasets in {pages} pages; fetching {fetching:.1f} s = "
          f"{datasets / fetching:.0f} datasets/s; fetching and parsing {fetching + parsing:.1f} s"
          f" = {datasets / (fetching + parsing):.0f} datasets/s")


def dataset_times(site: str, url: str, samples: int, label: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        ids = [row[0] for row in connection.execute(sa.text(
            "SELECT id FROM package WHERE name LIKE 'bench-%'"))]
    engine.dispose()
    timings = sorted(fetch(f"{site}/dataset/{entry_id}.ttl")[1] * 1000
                     for entry_id in random.Random(13).sample(ids, min(samples, len(ids))))
    print(f"/dataset/<id>.ttl, {label}: median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms over {len(timings)} datasets")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200,
                        help="datasets whose /dataset/<id>.ttl is timed")
    parser.add_argument("--database", default="odconf_bench")
    parser.add_argument("--ini", default=str(ROOT / "test.ini"),
                        help="configuration the site's is written from")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--cache-ttl", type=int, default=86400,
                        help="odconf.dcat.cache_ttl of the site; 0 turns the cache off")
    parser.add_argument("--compare", action="store_true",
                        help="then serve the same catalogue with the cache off and measure again")
    args = parser.parse_args()
    base = pathlib.Path(args.ini).resolve()
    with tempfile.TemporaryDirectory() as folder, sites.database(base, args.database) as url:
        tmp = pathlib.Path(folder)
        port = sites.free_port()
        ini = sites.write_ini(base, tmp / "bench.ini", **{
            "sqlalchemy.url": url, "ckan.site_id": args.database,
            "ckan.site_url": f"http://127.0.0.1:{port}", "ckan.storage_path": str(tmp / "storage"),
            "odconf.dcat.cache_ttl": str(args.cache_ttl)})
        sites.ckan(ini, "db", "init")
        sites.ckan(ini, "db", "pending-migrations", "--apply")
        sites.ckan(ini, "odconf", "load", str(PROGRAMME))
        (tmp / "template.json").write_text(json.dumps(template()))
        sites.ckan(ini, "api", "action", "package_create", "-I", str(tmp / "template.json"))
        started = time.perf_counter()
        clone(url, args.datasets - 1)
        print(f"catalogue of {args.datasets} datasets written in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        sites.ckan(ini, "odconf-search", "rebuild", "-q", timeout=3600)
        print(f"indexed in {time.perf_counter() - started:.0f} s")

        from ckan.cli import load_config
        from ckan.config.middleware import make_app

        make_app(load_config(str(ini)))
        with sites.serve(ini, port, tmp / "gunicorn.log", workers=args.workers) as site:
            # this site's datasets are new: nothing of them is kept yet
            runs = ("cold cache", "warm cache") if args.cache_ttl else ("no cache",)
            for label in runs:
                harvest(site, label)
            for label in runs:
                dataset_times(site, url, args.samples, label)
        if args.compare and args.cache_ttl:
            # the same site at the same address, only the cache off
            sites.write_ini(ini, ini, **{"odconf.dcat.cache_ttl": "0"})
            with sites.serve(ini, port, tmp / "gunicorn-no-cache.log", workers=args.workers) as site:
                harvest(site, "no cache")
                dataset_times(site, url, args.samples, "no cache")


if __name__ == "__main__":
    main()

"""``ckan odconf-search``: commands of the embedded search backend.

``rebuild`` reindexes every dataset with CKAN's own indexing code
(``package_show`` and ``PackageSearchIndex``, as ``ckan.lib.search.rebuild``)
in several processes at once, writing each chunk's index rows together. CKAN's
``search-index rebuild-fast`` does the same in spirit, but its forked workers
share the parent's database connections (measured here: ``DatabaseError:
error with status PGRES_TUPLES_OK``); here each worker opens its own.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import time
from typing import Any, Optional

import click
import ckan.lib.search as search
from ckan import model
from ckan.common import config
from ckan.plugins import toolkit

from . import store
from .connection import PostgresConnection


@click.group(name="odconf-search", short_help="Embedded PostgreSQL search commands")
def odconf_search() -> None:
    """Commands of the embedded PostgreSQL search backend (odconf_search)."""


def _dataset_ids() -> list[str]:
    query = model.Session.query(model.Package.id)
    if config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != model.State.DELETED)
    return [row[0] for row in query.order_by(model.Package.id)]


def _worker(ids: list[str], batch: int, progress: "multiprocessing.Queue[object]") -> None:
    # Forked from the parent: never reuse its database connections.
    model.meta.engine.dispose(close=False)
    package_index = search.index_for(model.Package)
    show = toolkit.get_action("package_show")
    text_config = PostgresConnection().text_config
    try:
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            # What ckan.lib.search.rebuild(package_ids=...) does, with the
            # index rows of the chunk written together before its commit.
            with store.batch(model.Session, text_config):
                for package_id in chunk:
                    context = {"ignore_auth": True, "validate": False, "use_cache": False}
                    package_index.update_dict(show(context, {"id": package_id}), defer_commit=True)
            model.Session.commit()
            progress.put(len(chunk))
    except Exception as error:  # reported by the parent, with the dataset batch
        progress.put(f"{type(error).__name__}: {error}")
        sys.exit(1)
    finally:
        model.Session.remove()


@odconf_search.command()
@click.option("-w", "--workers", type=click.IntRange(1, 64), default=os.cpu_count() or 1,
              show_default=True, help="Processes indexing at the same time.")
@click.option("-b", "--batch", type=click.IntRange(1, 10000), default=200, show_default=True,
              help="Datasets committed together.")
@click.option("-c", "--clear", is_flag=True, help="Empty the index first.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def rebuild(workers: int, batch: int, clear: bool, quiet: bool) -> None:
    """Reindex every dataset, in several processes."""
    ids = _dataset_ids()
    if clear:
        search.clear_all()
    model.Session.remove()
    model.meta.engine.dispose()
    context = multiprocessing.get_context("fork")
    progress = context.Queue()
    slices = [ids[i::workers] for i in range(workers)]
    processes = [context.Process(target=_worker, args=(part, batch, progress))
                 for part in slices if part]
    started = time.perf_counter()
    for process in processes:
        process.start()
    done, errors = 0, []
    bar: Any
    with click.progressbar(length=len(ids), label="Indexing datasets",
                           file=open(os.devnull, "w") if quiet else None) as bar:
        while done < len(ids) and (any(p.is_alive() for p in processes) or not progress.empty()):
            try:
                item: Optional[object] = progress.get(timeout=0.5)
            except queue.Empty:
                continue
            if isinstance(item, int):
                done += item
                bar.update(item)
            else:
                errors.append(str(item))
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    if errors or any(p.exitcode for p in processes):
        raise click.ClickException("rebuild failed: " + "; ".join(errors or ["a worker stopped"]))
    click.echo(f"Indexed {done} datasets in {elapsed:.1f} s "
               f"({done / elapsed if elapsed else 0:.0f} datasets/s, {len(processes)} workers)")

"""``ckan odconf check-links``: check the outside links of public entries (for cron)."""
from __future__ import annotations

import datetime
import sys
import time
from typing import TYPE_CHECKING

import click

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.odconf.links import jobs, sources, storage

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

POLL_SECONDS = 0.5


def _progress_bar(length: int, label: str) -> "ProgressBar[int]":
    """A progress bar on the standard error (the output stays for results)."""
    return click.progressbar(length=length, label=label, file=sys.stderr)


def _store_catalogue_links() -> int:
    """Store the links of every public entry (entries written before link
    checking existed, or whose job was lost) and forget those of any other
    entry; returns how many public entries there are."""
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    package_ids = [row.id for row in model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.private.is_(False))]
    for package_id in package_ids:
        pkg_dict = tk.get_action("package_show")(dict(context), {"id": package_id})
        storage.replace_entry_links(package_id, sources.entry_links(pkg_dict))
    storage.forget_entries_not_public()
    model.Session.commit()
    return len(package_ids)


@click.command("check-links")
@click.option("--all", "which", flag_value="all",
              help="Check every link of every public entry.")
@click.option("--stale", "which", flag_value="stale", default=True,
              help="Check links never checked or older than odconf.links.max_age hours (default).")
@click.option("--inline", is_flag=True,
              help="Check in this process instead of enqueuing jobs for the background workers.")
@click.option("--wait", is_flag=True,
              help="After enqueuing, follow the workers' progress until every link is checked.")
def check_links(which: str, inline: bool, wait: bool) -> None:
    """Check the outside links of public entries: landing pages, resource URLs
    that are not uploads, and every other link field of the schemas.

    By default the checks are enqueued for `ckan jobs worker` (several workers
    share the per-host rate limit); --inline runs them here.
    """
    entries = _store_catalogue_links()
    started = datetime.datetime.now(datetime.timezone.utc)
    urls = storage.urls_to_check(None if which == "all" else started - jobs.max_age())
    click.echo(f"{len(urls)} link(s) to check in {entries} public entries.", err=True)
    if not urls:
        return
    clock = time.monotonic()
    if inline:
        with _progress_bar(len(urls), "Checking links") as bar:
            jobs.check_urls(urls, progress=lambda result: bar.update(1))
    else:
        with _progress_bar(len(urls), "Enqueuing checks") as bar:
            for size in jobs.enqueue_checks(urls):
                bar.update(size)
        if not wait:
            click.echo("Enqueued; `ckan jobs worker` checks them.", err=True)
            return
        _follow_workers(urls, started)
    elapsed = time.monotonic() - clock
    click.echo(f"Checked {len(urls)} link(s) in {elapsed:.1f} s "
               f"({len(urls) / elapsed:.1f} links/s).", err=True)


def _follow_workers(urls: list[str], since: datetime.datetime) -> None:
    """A progress bar of the links the workers have checked since ``since``."""
    with _progress_bar(len(urls), "Checked by the workers") as bar:
        done = 0
        while done < len(urls):
            time.sleep(POLL_SECONDS)
            model.Session.rollback()  # see the workers' commits
            now_done = storage.count_checked_since(urls, since)
            bar.update(now_done - done)
            done = now_done

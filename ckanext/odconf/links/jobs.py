"""Link checks as CKAN background jobs (Redis queue, ``ckan jobs worker``).

A write of an entry only enqueues a job with the entry's links; the worker
stores them and checks the addresses the entry did not carry before or that
were never checked. Nothing is fetched in the web request.
"""
from __future__ import annotations

import datetime
import logging
from typing import Any, Callable, Iterable, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.odconf.links import checker, sources, storage
from ckanext.odconf.links.throttle import HostThrottle

log = logging.getLogger(__name__)

# Addresses per job enqueued by `ckan odconf check-links`.
BATCH_SIZE = 50
# A queued job that no worker took within a day is dropped (the next
# scheduled run enqueues its links again).
QUEUED_TTL = 24 * 3600


def settings() -> checker.Settings:
    """The checker's settings from the ``odconf.links.*`` options."""
    return checker.Settings(
        timeout=float(tk.asint(tk.config.get("odconf.links.timeout"))),
        user_agent=tk.config.get("odconf.links.user_agent"),
        allowed_hosts=tuple(tk.aslist(tk.config.get("odconf.links.allowed_hosts"))),
    )


def max_age() -> datetime.timedelta:
    """How old a result may get before ``--stale`` checks it again."""
    return datetime.timedelta(hours=tk.asint(tk.config.get("odconf.links.max_age")))


def throttle() -> HostThrottle:
    """The per-host rate limit shared with every worker of this site."""
    return HostThrottle(
        tk.asint(tk.config.get("odconf.links.per_host_rate")),
        f"odconf:{tk.config.get('ckan.site_id')}:links:next",
    )


def check_urls(urls: list[str], progress: Optional[Callable[[checker.Result], None]] = None) -> None:
    """Check each address and record its result (a job, or inline from the command)."""
    current, wait = settings(), throttle().wait
    for url in urls:
        result = checker.check(url, current, wait)
        storage.save_result(result)
        model.Session.commit()
        if progress:
            progress(result)


def sync_entry(package_id: str, links: list[list[str]]) -> None:
    """Store an entry's links (``[field, url, resource_id]`` each) and check the
    addresses it did not carry before or that were never checked (a job)."""
    entry_links = [sources.Link(field, url, resource_id) for field, url, resource_id in links]
    new_urls = storage.replace_entry_links(package_id, entry_links)
    to_check = list(dict.fromkeys(new_urls + storage.unchecked(link.url for link in entry_links)))
    model.Session.commit()
    check_urls(to_check)


def _job_timeout(count: int) -> int:
    """Seconds a job checking ``count`` addresses may run: each may take a HEAD
    and a GET through every redirect, each request waiting for its host's turn."""
    current = settings()
    per_request = current.timeout + 60.0 / max(tk.asint(tk.config.get("odconf.links.per_host_rate")), 1)
    return int(60 + count * 2 * (checker.MAX_REDIRECTS + 1) * per_request)


def enqueue_entry(pkg_dict: Mapping[str, Any]) -> None:
    """After an entry is created or updated: a job to store and check its links.

    A Redis outage must not fail the write: the links are then picked up by
    the next ``ckan odconf check-links``.
    """
    links = sources.entry_links(pkg_dict)
    try:
        tk.enqueue_job(
            sync_entry,
            [pkg_dict["id"], [[link.field, link.url, link.resource_id] for link in links]],
            title=f"odconf: check the links of {pkg_dict.get('name') or pkg_dict['id']}",
            rq_kwargs={"ttl": QUEUED_TTL, "timeout": _job_timeout(len(links))},
        )
    except Exception:  # redis or rq errors: the write itself has succeeded
        log.exception("Could not enqueue the link check of %s", pkg_dict.get("id"))


def enqueue_checks(urls: list[str]) -> Iterable[int]:
    """Enqueue jobs of up to ``BATCH_SIZE`` addresses; yields each job's size."""
    for start in range(0, len(urls), BATCH_SIZE):
        batch = urls[start:start + BATCH_SIZE]
        tk.enqueue_job(check_urls, [batch], title=f"odconf: check {len(batch)} links",
                       rq_kwargs={"ttl": QUEUED_TTL, "timeout": _job_timeout(len(batch))})
        yield len(batch)

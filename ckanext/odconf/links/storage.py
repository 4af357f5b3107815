"""The link tables (schema ``odconf_links``, created by the plugin's migration):
which entry carries which link, and the last check of each address."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from ckan import model

from ckanext.odconf.links.checker import Result
from ckanext.odconf.links.sources import Link


def _execute(sql: str, **params: Any) -> Any:
    return model.Session.execute(sa.text(sql), params)


def replace_entry_links(package_id: str, links: Iterable[Link]) -> list[str]:
    """Make ``links`` the links of the entry; the URLs it did not carry before."""
    links = list(dict.fromkeys(links))
    before = {row.url for row in _execute(
        "SELECT url FROM odconf_links.link WHERE package_id = :package_id", package_id=package_id)}
    _execute("DELETE FROM odconf_links.link WHERE package_id = :package_id", package_id=package_id)
    if links:
        model.Session.execute(
            sa.text("INSERT INTO odconf_links.link (package_id, field, resource_id, url) "
                    "VALUES (:package_id, :field, :resource_id, :url) "
                    "ON CONFLICT (package_id, field, resource_id) DO UPDATE SET url = EXCLUDED.url"),
            [{"package_id": package_id, "field": link.field, "resource_id": link.resource_id,
              "url": link.url} for link in links],
        )
    return list(dict.fromkeys(link.url for link in links if link.url not in before))


def unchecked(urls: Iterable[str]) -> list[str]:
    """Those of ``urls`` that were never checked."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return []
    checked = {row.url for row in _execute(
        "SELECT url FROM odconf_links.link_check WHERE url = ANY(:urls)", urls=urls)}
    return [url for url in urls if url not in checked]


def save_result(result: Result) -> None:
    """Record a check; a failure keeps the time of the first failure in a row."""
    _execute(
        """
        INSERT INTO odconf_links.link_check AS old (url, state, status_code, final_url, content_type,
            size, problem, error, checked_at, broken_since)
        VALUES (:url, :state, :status_code, :final_url, :content_type, :size, :problem, :error,
            :checked_at, CASE WHEN :state = 'broken' THEN CAST(:checked_at AS timestamptz) END)
        ON CONFLICT (url) DO UPDATE SET
            state = EXCLUDED.state, status_code = EXCLUDED.status_code,
            final_url = EXCLUDED.final_url, content_type = EXCLUDED.content_type,
            size = EXCLUDED.size, problem = EXCLUDED.problem, error = EXCLUDED.error,
            checked_at = EXCLUDED.checked_at,
            broken_since = CASE WHEN EXCLUDED.state = 'broken'
                                THEN COALESCE(old.broken_since, EXCLUDED.broken_since) END
        """,
        url=result.url, state=result.state, status_code=result.status_code,
        final_url=result.final_url, content_type=result.content_type, size=result.size,
        problem=result.problem, error=result.error, checked_at=result.checked_at,
    )


def results(urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The last check of each of ``urls`` that was checked."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return {}
    rows = _execute("SELECT * FROM odconf_links.link_check WHERE url = ANY(:urls)", urls=urls)
    return {row.url: dict(row._mapping) for row in rows}


# Links of entries that are public now (a link row can outlive a change of
# its entry until the entry's next job runs).
_PUBLIC_LINKS = """
    FROM odconf_links.link l
    JOIN package p ON p.id = l.package_id AND p.state = 'active' AND NOT p.private
"""


def forget_entries_not_public() -> None:
    """Drop the links of entries that are gone, private or not active, and the
    results of addresses no entry links to any more."""
    _execute("""
        DELETE FROM odconf_links.link l WHERE NOT EXISTS (
            SELECT 1 FROM package p
            WHERE p.id = l.package_id AND p.state = 'active' AND NOT p.private)
    """)
    _execute("""
        DELETE FROM odconf_links.link_check c
        WHERE NOT EXISTS (SELECT 1 FROM odconf_links.link l WHERE l.url = c.url)
    """)


def urls_to_check(stale_before: Optional[datetime.datetime]) -> list[str]:
    """Addresses of public entries' links: all of them (``stale_before`` None),
    or those never checked or last checked before ``stale_before``."""
    return [row.url for row in _execute(
        f"""
        SELECT DISTINCT l.url {_PUBLIC_LINKS}
        LEFT JOIN odconf_links.link_check c ON c.url = l.url
        WHERE CAST(:stale_before AS timestamptz) IS NULL
           OR c.url IS NULL OR c.checked_at < :stale_before
        ORDER BY l.url
        """, stale_before=stale_before)]


def count_checked_since(urls: list[str], since: datetime.datetime) -> int:
    """How many of ``urls`` were checked at or after ``since``."""
    return int(_execute(
        "SELECT count(*) FROM odconf_links.link_check WHERE url = ANY(:urls) AND checked_at >= :since",
        urls=urls, since=since).scalar())


def broken_links(organization_id: str) -> list[dict[str, Any]]:
    """The broken links of an organisation's public entries, oldest failure first,
    each with its entry (name, title, type) and the resource it sits in."""
    rows = _execute(
        f"""
        SELECT l.url, l.field, l.resource_id, p.id AS package_id, p.name AS package_name,
               p.title AS package_title, p.type AS package_type, r.name AS resource_name,
               c.status_code, c.problem, c.error, c.checked_at, c.broken_since
        {_PUBLIC_LINKS}
        JOIN odconf_links.link_check c ON c.url = l.url AND c.state = 'broken'
        LEFT JOIN resource r ON r.id = l.resource_id AND l.resource_id <> ''
        WHERE p.owner_org = :organization_id
        ORDER BY c.broken_since, p.name, l.field, l.resource_id
        """, organization_id=organization_id)
    return [dict(row._mapping) for row in rows]

"""Template helpers: the status shown next to an outside link."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import ckan.plugins.toolkit as tk

from ckanext.odconf.links import sources, storage


def _problem_labels() -> dict[str, str]:
    # built per call: tk._ translates in the page's language
    return {
        "http": tk._("The server answered with an error."),
        "timeout": tk._("No answer within the time limit."),
        "unsafe": tk._("Not fetched: the address is not a public one."),
        "unresolvable": tk._("The host name does not resolve."),
        "connection": tk._("The connection failed."),
        "redirects": tk._("Too many redirects."),
        "invalid": tk._("Not a web address."),
    }


def odconf_link_problem(problem: Optional[str]) -> str:
    """A failed check's kind of problem in words, in the page's language."""
    return _problem_labels().get(problem or "", tk._("The link is broken."))


def odconf_link_status(pkg_dict: Mapping[str, Any], url: Any) -> Optional[dict[str, Any]]:
    """The status of one link of an entry, or None when the entry's links are
    not checked (not public) or the value is not a web address.

    Returns ``state`` (works, moved, broken or unchecked), ``label`` in the
    page's language, and the last check's ``final_url``, ``status_code``,
    ``checked_at`` and ``broken_since`` and ``problem`` (in words).
    """
    url = sources.checkable_url(url)
    return odconf_link_statuses(pkg_dict, [url]).get(url) if url else None


def odconf_link_statuses(pkg_dict: Mapping[str, Any], urls: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The status (as :func:`odconf_link_status` gives it) of each of an
    entry's links that is a web address, by address, read in one statement;
    none when the entry's links are not checked (not public)."""
    return url_statuses(urls) if sources.is_public(pkg_dict) else {}


def url_statuses(urls: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The status (as :func:`odconf_link_status` gives it) of each web address
    among ``urls``, by address, read in one statement, whichever entries hold them."""
    checkable = [url for url in map(sources.checkable_url, urls) if url]
    if not checkable:
        return {}
    checks = storage.results(checkable)
    return {url: _status(checks.get(url)) for url in checkable}


def _status(check: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    if check is None:
        return {"state": "unchecked", "label": tk._("Not checked yet")}
    status = dict(check)
    if check["state"] == "works":
        status["label"] = tk._("Works")
    elif check["state"] == "moved":
        status["label"] = tk._("Moved")
    else:
        status["label"] = tk._("Broken since {date}").format(
            date=tk.h.render_datetime(check["broken_since"]))
        status["problem"] = odconf_link_problem(check["problem"])
    return status


def get_helpers() -> dict[str, Any]:
    """The link checking helpers (ITemplateHelpers)."""
    return {fn.__name__: fn for fn in (odconf_link_status, odconf_link_statuses, odconf_link_problem)}

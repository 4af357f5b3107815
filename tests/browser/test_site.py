"""The browser tests' site itself: its users see what they may, a page opens in each language."""
from __future__ import annotations

from tests.browser.conftest import HIDDEN, LANGUAGES

HIDDEN_NAMES = {entry["name"] for entry in HIDDEN.values()}


def _names(site, user):
    found = site.api("package_search", user, fq="conference:nodc-2024", rows=1000,
                     include_private=True, include_drafts=True)
    return {entry["name"] for entry in found["results"]}


def test_hidden_entries_are_searchable_only_by_who_may_read_them(browser_site):
    for user in (None, "user"):
        names = _names(browser_site, user)
        assert names and not names & HIDDEN_NAMES, user
    # control: the editor of the organisation finds the private entry, the sysadmin the draft too
    assert "browser-hidden-private" in _names(browser_site, "editor")
    assert HIDDEN_NAMES <= _names(browser_site, "sysadmin")


def test_a_page_opens_in_each_language_for_each_visitor(open_page):
    for lang in LANGUAGES:
        page = open_page("/dataset", lang)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.get_by_role("link", name="browser-editor").count() == 0
    page = open_page("/dataset", "en", user="editor")
    # logged in through the API token: the account menu names the user
    assert page.locator(".account .username").inner_text() == "browser-editor"

"""Khmer everywhere a visitor looks: on every page of the showcase in Khmer, at
least 95% of the visible pieces of text that are words are Khmer (see
``khmer_share``). The figure of each page is printed (``pytest -s``) and the
English left is named when a page falls short."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import EDITOR_OF, USERS, Site
from tests.browser.khmer_share import measure

#: Least share of Khmer pieces of words on a Khmer page (issue #11).
LEAST_KHMER = 0.95
EDITION = "nodc-2024"
#: The pages of issue #11 (a dataset and a reference entry of the example content).
PAGES = {
    "home": "/",
    "conference": f"/conference/{EDITION}",
    "theme": f"/conference/{EDITION}/education",
    "dataset": f"/dataset/{EDITION}-example-education-1",
    "reference": "/reference/open-data-survey-2020",
    "search": "/dataset/",
}


@pytest.fixture(scope="module")
def proper_names(browser_site: Site) -> list[str]:
    """Names no one translates: the organisations' titles (CKAN keeps one, in
    English), and the conference's venue and contact person."""
    organisations = browser_site.api("organization_list", None, all_fields=True, limit=1000)
    conference = browser_site.api("group_show", None, id=EDITION)
    contact = conference.get("contact") or {}
    return [organisation["title"] for organisation in organisations] + [
        conference.get("venue") or "", contact.get("name") or ""]


@pytest.mark.parametrize("name", PAGES)
def test_khmer_pages_are_khmer(name: str, open_page: Callable[..., Page],
                               screenshot: Callable[[Page, str], Any], proper_names: list[str]) -> None:
    page = open_page(PAGES[name], "km")
    assert page.locator("html").get_attribute("lang") == "km"
    found = measure(page, proper_names)
    screenshot(page, f"khmer-{name}-km")
    print(f"\nKhmer share of {name} ({PAGES[name]}): {found}; English: {sorted(set(found.english))}")
    assert found.share >= LEAST_KHMER, (
        f"{name}: {found}; English left: {sorted(set(found.english))}")


#: Other pages a visitor opens (CKAN's own, with the catalogue's words), and
#: the dataset form an editor fills in: path, user.
OTHER_PAGES = {
    "organisation": ("/organization/odc", None),
    "conferences": ("/conference/", None),
    "login": ("/user/login", None),
    "register": ("/user/register", None),
    "about": ("/about", None),
    "resource": (None, None),  # the first resource of the dataset above
    "dataset-form": ("/dataset/new", "editor"),
}


@pytest.mark.parametrize("name", OTHER_PAGES)
def test_other_pages_are_khmer_too(name: str, browser_site: Site, open_page: Callable[..., Page],
                                   screenshot: Callable[[Page, str], Any], proper_names: list[str]) -> None:
    path, user = OTHER_PAGES[name]
    if path is None:
        dataset = browser_site.api("package_show", None, id=f"{EDITION}-example-education-1")
        path = f"/dataset/{dataset['name']}/resource/{dataset['resources'][0]['id']}"
    page = open_page(path, "km", user=user)
    found = measure(page, [*proper_names, *([USERS[user]] if user else [])])
    screenshot(page, f"khmer-{name}-km")
    print(f"\nKhmer share of {name} ({path}): {found}; English: {sorted(set(found.english))}")
    assert found.share >= LEAST_KHMER, f"{name}: {found}; English left: {sorted(set(found.english))}"


@pytest.fixture
def untranslated_entry(browser_site: Site) -> Any:
    """A private dataset of the editor's organisation with no Khmer at all, for
    the time of one test (purged afterwards: other tests count the site's entries)."""
    entry = browser_site.api(
        "package_create", "sysadmin", name="browser-untranslated", private=True, owner_org=EDITOR_OF,
        conference=EDITION, theme="education", license_id="cc-by", language=["en"],
        title_translated={"en": "Untranslated survey"}, notes_translated={"en": "Only in English."})
    yield entry
    browser_site.api("dataset_purge", "sysadmin", id=entry["id"])


@pytest.mark.parametrize("lang", ["en", "km"])
def test_translation_queue_for_an_editor_of_an_organiser(
        lang: str, browser_site: Site, open_page: Callable[..., Page], untranslated_entry: Any,
        check_axe: Callable[[Page], Any], screenshot: Callable[[Page, str], Any]) -> None:
    page = open_page(f"/conference/{EDITION}/translations", lang, user="editor")
    report = browser_site.api("odconf_translation_queue", "editor", id=EDITION)
    listed = [entry["name"] for entry in report["entries"]["missing"]]
    # odc's hidden entries (their resource is named in English only) are the editor's to read
    assert set(listed) == {"browser-untranslated", "browser-hidden-private", "browser-hidden-draft"}
    assert page.locator("tr[data-name]").evaluate_all("rows => rows.map(row => row.dataset.name)") == listed
    row = page.locator('tr[data-name="browser-untranslated"]')
    assert row.locator('a[href$="/dataset/edit/browser-untranslated"]').count() == 1
    assert page.locator("tr[data-path]").count() == len(report["programme"]["missing"])
    check_axe(page)
    screenshot(page, f"translation-queue-{lang}")
    if lang == "km":  # the editor's own name is shown in the header
        assert measure(page, [USERS["editor"]]).share >= LEAST_KHMER

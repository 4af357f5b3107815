"""The theme page, /dataset, a dataset's and a reference's pages in a real browser.

Each is opened in English and Khmer, by an anonymous visitor and by the editor
of ``odc`` (who may read the private example entry): facet labels are titles
in the page's language, the counts equal what ``package_search`` gives that
visitor, nothing hidden from the visitor shows, and axe-core finds no serious
or critical violation. A screenshot of each is saved in ``var/screenshots/``.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import CITING, HIDDEN, LANGUAGES

EDITION = "nodc-2024"
THEME = CITING["theme"]
VISITORS = (None, "editor")
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")


def _text(value: Any, lang: str) -> str:
    """A translated value's text in ``lang``, English when it has none."""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get("en") or ""


def _whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _number(text: str) -> int:
    """The first number of a text (Latin or Khmer digits)."""
    found = re.search(r"\d[\d,]*", text.translate(KHMER_DIGITS))
    return int(found.group(0).replace(",", "")) if found else 0


def _facets(page: Page) -> dict[str, dict[str, int]]:
    """The facets shown in the page's sidebar: field -> {label: count}."""
    return {
        facet.get_attribute("data-facet") or "": {
            _whitespace(item.locator(".item-label").inner_text()):
                _number(item.locator(".item-count").inner_text())
            for item in facet.locator("li.nav-item").all()
        }
        for facet in page.locator(".filters [data-facet]").all()
    }


def _expected(found: dict[str, Any], field: str) -> dict[str, int]:
    """A facet of a ``package_search`` result: display name -> count."""
    return {item["display_name"]: item["count"] for item in found["search_facets"][field]["items"]}


def _titles(edition: dict[str, Any], lang: str) -> dict[str, set[str]]:
    """The labels facets must show for the edition's values, in ``lang``."""
    return {
        "theme": {_text(theme["title"], lang) for theme in edition["themes"]},
        "conference": {_text(edition["title_translated"], lang)},
    }


@pytest.fixture(scope="module")
def edition(browser_site: Any) -> dict[str, Any]:
    """The edition as an anonymous visitor's API shows it."""
    return browser_site.api("odconf_conference_show", None, id=EDITION)


@pytest.mark.parametrize("user", VISITORS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_theme_page(browser_site, edition, open_page, check_axe, screenshot, lang, user):
    theme = next(theme for theme in edition["themes"] if theme["slug"] == THEME)
    page = open_page(f"/conference/{EDITION}/{THEME}", lang, user)
    assert page.locator("html").get_attribute("lang") == lang
    assert _whitespace(page.locator("h1.odconf-theme-title").inner_text()) == _text(theme["title"], lang)
    fq = f'+conference:"{EDITION}" +(theme:"{THEME}" OR challenge_theme:"{THEME}")'
    found = browser_site.api("package_search", user, fq=fq, rows=1000, include_private=True,
                             **{"facet.field": ["license_id", "dataset_type"]})
    assert _number(page.locator(".odconf-search-count").inner_text()) == found["count"]
    shown = {link.get_attribute("href").rsplit("/", 1)[1]
             for link in page.locator(".dataset-heading a").all()}
    assert shown == {entry["name"] for entry in found["results"]}
    # the private example only for its editor, the draft for no one
    assert (HIDDEN["private"]["name"] in shown) == (user == "editor")
    assert HIDDEN["draft"]["name"] not in shown
    # facets: titles in the page's language, counted as package_search counts
    facets = _facets(page)
    for field in ("license_id", "dataset_type"):
        if lang == "en":  # the API answers in English
            assert facets[field] == _expected(found, field), field
        else:
            assert sorted(facets[field].values()) == sorted(_expected(found, field).values()), field
    assert sum(facets["dataset_type"].values()) == found["count"]
    assert not set(facets["dataset_type"]) & {"dataset", "hackathon-project", "reference"}
    check_axe(page)
    screenshot(page, f"search-theme-{user or 'anonymous'}-{lang}")


def test_theme_page_search_by_keyboard(browser_site, open_page):
    """A visitor types words in the theme's search box and sends them with Enter."""
    page = open_page(f"/conference/{EDITION}/{THEME}")
    page.locator("#field-giant-search").focus()
    page.keyboard.type("example 2")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=example"))
    assert f"/conference/{EDITION}/{THEME}?" in page.url
    assert _number(page.locator(".odconf-search-count").inner_text()) >= 1


@pytest.mark.parametrize("user", VISITORS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_dataset_search(browser_site, edition, open_page, check_axe, screenshot, lang, user):
    page = open_page("/dataset/", lang, user)
    found = browser_site.api("package_search", user, rows=0, include_private=True,
                             **{"facet.field": ["conference", "theme", "dataset_type"]})
    assert _number(page.locator("#dataset-search-form h1").inner_text()) == found["count"]
    facets = _facets(page)
    titles = _titles(edition, lang)
    # conference and themes by their titles in the page's language, never their slugs
    assert set(facets["conference"]) == titles["conference"]
    assert set(facets["theme"]) <= titles["theme"] and len(facets["theme"]) == len(edition["themes"])
    # every facet counts what package_search counts for this visitor
    for field in ("conference", "theme", "dataset_type"):
        assert sorted(facets[field].values()) == sorted(
            item["count"] for item in found["search_facets"][field]["items"]), field
    assert sum(facets["dataset_type"].values()) == found["count"]
    # result cards titled in the page's language
    cards = " ".join(page.locator(".dataset-heading").all_inner_texts())
    if lang == "km":
        assert re.search("[\u1780-\u17ff]", cards)
    assert "Hidden draft dataset" not in cards and "សំណុំទិន្នន័យព្រាងលាក់" not in cards
    check_axe(page)
    screenshot(page, f"search-datasets-{user or 'anonymous'}-{lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dataset_page(browser_site, edition, open_page, check_axe, screenshot, lang):
    page = open_page(f"/dataset/{CITING['dataset']}", lang)
    summary = page.locator(".odconf-entry-summary")
    conference = summary.locator("[data-field=conference] a")
    assert conference.get_attribute("href").endswith(f"/conference/{EDITION}")
    assert _whitespace(conference.inner_text()).startswith(_text(edition["title_translated"], lang))
    assert summary.locator("[data-field=theme] a").get_attribute("href").endswith(
        f"/conference/{EDITION}/{THEME}")
    assert "#session-" in summary.locator("[data-field=session] a").get_attribute("href")
    licence = summary.locator("[data-field=licence]")
    assert licence.locator("a[rel=license]").get_attribute("href")
    assert licence.locator(".odconf-open-licence").is_visible()
    reference = page.locator(f".odconf-entry-references [data-reference={CITING['reference']}] a")
    assert reference.get_attribute("href").endswith(f"/reference/{CITING['reference']}")
    assert page.locator("#odconf-projects-using-heading").is_visible()
    check_axe(page)
    screenshot(page, f"search-dataset-page-{lang}")


@pytest.mark.parametrize("user", VISITORS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_reference_page(browser_site, open_page, check_axe, screenshot, lang, user):
    name = CITING["reference"]
    page = open_page(f"/reference/{name}", lang, user)
    summary = page.locator(".odconf-entry-summary")
    for field in ("document_kind", "publisher", "publication_date", "url", "sessions"):
        assert summary.locator(f"[data-field={field}]").is_visible(), field
    referring = browser_site.api("odconf_referencing_datasets", user, id=name)
    listed = {link.get_attribute("href").rsplit("/", 1)[1]
              for link in page.locator(".odconf-referencing-datasets .dataset-heading a").all()}
    assert listed == {entry["name"] for entry in referring["results"]}
    assert CITING["dataset"] in listed
    check_axe(page)
    screenshot(page, f"search-reference-page-{user or 'anonymous'}-{lang}")


def test_path_from_a_theme_to_a_dataset_and_its_reference(browser_site, open_page):
    page = open_page(f"/conference/{EDITION}/{THEME}")
    page.locator(f".dataset-heading a[href$='/dataset/{CITING['dataset']}']").click()
    page.wait_for_url(re.compile(f"/dataset/{CITING['dataset']}$"))
    page.locator(f".odconf-entry-references [data-reference={CITING['reference']}] a").click()
    page.wait_for_url(re.compile(f"/reference/{CITING['reference']}$"))
    page.locator(f".odconf-referencing-datasets a[href$='/dataset/{CITING['dataset']}']").first.click()
    page.wait_for_url(re.compile(f"/dataset/{CITING['dataset']}$"))
    page.locator(".odconf-entry-summary [data-field=theme] a").click()
    page.wait_for_url(re.compile(f"/conference/{EDITION}/{THEME}$"))

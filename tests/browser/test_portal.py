"""The conference portal in a real browser: the home page and the edition's page.

Each page is opened in English and Khmer, by an anonymous visitor and by the
editor of ``odc`` (who may read the private example entry): what it shows must
equal what ``package_search`` and ``organization_list`` give that visitor, with
no serious or critical axe-core violation; a screenshot of each is saved in
``var/screenshots/``.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import pytest

from tests.browser.conftest import CITING, HIDDEN, LANGUAGES

EDITION = "nodc-2024"
AGENDA_SESSIONS = 36
AWARDS = ("first", "second", "third", "honourable-mention")
VISITORS = (None, "editor")


def _text(value: Any, lang: str) -> str:
    """A translated value's text in ``lang``, English when it has none."""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get("en") or ""


def _count(site: Any, user: Optional[str], **params: Any) -> int:
    return site.api("package_search", user, rows=0, include_private=True, **params)["count"]


def _whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def edition(browser_site):
    """The edition as an anonymous visitor's API shows it."""
    return browser_site.api("odconf_conference_show", None, id=EDITION)


@pytest.mark.parametrize("user", VISITORS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_shows_the_edition_and_what_the_visitor_may_see(
        browser_site, edition, open_page, check_axe, screenshot, lang, user):
    page = open_page("/", lang, user)
    assert page.locator("html").get_attribute("lang") == lang
    assert _whitespace(page.locator("h1").first.inner_text()).startswith(_text(edition["title_translated"], lang))
    assert _text(edition["tagline"], lang) in page.locator(".odconf-tagline").inner_text()
    assert "2024" in page.locator(".odconf-dates").inner_text()
    assert page.locator("form[role=search] input[name=q]").is_visible()
    # the catalogue's name and logo, not CKAN's
    assert page.locator(".odconf-brand img").get_attribute("alt")
    assert "CKAN" not in page.title()

    # figures: what package_search and organization_list give this visitor
    expected = {
        "datasets": _count(browser_site, user, fq="dataset_type:dataset"),
        "hackathon-projects": _count(browser_site, user, fq="dataset_type:hackathon-project"),
        "references": _count(browser_site, user, fq="dataset_type:reference"),
        "organisations": len(browser_site.api("organization_list", user)),
    }
    shown = {key: int(page.locator(f"[data-figure={key}] a").get_attribute("data-count")) for key in expected}
    assert shown == expected
    assert page.locator("[data-figure=datasets] a").inner_text() == str(expected["datasets"])

    # theme cards: every theme and room, titled in the page's language, counted for this visitor
    cards = page.locator(".odconf-card[data-theme]")
    assert cards.count() == len(edition["themes"])
    for theme in edition["themes"]:
        card = page.locator(f'.odconf-card[data-theme="{theme["slug"]}"]')
        assert _whitespace(card.locator("h3").inner_text()).startswith(_text(theme["title"], lang))
        count = _count(browser_site, user, fq=f'conference:"{EDITION}" theme:"{theme["slug"]}"')
        assert int(card.locator(".odconf-count").get_attribute("data-count")) == count, theme["slug"]

    # the latest entries: never a draft, the private entry only for who may read it
    latest = " ".join(page.locator(".odconf-home .dataset-item").all_inner_texts())
    assert latest and _text(HIDDEN["draft"]["title_translated"], lang) not in latest
    assert (_text(HIDDEN["private"]["title_translated"], lang) in latest) == (user == "editor")
    references = page.locator("[data-reference]")
    assert references.count() == len(edition["references"])

    check_axe(page)
    screenshot(page, f"home-{lang}" + (f"-{user}" if user else ""))


def test_the_editor_counts_the_private_entry_and_others_do_not(browser_site, open_page):
    """The control of the visibility test: the hidden entries are in theme education."""
    def education(user):
        page = open_page("/", "en", user)
        card = page.locator('.odconf-card[data-theme="education"] .odconf-count')
        return int(card.get_attribute("data-count"))

    assert education("editor") == education(None) + 1  # the private one; never the draft
    assert education("user") == education(None)


@pytest.mark.parametrize("user", VISITORS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_conference_page_shows_programme_agenda_hackathon_and_charts(
        browser_site, edition, open_page, check_axe, screenshot, lang, user):
    page = open_page(f"/conference/{EDITION}", lang, user)
    assert page.locator("html").get_attribute("lang") == lang
    assert _whitespace(page.locator("h1").first.inner_text()).startswith(_text(edition["title_translated"], lang))

    # organisers and funders by name
    organisers = page.locator(".odconf-organisers li").all_inner_texts()
    assert organisers == [organiser["title"] for organiser in edition["organisers"]]
    assert page.locator(".odconf-funders li").count() == len(edition["funders"])

    # themes and rooms: cards with the visitor's counts and links to their pages
    for theme in edition["themes"]:
        card = page.locator(f'.odconf-card[data-theme="{theme["slug"]}"]')
        count = _count(browser_site, user, fq=f'conference:"{EDITION}" theme:"{theme["slug"]}"')
        assert int(card.locator(".odconf-count").get_attribute("data-count")) == count
        assert card.locator("h3 a").get_attribute("href").endswith(f"/conference/{EDITION}/{theme['slug']}")

    # the agenda: a timetable per day, every session once, in order, with its marks
    sessions = [session for day in edition["programme"] for session in day["sessions"]]
    assert len(sessions) == AGENDA_SESSIONS
    rows = page.locator("table.odconf-timetable tbody tr[data-session]")
    assert rows.count() == AGENDA_SESSIONS
    assert [row.get_attribute("data-session") for row in rows.all()] == [s["id"] for s in sessions]
    assert page.locator("table.odconf-timetable").count() == len(edition["programme"])
    tbc = [s["id"] for s in sessions if s.get("tbc")]
    assert tbc and [row.get_attribute("data-session")
                    for row in page.locator("tr[data-session]:has(.odconf-tbc)").all()] == tbc
    first = sessions[0]
    assert page.locator(f"#session-{first['id']} .odconf-time").inner_text() == f"{first['start']}–{first['end']}"

    # the hackathon: its schedule, and its projects the visitor may read, winners first
    projects = browser_site.api("package_search", user, rows=100, include_private=True,
                                fq=f'+dataset_type:hackathon-project +conference:"{EDITION}"')["results"]
    gallery = [card.get_attribute("data-project") for card in page.locator("[data-project]").all()]
    assert sorted(gallery) == sorted(project["name"] for project in projects) and gallery
    awarded = [card.get_attribute("data-award") for card in page.locator("[data-project]").all()]
    ranks = [AWARDS.index(award) if award in AWARDS else len(AWARDS) for award in awarded]
    assert ranks == sorted(ranks)  # awarded projects first, in award order
    assert page.locator(".odconf-hackathon-schedule li").count() == len(edition["hackathon"]["sessions"])

    # references with their link or its absence
    for reference in edition["references"]:
        item = page.locator(f'[data-reference="{reference["name"]}"]')
        assert item.locator(".odconf-link-status").inner_text().strip()

    # charts: SVG with a text alternative, and the same numbers as a table
    charts = page.locator("figure.odconf-chart")
    assert charts.count() == 3
    by_theme = page.locator("#chart-themes")
    assert by_theme.locator("svg[role=img] title").count() == 1
    # (read whether the table's disclosure is open or not)
    table = {_whitespace(row.locator("th").text_content() or ""): int(row.locator("td").text_content() or "")
             for row in by_theme.locator("tbody tr").all()}
    assert table == {_text(theme["title"], lang): _count(
        browser_site, user, fq=f'conference:"{EDITION}" theme:"{theme["slug"]}"') for theme in edition["themes"]}
    assert page.locator("#chart-formats tbody tr").count() >= 1
    assert page.locator("#chart-licences tbody tr").count() >= 1

    # nothing raw: no YAML or JSON dumped on the page
    body = page.locator("main").inner_text()
    assert "{'" not in body and '{"' not in body and "- id:" not in body

    check_axe(page)
    screenshot(page, f"conference-{lang}" + (f"-{user}" if user else ""))


def test_the_conference_about_page_leads_to_the_edition_page(browser_site, open_page):
    page = open_page(f"/conference/about/{EDITION}", "km")
    assert page.url == browser_site.page_url(f"/conference/{EDITION}", "km")
    assert page.locator("tr[data-session]").count() == AGENDA_SESSIONS


def test_keyboard_only_from_the_skip_link_to_a_theme(browser_site, open_page, screenshot):
    page = open_page("/", "en")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content" and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    target = page.locator(f'.odconf-card[data-theme="{CITING["theme"]}"] h3 a')
    for _press in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the theme card")
    # the focus is visible: an outline drawn around the link
    outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline not in ("", "none")
    screenshot(page, "keyboard-theme-focus-en")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/conference/{EDITION}/{CITING['theme']}")
    assert page.locator("h1").first.is_visible()


def test_path_from_home_to_theme_dataset_reference_and_back(browser_site, open_page, screenshot):
    dataset = browser_site.api("package_show", None, id=CITING["dataset"])
    reference = browser_site.api("package_show", None, id=CITING["reference"])
    for lang in LANGUAGES:
        page = open_page("/", lang)
        page.locator(f'.odconf-card[data-theme="{CITING["theme"]}"] h3 a').click()
        page.wait_for_url(f"**/conference/{EDITION}/{CITING['theme']}")
        page.get_by_role("link", name=_text(dataset["title_translated"], lang), exact=False).first.click()
        page.wait_for_url(f"**/dataset/{dataset['name']}")
        page.locator(f'[data-reference="{reference["name"]}"] a').first.click()
        page.wait_for_url(f"**/reference/{reference['name']}")
        assert _text(reference["title_translated"], lang) in page.locator("h1").first.inner_text()
        screenshot(page, f"path-reference-{lang}")
        for expected in (f"/dataset/{dataset['name']}", f"/conference/{EDITION}/{CITING['theme']}"):
            page.go_back()
            assert page.url.endswith(expected)
        page.go_back()
        assert page.url == browser_site.page_url("/", lang)
        assert page.locator(".odconf-card[data-theme]").count() > 0


def test_hidden_entries_appear_nowhere_on_the_portal(browser_site, open_page):
    for path in ("/", f"/conference/{EDITION}"):
        for lang in LANGUAGES:
            text = open_page(path, lang, "user").locator("body").inner_text()
            for entry in HIDDEN.values():
                assert _text(entry["title_translated"], lang) not in text, (path, lang)

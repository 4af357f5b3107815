"""The theme page, /conference/<edition>/<theme>: the theme, its topics and a
search inside it with facets, sorting and paging, showing each visitor only
what they may read."""
from __future__ import annotations

import re
from typing import Any, Optional

import pytest
from ckan.tests import factories, helpers

from ckanext.odconf.showcase.theme import theme_filter
from tests.conftest import statements_run

from .conftest import dataset, entry_links, facet_items, get

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PAGE = "/conference/odc-test-2025/education"


def shown_count(body: str) -> int:
    """The number of entries the page says it found."""
    heading = re.search(r'<h2 class="odconf-search-count"[^>]*>(.*?)</h2>', body, flags=re.S)
    assert heading is not None
    text = heading.group(1).strip()
    return 0 if text.startswith("No ") else int(text.split()[0])


def searched_count(user: Optional[dict[str, Any]], fq: str = "") -> int:
    """What ``package_search`` counts in the theme for ``user``."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("package_search", context, rows=0, include_private=True,
                               fq=theme_filter("odc-test-2025", "education") + fq)["count"]


def test_the_theme_its_session_and_topics(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, PAGE)
    assert '<h1 class="odconf-theme-title">Open Data for Education</h1>' in body
    assert "Theme 1" in body
    # the session where the theme is discussed, an anchor of the agenda
    assert 'href="/conference/odc-test-2025#session-breakout">Breakout</a>' in body
    # the topics, each with its entries and a link searching it
    topics = dict(re.findall(
        r'<li data-topic="([\w-]+)">.*?<span class="badge[^"]*"[^>]*>(\d+)</span>', body, flags=re.S))
    assert topics == {"schools": "1", "teachers": "1"}
    assert 'href="/conference/odc-test-2025/education?topic=schools">Schools</a>' in body
    # a link to the conference page
    assert 'href="/conference/odc-test-2025"' in body


def test_a_theme_without_named_topics_says_how_many_are_announced(app: Any, nodc: Any) -> None:
    body = get(app, "/conference/nodc-2024/education")
    assert "The programme announces 3 topics for this theme; they are not named yet." in body


def test_a_room(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, "/conference/odc-test-2025/business")
    assert "Breakout room 1" in body and "Responsible Business" in body
    assert shown_count(body) == 0 and "No entries found" in body


def test_counts_and_lists_hold_only_what_the_visitor_may_read(
        app: Any, catalogue: dict[str, Any]) -> None:
    for visitor in (None, "outsider", "member"):
        user = catalogue[visitor] if visitor else None
        body = get(app, PAGE, user)
        listed = set(entry_links(body))
        assert shown_count(body) == searched_count(user) == len(listed)
        # a draft is never listed; a private entry only for members of its publisher
        assert "draft-schools" not in body
        assert ("private-schools" in listed) == (visitor == "member")
        assert listed >= {"schools-2023", "teachers-2022", "education-budget"}
        assert "clinics-2021" not in listed  # another theme
        # the facets count the same entries
        assert sum(facet_items(body, "Type").values()) == len(listed)
        assert facet_items(body, "Topic")["Schools"] == (2 if visitor == "member" else 1)
        # so do the topics under the theme's description
        assert re.search(r'<li data-topic="schools">.*?>(\d+)</span>', body, flags=re.S).group(1) == (  # type: ignore[union-attr]
            "2" if visitor == "member" else "1")


def test_the_draft_exists_for_its_editors(app: Any, catalogue: dict[str, Any]) -> None:
    """The control of the draft above: it is in the theme, and its publisher's
    editor reads it on its own page."""
    draft = helpers.call_action("package_show", {"user": catalogue["member"]["name"]}, id="draft-schools")
    assert (draft["state"], draft["theme"]) == ("draft", "education")


def test_facets_are_labelled_with_titles(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, PAGE)
    assert facet_items(body, "Topic") == {"Schools": 1, "Teachers": 1}
    assert facet_items(body, "Licence") == {
        "Creative Commons Attribution": 1, "Creative Commons Attribution Share-Alike": 1,
        "Open Data Commons Open Database License (ODbL)": 1}
    assert facet_items(body, "Language") == {"English": 3, "Khmer": 2}
    assert facet_items(body, "Type") == {"Dataset": 3}
    assert facet_items(body, "Formats") == {"CSV": 2, "PDF": 1}
    assert sum(facet_items(body, "Organizations").values()) == 3


def test_a_facet_value_filters_and_keeps_the_search(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, PAGE + "?topic=schools")
    assert entry_links(body) == ["schools-2023"]
    assert shown_count(body) == searched_count(None, ' +topic:"schools"') == 1
    # the chosen value can be removed, and another facet adds to it
    assert 'href="/conference/odc-test-2025/education?topic=schools&amp;license_id=cc-by"' in body


def test_search_words(app: Any, catalogue: dict[str, Any]) -> None:
    assert entry_links(get(app, PAGE + "?q=budget")) == ["education-budget"]
    # Khmer words are found too
    assert entry_links(get(app, PAGE + "?q=ថវិកា")) == ["education-budget"]


def test_each_card_shows_its_description_as_plain_text_also_after_a_change(
        app: Any, catalogue: dict[str, Any]) -> None:
    sysadmin = factories.Sysadmin()

    def describe(text: str) -> str:
        helpers.call_action("package_patch", {"user": sysadmin["name"]}, id="teachers-2022",
                            notes_translated={"en": text})
        body = get(app, PAGE + "?q=teachers")
        assert entry_links(body) == ["teachers-2022"]
        card = body.split('<h2 class="dataset-heading">')[1].split("</li>")[0]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))

    # the extracts are remembered (see helpers.markdown_extract): by text, so a
    # changed description is never shown with its old extract
    assert "Teachers by **province**" not in describe("Teachers by **province**")
    assert "Teachers by province" in describe("Teachers by **province**")
    changed = describe("Teachers by *district*")
    assert "Teachers by district" in changed and "province" not in changed
    assert "x" * 300 not in describe("x" * 30_000)  # longer than what is remembered: cut too


def test_sorting(app: Any, catalogue: dict[str, Any]) -> None:
    for sort, order in [
        ("title_string asc", ["education-budget", "schools-2023", "teachers-2022"]),
        ("title_string desc", ["teachers-2022", "schools-2023", "education-budget"]),
    ]:
        body = get(app, PAGE + "?sort=" + sort.replace(" ", "+"))
        assert entry_links(body) == order
        assert f'<option value="{sort}" selected="selected">' in body


@pytest.mark.ckan_config("ckan.datasets_per_page", "2")
def test_paging_keeps_the_search(app: Any, catalogue: dict[str, Any]) -> None:
    first = get(app, PAGE + "?sort=title_string+asc&vocab_odconf_languages=en")
    assert entry_links(first) == ["education-budget", "schools-2023"]
    assert "/conference/odc-test-2025/education?sort=title_string+asc&amp;vocab_odconf_languages=en&amp;page=2" in first
    second = get(app, PAGE + "?sort=title_string+asc&vocab_odconf_languages=en&page=2")
    assert entry_links(second) == ["teachers-2022"]


def test_unknown_edition_or_theme(app: Any, catalogue: dict[str, Any]) -> None:
    for url in [
        "/conference/nodc-1999/education",  # no such edition
        "/conference/odc-test-2025/no-such-theme",
        "/conference/odc-test/education",  # an organisation, not a conference
        "/conference/odc-test-2025/clinics",  # a topic, not a theme
    ]:
        get(app, url, status=404)


def test_malformed_search_is_refused(app: Any, catalogue: dict[str, Any]) -> None:
    for query in [
        "page=two", "page=0", "page=-1", "page=" + "9" * 30, "sort=name+asc", "sort=" + "x" * 2000,
        "_topic_limit=all", "q=" + "open+" * 400, "&".join(["topic=schools"] * 21),
        "topic=" + "a" * 1001,
    ]:
        assert "Bad Request" in get(app, PAGE + "?" + query, status=400), query


def test_odd_queries_never_fail(app: Any, catalogue: dict[str, Any]) -> None:
    for query in ['q="unbalanced', "q=title:(", "q=*:*", "q=%5C", "unknown=1", "topic=%22"]:
        assert app.get(PAGE + "?" + query).status_code in (200, 400), query


def test_the_page_in_khmer(app: Any, catalogue: dict[str, Any]) -> None:
    body = get(app, "/km" + PAGE)
    assert '<h1 class="odconf-theme-title">ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ</h1>' in body
    # titles of entries in Khmer, and English ones marked as such
    assert "សាលារៀន ២០២៣" in body
    assert '<a href="/km/dataset/teachers-2022" lang="en">Teachers 2022</a>' in body
    assert 'lang="en">Schools</span>' in body  # a topic without a Khmer title


@pytest.mark.ckan_config("odconf_search.result_cache_ttl", "0")
def test_statements_do_not_grow_with_the_entries(app: Any, catalogue: dict[str, Any]) -> None:
    def page() -> None:
        get(app, PAGE + "?sort=title_string+asc")

    small = statements_run(page)
    for number in range(6):
        dataset(f"more-schools-{number}", resources=[
            {"url": f"https://example.org/{number}.csv", "format": "CSV"}])
    factories.Organization(name="another-publisher")
    assert statements_run(page) == small
    # the control: the page did grow
    assert shown_count(get(app, PAGE)) == 9

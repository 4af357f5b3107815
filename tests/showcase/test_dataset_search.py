"""/dataset: facets for conference, theme, topic, licence, type and language
labelled with titles in the visitor's language, result cards titled in it,
and counts of only what the visitor may read."""
from __future__ import annotations

import re
from typing import Any, Optional

import pytest
from ckan.tests import helpers

from .conftest import entry_links, facet_items, get

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def searched_facets(user: Optional[dict[str, Any]], fq: str = "") -> dict[str, dict[str, int]]:
    """What ``package_search`` counts for ``user``, per facet and value."""
    found = helpers.call_action(
        "package_search", {"user": user["name"] if user else "", "ignore_auth": False},
        rows=0, include_private=True, fq=fq,
        **{"facet.field": ["conference", "theme", "topic", "dataset_type", "license_id"]})
    return {name: {item["name"]: item["count"] for item in facet["items"]}
            for name, facet in found["search_facets"].items()}


def test_facets_are_labelled_with_titles(app: Any, nodc_with_examples: Any) -> None:
    body = get(app, "/dataset/")
    assert facet_items(body, "Conference") == {"National Open Data Conference 2024": 13}
    themes = facet_items(body, "Theme")
    assert set(themes) == {
        "Open Government Data for Better Public Services", "Open Data for Education",
        "Open Data for Sustainable Development", "Sustainable and Responsible Business",
        "Inclusive Social Development and Protection for all"}
    types = facet_items(body, "Type")
    assert types["Dataset"] == 10 and types["Reference"] == 6
    assert set(types) <= {"Dataset", "Reference", "Hackathon project"}
    assert set(facet_items(body, "Language")) >= {"Khmer", "English"}
    assert "Creative Commons Attribution" in facet_items(body, "Licence")
    # whole titles, not cut to 22 characters as CKAN does
    assert "Inclusive Social Development and Protection for all" in body


def test_facets_in_khmer(app: Any, nodc_with_examples: Any) -> None:
    body = get(app, "/km/dataset/")
    assert "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ" in body  # a theme
    assert "សន្និសីទជាតិស្ដីពីទិន្នន័យបើកចំហ ឆ្នាំ២០២៤" in body  # the conference
    assert re.search(r'<span class="item-label">ខ្មែរ</span>', body)  # a language


def test_a_type_filters_the_results(app: Any, nodc: Any) -> None:
    body = get(app, "/dataset/?dataset_type=reference")
    listed = entry_links(body)
    assert len(listed) == 6 and "open-data-survey-2020" in listed
    # each card says what kind of entry it is
    assert body.count('data-type="reference"') == 6


def test_cards_are_titled_in_the_visitors_language(app: Any, catalogue: dict[str, Any]) -> None:
    english = get(app, "/dataset/?theme=education")
    assert ">Schools 2023</a>" in english
    khmer = get(app, "/km/dataset/?theme=education")
    assert ">សាលារៀន ២០២៣</a>" in khmer
    # no Khmer title: the English one, marked as English and as not yet translated
    assert '<a href="/km/dataset/teachers-2022" lang="en">Teachers 2022</a>' in khmer
    assert "odconf-untranslated" in khmer


def test_counts_hold_only_what_the_visitor_may_read(app: Any, catalogue: dict[str, Any]) -> None:
    for visitor in (None, "outsider", "member"):
        user = catalogue[visitor] if visitor else None
        body = get(app, "/dataset/?conference=odc-test-2025", user)
        listed = set(entry_links(body))
        searched = searched_facets(user, '+conference:"odc-test-2025"')
        assert facet_items(body, "Theme") == {
            {"education": "Open Data for Education", "health": "Open Data for Health"}[slug]: count
            for slug, count in searched["theme"].items()}
        assert sum(facet_items(body, "Type").values()) == len(listed)
        assert "draft-schools" not in listed
        assert ("private-schools" in listed) == (visitor == "member"), visitor
        # the control: the member sees one more entry in the theme than the others
        assert searched["theme"]["education"] == (4 if visitor == "member" else 3)

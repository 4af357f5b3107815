"""The portal's pages served by CKAN's test app: what they run and refuse.

What a visitor sees on them in a browser is tested in ``tests/browser/test_portal.py``.
"""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from ckanext.odconf.showcase import charts
from tests.conftest import statements_run

from .conftest import get

EDITION = "nodc-2024"
PAGES = ("/", f"/conference/{EDITION}")


def _more_datasets(number: int) -> None:
    """``number`` more public datasets in every theme of the edition, with a resource."""
    sysadmin = factories.Sysadmin()
    conference = helpers.call_action("odconf_conference_show", id=EDITION)
    for theme in conference["themes"]:
        for index in range(number):
            helpers.call_action(
                "package_create", {"user": sysadmin["name"]}, name=f"more-{theme['slug']}-{index}",
                title_translated={"en": f"More {index}"}, owner_org="odc", conference=EDITION,
                theme=theme["slug"], license_id="cc-by-sa", language=["en"],
                resources=[{"url": f"https://example.org/{index}.json", "format": "JSON"}])


@pytest.mark.ckan_config("odconf_search.result_cache_ttl", "0")
@pytest.mark.parametrize("path", PAGES)
def test_statements_do_not_grow_with_datasets_organisations_or_projects(app, nodc_with_examples, path):
    def page() -> None:
        get(app, path)

    get(app, path)  # first request of the app: templates, schemas
    small = statements_run(page)
    _more_datasets(4)
    factories.Organization(name="another-publisher")
    assert statements_run(page) == small
    # the control: the page did grow (four more datasets in every theme's card)
    assert get(app, path).count('data-count="6"') >= 5


@pytest.mark.parametrize("edition", ["no-such-edition", "odc", "x" * 300, "%E2%80%AE"])
def test_an_unknown_edition_is_a_404(app, nodc, edition):
    get(app, f"/conference/{edition}", status=404)


def test_the_home_page_without_any_conference(app, clean_db, clean_index, with_plugins):
    body = get(app, "/")
    assert 'data-figure="datasets"' in body and "odconf-card" not in body


def test_a_chart_escapes_its_labels_and_summarises_them():
    chart = charts.bar_chart("c", "Licences <b>", "Entries", [
        charts.Bar("<script>alert(1)</script>", 3), charts.Bar("CSV", 0)])
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;: 3; CSV: 0" in svg


def test_labels_without_khmer_are_marked_english_on_khmer_pages():
    assert charts.text_language("Creative Commons Attribution", "km") == "en"
    assert charts.text_language("អាជ្ញាប័ណ្ណ", "km") is None
    assert charts.text_language("CSV", "en") is None

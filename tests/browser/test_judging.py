"""Judging in a real browser: a judge scores a submitted project through the
judging page, then the committee publishes the results and a visitor reads
them; each page in English and Khmer, checked with axe-core, screenshotted.

The tests run in order on the shared site: they add a judge, a submitted
project (private: no visitor's page shows it) and, at the end, publish the
NODC 2024 results, which names only that project.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LANGUAGES, PASSWORD, USERS

EDITION = "nodc-2024"
JUDGE = "browser-judge"
PROJECT = "browser-judged-project"
CRITERIA = ("use-of-open-data", "impact", "feasibility", "presentation")
#: The scores the judge clicks, and the weighted mean they make (30/30/20/20).
CHOSEN = {"use-of-open-data": 4, "impact": 5, "feasibility": 3, "presentation": 4}
TOTAL = "4.10"


@pytest.fixture(scope="module")
def judged(browser_site: Any) -> Any:
    """A judge of NODC 2024 (with an API token) and a submitted project."""
    site = browser_site
    site.api("user_create", "sysadmin", name=JUDGE, password=PASSWORD, email=f"{JUDGE}@example.org")
    site.tokens["judge"] = site.api("api_token_create", "sysadmin", user=JUDGE,
                                    name="browser-tests")["token"]
    site.api("organization_member_create", "sysadmin", id=f"{EDITION}-hackathon", username=JUDGE,
             role="member")
    site.api("package_create", "sysadmin", type="hackathon-project", name=PROJECT,
             title_translated={"en": "Flood alerts by SMS", "km": "ការជូនដំណឹងទឹកជំនន់តាមសារ SMS"},
             tagline={"en": "Rain data turned into village alerts",
                      "km": "ទិន្នន័យទឹកភ្លៀងក្លាយជាការជូនដំណឹងដល់ភូមិ"},
             conference=EDITION, challenge_theme="public-services", team_name="Team Tonle",
             team_members=[USERS["user"]], problem="Villages learn of floods too late.",
             solution="SMS alerts from open rainfall data.", license_id="cc-by",
             project_status="submitted")
    return site


def test_a_judge_scores_a_project_through_the_judging_page(judged, open_page, check_axe, screenshot):
    page = open_page(f"/hackathon/{EDITION}/judging", "en", user="judge")
    card = page.locator(f'section[data-project="{PROJECT}"]')
    assert card.locator("h3").inner_text() == "Flood alerts by SMS"
    assert card.locator(".odconf-scored").get_attribute("data-scored") == "no"
    for slug, value in CHOSEN.items():
        # each choice is a radio button named by its label: the score and what it means
        card.locator(f'fieldset[data-criterion="{slug}"] label[for="{PROJECT}-{slug}-{value}"]').click()
    check_axe(page)
    screenshot(page, "test_a_judge_scores_a_project_through_the_judging_page-form-en")
    card.get_by_role("button", name="Save my scores").click()
    page.wait_for_load_state("load")
    assert "Your scores are saved." in page.locator(".flash-messages, .alert").first.inner_text()
    card = page.locator(f'section[data-project="{PROJECT}"]')
    assert card.locator(".odconf-scored").get_attribute("data-scored") == "yes"
    for slug, value in CHOSEN.items():
        assert card.locator(f"#{PROJECT}-{slug}-{value}").is_checked()
    mine = judged.api("odconf_hackathon_score_list", "judge", conference=EDITION, project=PROJECT)
    assert mine["scorecards"][0]["scores"] == CHOSEN
    screenshot(page, "test_a_judge_scores_a_project_through_the_judging_page-en")

    page = open_page(f"/hackathon/{EDITION}/judging", "km", user="judge")
    assert page.locator("html").get_attribute("lang") == "km"
    assert "ការដាក់ពិន្ទុគម្រោងហេកកាថុន" in page.locator("h1").inner_text()
    assert page.locator(f'section[data-project="{PROJECT}"] h3').inner_text() == "ការជូនដំណឹងទឹកជំនន់តាមសារ SMS"
    check_axe(page)
    screenshot(page, "test_a_judge_scores_a_project_through_the_judging_page-km")


def test_the_committee_publishes_and_everyone_reads_the_results(judged, open_page, check_axe, screenshot):
    for lang in LANGUAGES:
        page = open_page(f"/hackathon/{EDITION}/results", lang, user="sysadmin")
        assert page.locator(".odconf-results-provisional").count() == 1
        row = page.locator(f'tr[data-project="{PROJECT}"]')
        assert row.get_attribute("data-place") == "1"
        assert row.locator("td[data-total] strong").inner_text() == TOTAL
        check_axe(page)
        screenshot(page, f"test_the_committee_publishes_and_everyone_reads_the_results-committee-{lang}")
    for lang in LANGUAGES:
        page = open_page(f"/hackathon/{EDITION}/results", lang)
        assert page.locator(".odconf-results-pending").count() == 1
        check_axe(page)

    page = open_page(f"/hackathon/{EDITION}/results", "en", user="sysadmin")
    page.get_by_role("button", name="Publish the results").click()
    page.wait_for_load_state("load")
    assert page.locator(".odconf-results-published").count() == 1
    assert judged.api("package_show", "sysadmin", id=PROJECT)["award"] == "first"

    for lang in LANGUAGES:
        page = open_page(f"/hackathon/{EDITION}/results", lang)
        row = page.locator("tr[data-place='1']")
        # the project is not published: its row says so, without naming it
        assert row.get_attribute("data-project") == "" and "Flood" not in row.inner_text()
        assert row.locator("td[data-award]").get_attribute("data-award") == "first"
        assert row.locator("td[data-total] strong").inner_text() == TOTAL
        check_axe(page)
        screenshot(page, f"test_the_committee_publishes_and_everyone_reads_the_results-{lang}")

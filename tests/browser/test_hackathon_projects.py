"""A hackathon team in a real browser: it creates its project through the web
form, uploads its pitch slides, sees them on the project's page (English and
Khmer, checked with axe-core, screenshotted) and submits the project.

The site's submission window is open (conftest). The project is deleted at
the end, so that the other tests of the shared site do not meet it.
"""
from __future__ import annotations

import pathlib
from typing import Any, Iterator

import pytest

from tests.browser.conftest import USERS

PROJECT = "clinic-finder"
DATASET = "nodc-2024-example-public-services-1"


@pytest.fixture
def slides(tmp_path: pathlib.Path, browser_site: Any) -> Iterator[pathlib.Path]:
    """The team's pitch slides; the project is removed afterwards."""
    path = tmp_path / "pitch-slides.pdf"
    path.write_bytes(b"%PDF-1.4\n% the team's pitch slides\n")
    yield path
    left = browser_site.api("package_search", "sysadmin", fq=f"name:{PROJECT}", include_private=True,
                            include_drafts=True)
    if left["count"]:
        browser_site.api("package_delete", "sysadmin", id=PROJECT)


def test_a_team_submits_a_project_through_the_web_form(browser_site, slides, open_page, check_axe,
                                                       screenshot):
    page = open_page("/hackathon/my-projects", "en", user="user")
    assert "You are not in the team of any hackathon project yet." in page.locator("[role=main]").inner_text()
    page.get_by_role("link", name="Create a project").click()
    page.wait_for_load_state("load")
    page.fill("#field-title_translated-en", "Clinic finder")
    page.fill("#field-title_translated-km", "ស្វែងរកមណ្ឌលសុខភាព")
    page.fill("#field-tagline-en", "The nearest health centre, open now")
    page.fill("#field-tagline-km", "មណ្ឌលសុខភាពដែលនៅជិតបំផុត និងកំពុងបើក")
    page.select_option("#field-conference", "nodc-2024")
    page.select_option("#field-challenge_theme", "public-services")
    page.fill("#field-team_name", "Team Tonle Sap")
    page.fill("#field-problem", "Families do not know which health centre is open.")
    page.fill("#field-solution", "A map of health centres and their hours, from open data.")
    page.locator('input[name="datasets_used"]').first.fill(DATASET)
    page.select_option("#field-license_id", "cc-by")
    page.fill("#field-code_license", "MIT")
    check_axe(page)
    screenshot(page, "test_a_team_submits_a_project_through_the_web_form-form-en")
    page.locator('button[name="save"]').click()
    page.wait_for_load_state("load")

    # the second stage: the outputs
    assert f"/hackathon-project/{PROJECT}/resource/new" in page.url
    page.locator("#field-resource-upload").set_input_files(str(slides))
    page.fill("#field-name", "Pitch slides")
    check_axe(page)
    screenshot(page, "test_a_team_submits_a_project_through_the_web_form-upload-en")
    page.locator('button[name="save"][value="go-metadata"]').click()
    page.wait_for_load_state("load")

    project = browser_site.api("package_show", "user", id=PROJECT)
    assert project["team_members"] == [USERS["user"]] and project["project_status"] == "draft"
    [output] = project["resources"]
    assert output["url_type"] == "upload" and output["url"].endswith("/pitch-slides.pdf")

    page = open_page(f"/hackathon-project/{PROJECT}", "en", user="user")
    outputs = page.locator('[data-field="outputs"]')
    assert "Pitch slides" in outputs.inner_text()
    assert "Only the team and the hackathon committee see this project." in page.locator("[role=main]").inner_text()
    assert page.locator('[data-field="licence_check"]').inner_text().strip().startswith(
        "The licence of the outputs respects the licence of every dataset used.")
    check_axe(page)
    screenshot(page, "test_a_team_submits_a_project_through_the_web_form-en")

    # submitted through the edit form
    page = open_page(f"/hackathon-project/edit/{PROJECT}", "en", user="user")
    page.select_option("#field-project_status", "submitted")
    page.locator('button[name="save"]').click()
    page.wait_for_load_state("load")
    assert browser_site.api("package_show", "user", id=PROJECT)["project_status"] == "submitted"

    page = open_page(f"/hackathon-project/{PROJECT}", "km", user="user")
    assert page.locator("html").get_attribute("lang") == "km"
    assert "ស្វែងរកមណ្ឌលសុខភាព" in page.locator("article h1").inner_text()
    assert "Pitch slides" in page.locator('[data-field="outputs"]').inner_text()
    assert "លទ្ធផល" in page.locator("#odconf-project-outputs-heading").inner_text()
    check_axe(page)
    screenshot(page, "test_a_team_submits_a_project_through_the_web_form-km")

    for lang in ("en", "km"):
        page = open_page("/hackathon/my-projects", lang, user="user")
        row = page.locator(f'tr[data-project="{PROJECT}"]')
        assert row.locator('[data-field="project_status"]').inner_text() == (
            "Submitted" if lang == "en" else "បានដាក់ស្នើ")
        check_axe(page)
        screenshot(page, f"test_a_team_submits_a_project_through_the_web_form-my-projects-{lang}")

    # nobody else sees the submitted project yet
    found = browser_site.api("package_search", None, fq="dataset_type:hackathon-project",
                             include_private=True, rows=50)
    assert PROJECT not in {result["name"] for result in found["results"]}

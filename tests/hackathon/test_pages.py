"""The project page, "my projects" and the dataset page's projects, in
English and Khmer, as each visitor sees them."""
from __future__ import annotations

import io
import re
from typing import Any, Callable

import pytest
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.odconf.hackathon.projects import PUBLISHING_RESULTS
from tests.hackathon.conftest import OPEN_WINDOW, call, window_marks

pytestmark = window_marks(*OPEN_WINDOW)


def token(user: str) -> dict[str, str]:
    return {"Authorization": helpers.call_action("api_token_create", user=user, name="pages")["token"]}


@pytest.fixture
def project(create_project: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A project of ``team`` and ``mate`` using a share-alike dataset, with an
    uploaded output and a link, published with an award."""
    project = create_project(team_members=["team", "mate"], datasets_used=["rainfall", "schools"])
    call("team", "resource_create", package_id=project["id"], name="Pitch slides",
         upload=FileStorage(stream=io.BytesIO(b"%PDF-1.4"), filename="slides.pdf"))
    call("team", "resource_create", package_id=project["id"], name="Schools by province",
         url="https://example.org/schools.csv", license_id="cc-by-sa")
    call("chair", "package_patch", id=project["id"], project_status="published")
    site = helpers.call_action("get_site_user")
    helpers.call_action("package_patch", {"user": site["name"], PUBLISHING_RESULTS: True},
                        id=project["id"], award="first")
    return project


def test_the_project_page_in_english(project: dict[str, Any], app: Any):
    body = app.get("/hackathon-project/school-map").body
    for text in ("School map", "Where the schools are", "Team Mekong", "First prize",
                 "Parents do not know which schools are near.", "A map of schools from open data.",
                 "Leaflet", "https://example.org/school-map.git", "Open Data for Education",
                 "Rainfall", "Schools", "Pitch slides", "Schools by province",
                 "The licence of the outputs conflicts with the licence of these datasets:"):
        assert text in body, text
    assert 'data-rule="share-alike"' in body
    assert 'href="/user/team"' in body and 'href="/user/mate"' in body
    assert 'href="/dataset/rainfall"' in body
    # a visitor is not invited to add outputs
    assert "Add an output" not in body


def test_the_project_page_in_khmer(project: dict[str, Any], app: Any):
    body = app.get("/km/hackathon-project/school-map").body
    for text in ("ផែនទីសាលារៀន", "តើសាលារៀននៅឯណា", "ក្រុម", "សំណុំទិន្នន័យដែលបានប្រើ", "លទ្ធផល"):
        assert text in body, text


def test_the_team_sees_how_long_it_may_change_its_draft(create_project: Callable[..., dict[str, Any]],
                                                        app: Any):
    create_project()
    body = app.get("/hackathon-project/school-map", headers=token("team")).body
    assert "Only the team and the hackathon committee see this project." in body
    assert "Your team can change this project until 2100-01-01 00:00 (Asia/Phnom_Penh)." in body
    assert "Add an output" in body
    assert "The licence of the outputs respects the licence of every dataset used." in body
    app.get("/hackathon-project/school-map", status=404)


def test_my_projects(create_project: Callable[..., dict[str, Any]], app: Any):
    create_project()
    create_project(user="mate", name="flood-alerts", title_translated={"en": "Flood alerts"},
                   team_members=["mate"])
    body = app.get("/hackathon/my-projects", headers=token("team")).body
    assert "School map" in body and "Flood alerts" not in body
    assert "Draft" in body and "2100-01-01 00:00 (Asia/Phnom_Penh)" in body
    assert "គម្រោងហេកកាថុនរបស់ខ្ញុំ" in app.get("/km/hackathon/my-projects", headers=token("team")).body
    # anonymous visitors are sent to log in
    assert app.get("/hackathon/my-projects", follow_redirects=False).status_code == 302


def test_the_dataset_page_lists_the_projects_using_it(project: dict[str, Any], app: Any):
    body = app.get("/dataset/schools").body
    assert "Used by hackathon projects" in body and "School map" in body
    assert "School map" not in app.get("/dataset/roads").body


def test_the_conference_gallery_puts_winners_first_with_the_data_they_used(
        create_project: Callable[..., dict[str, Any]], app: Any):
    site = helpers.call_action("get_site_user")
    for name, award in (("alpha-app", None), ("zulu-app", "first"), ("mike-app", "second")):
        project = create_project(name=name, title_translated={"en": name.title()},
                                 datasets_used=["rainfall", "schools"])
        call("chair", "package_patch", id=project["id"], project_status="published")
        if award:
            helpers.call_action("package_patch", {"user": site["name"], PUBLISHING_RESULTS: True},
                                id=project["id"], award=award)
    for path in ("/conference/nodc-2024", "/km/conference/nodc-2024"):
        body = app.get(path).body
        gallery = body[body.index('class="odconf-cards odconf-gallery"'):]
        gallery = gallery[:gallery.index("</ul>")]
        # winners in award order, then the others by title
        assert re.findall(r'<li class="odconf-card" data-project="([^"]+)"', gallery) == [
            "zulu-app", "mike-app", "alpha-app"], path
        assert gallery.count('data-award="first"') == 1 and gallery.count('data-award="second"') == 1
        # each card names the datasets used, linked
        assert len(re.findall(r'<a href="(/km)?/dataset/rainfall" data-dataset="rainfall">', gallery)) == 3
        assert gallery.count('data-dataset="schools"') == 3

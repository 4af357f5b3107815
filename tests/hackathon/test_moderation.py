"""Moderation: a draft is seen by its team and the committee only; a
submitted project also by the judges; the public sees a project once the
committee publishes it. The same in package_show, resource_show,
package_search, package_list, the pages and the DCAT catalogue. Each hidden
project has a control who must see it, so no test passes by showing nothing."""
from __future__ import annotations

import io
from typing import Any

import pytest
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from tests.hackathon.conftest import ObjectNotFound, call, open_window, project_data

#: Who may read a project in each status ("" is an anonymous visitor).
READERS = {
    "draft-project": {"team", "chair", "admin"},
    "submitted-project": {"team", "chair", "judge", "admin"},
    "published-project": {"team", "chair", "judge", "admin", "outsider", "mate", ""},
}
VIEWERS = ("", "outsider", "mate", "judge", "team", "chair", "admin")


@pytest.fixture
def projects(hackathon: Any) -> dict[str, dict[str, Any]]:
    """A draft, a submitted and a published project of ``team``, each with an output."""
    made = {}
    for name, status in (("draft-project", "draft"), ("submitted-project", "submitted"),
                         ("published-project", "submitted")):
        project = call("team", "package_create", **project_data(name=name, project_status=status))
        call("team", "resource_create", package_id=project["id"], name=f"{name} slides",
             upload=FileStorage(stream=io.BytesIO(b"%PDF-1.4"), filename="slides.pdf"))
        made[name] = project
    call("chair", "package_patch", id=made["published-project"]["id"], project_status="published")
    return {name: call("admin", "package_show", id=name) for name in made}


def shown_to(user: str, name: str) -> bool:
    try:
        call(user, "package_show", id=name)
        return True
    except ObjectNotFound:
        return False


@open_window
def test_package_and_resource_show_follow_the_status(projects: dict[str, Any]):
    for name, readers in READERS.items():
        assert {user for user in VIEWERS if shown_to(user, name)} == readers, name
        resource = projects[name]["resources"][0]["id"]
        for user in VIEWERS:
            if user in readers:
                assert call(user, "resource_show", id=resource)["name"] == f"{name} slides"
            else:
                with pytest.raises(ObjectNotFound):
                    call(user, "resource_show", id=resource)


@open_window
def test_search_finds_what_package_show_shows(projects: dict[str, Any]):
    for user in VIEWERS:
        found = call(user, "package_search", fq="dataset_type:hackathon-project",
                     include_private=True, rows=10)
        expected = {name for name, readers in READERS.items() if user in readers}
        assert {project["name"] for project in found["results"]} == expected, user
        assert found["count"] == len(expected)
    # the words of a hidden project do not find it either
    assert call("outsider", "package_search", q="Mekong", include_private=True)["count"] == 1
    assert call("team", "package_search", q="Mekong", include_private=True)["count"] == 3


@open_window
def test_lists_that_ignore_labels_leave_hidden_projects_out(projects: dict[str, Any]):
    listed = helpers.call_action("package_list", {"user": ""})
    assert "published-project" in listed
    assert "draft-project" not in listed and "submitted-project" not in listed
    assert projects["draft-project"]["private"] is True
    assert projects["published-project"]["private"] is False


@open_window
def test_pages_and_dcat(projects: dict[str, Any], app: Any):
    token = helpers.call_action("api_token_create", user="team", name="pages")["token"]
    for name in ("draft-project", "submitted-project"):
        assert app.get(f"/hackathon-project/{name}", status=404)
        assert app.get(f"/dataset/{name}.ttl", status=404)
        # control: the team sees its page
        assert "Team Mekong" in app.get(f"/hackathon-project/{name}",
                                         headers={"Authorization": token}).body
    assert "Team Mekong" in app.get("/hackathon-project/published-project").body
    catalogue = app.get("/catalog.ttl").body
    assert "published-project" in catalogue
    assert "draft-project" not in catalogue and "submitted-project" not in catalogue


@open_window
def test_the_committee_publishes(projects: dict[str, Any]):
    assert not shown_to("outsider", "submitted-project")
    published = call("chair", "package_patch", id="submitted-project", project_status="published")
    assert published["private"] is False
    assert shown_to("outsider", "submitted-project") and shown_to("", "submitted-project")
    assert "submitted-project" in {
        project["name"] for project in call("", "package_search", fq="dataset_type:hackathon-project")["results"]}
    # and may take a project back from the public
    call("chair", "package_patch", id="submitted-project", project_status="submitted")
    assert not shown_to("", "submitted-project") and shown_to("judge", "submitted-project")


@open_window
def test_a_member_of_another_organisation_sees_no_draft(projects: dict[str, Any]):
    editor = factories.User()
    factories.Organization(users=[{"name": editor["name"], "capacity": "admin"}])
    assert not shown_to(editor["name"], "draft-project")
    assert not shown_to(editor["name"], "submitted-project")
    assert shown_to(editor["name"], "published-project")

"""Who may create, edit and upload to a project, and when: through the action
API, as each role (team member, non-member, anonymous visitor, committee),
with the submission window open, closed and not yet open."""
from __future__ import annotations

import io
from typing import Any, Callable

import pytest
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

import ckan.model as model
from tests.hackathon.conftest import (
    NotAuthorized, ObjectNotFound, ValidationError, call, closed_window, open_window, project_data,
    window,
)

CreateProject = Callable[..., dict[str, Any]]


def upload(name: str = "slides.pdf", content: bytes = b"%PDF-1.4 slides") -> FileStorage:
    """A file as the API receives one in a multipart request."""
    return FileStorage(stream=io.BytesIO(content), filename=name)


def team_ids(project_id: str) -> set[str]:
    return {user.name for user in model.Session.query(model.User).join(
        model.PackageMember, model.PackageMember.user_id == model.User.id).filter(
        model.PackageMember.package_id == project_id)}


@open_window
class TestWhileTheWindowIsOpen:
    def test_a_logged_in_user_creates_a_project_and_is_its_team(self, create_project: CreateProject):
        project = create_project()
        assert project["team_members"] == ["team"]
        assert project["organization"]["name"] == "nodc-2024-hackathon"
        assert project["project_status"] == "draft"
        assert team_ids(project["id"]) == {"team"}
        collaborators = call("team", "package_collaborator_list", id=project["id"])
        assert [(member["capacity"]) for member in collaborators] == ["editor"]

    def test_an_anonymous_visitor_cannot_create(self, hackathon: Any):
        with pytest.raises(NotAuthorized):
            call("", "package_create", **project_data())
        assert model.Package.get("school-map") is None

    def test_the_team_edits_and_uploads(self, create_project: CreateProject):
        project = create_project()
        edited = call("team", "package_patch", id=project["id"], solution="A better map.")
        assert edited["solution"] == "A better map."
        output = call("team", "resource_create", package_id=project["id"], name="Slides",
                      upload=upload())
        assert output["url_type"] == "upload"
        assert call("team", "package_show", id=project["id"])["resources"][0]["name"] == "Slides"

    def test_a_non_member_may_not_edit_or_upload(self, create_project: CreateProject):
        project = create_project()
        # a draft is not even found by who may not read it
        with pytest.raises((NotAuthorized, ObjectNotFound)):
            call("outsider", "package_patch", id=project["id"], solution="Mine now.")
        call("team", "package_patch", id=project["id"], project_status="submitted")
        # the judge reads a submitted project, and still may not change it
        assert call("judge", "package_show", id=project["id"])["name"] == "school-map"
        for user in ("judge", "outsider"):
            with pytest.raises((NotAuthorized, ObjectNotFound)):
                call(user, "package_patch", id=project["id"], solution="Mine now.")
            with pytest.raises((NotAuthorized, ObjectNotFound)):
                call(user, "resource_create", package_id=project["id"], name="Mine", upload=upload())
        assert helpers.call_action("package_show", id=project["id"])["solution"] == \
            "A map of schools from open data."
        assert helpers.call_action("package_show", id=project["id"])["resources"] == []

    def test_the_message_of_a_non_member_refusal(self, create_project: CreateProject):
        project = create_project()
        call("chair", "package_patch", id=project["id"], project_status="published")
        with pytest.raises(NotAuthorized) as refused:
            call("outsider", "package_patch", id=project["id"], solution="Mine now.")
        assert "Only the project's team and the hackathon committee" in str(refused.value)

    def test_an_anonymous_visitor_may_not_edit(self, create_project: CreateProject):
        project = create_project()
        call("chair", "package_patch", id=project["id"], project_status="published")
        with pytest.raises(NotAuthorized):
            call("", "package_patch", id=project["id"], solution="Anonymous.")
        with pytest.raises(NotAuthorized):
            call("", "resource_create", package_id=project["id"], name="Anonymous", upload=upload())

    def test_a_member_added_by_the_team_edits_too(self, create_project: CreateProject):
        project = create_project()
        call("team", "package_collaborator_create", id=project["id"], user_id="mate", capacity="editor")
        assert call("team", "package_show", id=project["id"])["team_members"] == ["team", "mate"]
        assert team_ids(project["id"]) == {"team", "mate"}
        assert call("mate", "package_patch", id=project["id"], team_name="Mekong")["team_name"] == "Mekong"
        # members are editors: read-only collaborators are refused, and nothing changes
        with pytest.raises(ValidationError) as refused:
            call("team", "package_collaborator_create", id=project["id"], user_id="outsider",
                 capacity="member")
        assert "capacity" in refused.value.error_dict
        assert team_ids(project["id"]) == {"team", "mate"}

    def test_a_non_member_may_not_add_members(self, create_project: CreateProject):
        project = create_project()
        call("team", "package_patch", id=project["id"], project_status="submitted")
        with pytest.raises((NotAuthorized, ObjectNotFound)):
            call("outsider", "package_collaborator_create", id=project["id"], user_id="outsider",
                 capacity="editor")
        assert team_ids(project["id"]) == {"team"}

    def test_team_members_edited_in_the_form_are_the_collaborators(self, create_project: CreateProject):
        project = create_project()
        call("team", "package_patch", id=project["id"], team_members=["team", "mate"])
        assert team_ids(project["id"]) == {"team", "mate"}
        call("mate", "package_patch", id=project["id"], team_members=["mate"])
        assert team_ids(project["id"]) == {"mate"}
        with pytest.raises((NotAuthorized, ObjectNotFound)):
            call("team", "package_patch", id=project["id"], solution="Still mine?")

    def test_removing_a_member_and_keeping_one(self, create_project: CreateProject):
        project = create_project(team_members=["team", "mate"])
        call("team", "package_collaborator_delete", id=project["id"], user_id="mate")
        assert call("team", "package_show", id=project["id"])["team_members"] == ["team"]
        with pytest.raises(ValidationError) as refused:
            call("team", "package_collaborator_delete", id=project["id"], user_id="team")
        assert "at least one team member" in str(refused.value.error_dict)
        assert team_ids(project["id"]) == {"team"}
        with pytest.raises(ValidationError):
            call("team", "package_patch", id=project["id"], team_members=[])
        assert team_ids(project["id"]) == {"team"}

    def test_a_team_does_not_publish_its_own_project(self, create_project: CreateProject):
        project = create_project()
        with pytest.raises(ValidationError) as refused:
            call("team", "package_patch", id=project["id"], project_status="published")
        assert "Only the hackathon committee publishes" in refused.value.error_dict["project_status"][0]
        assert helpers.call_action("package_show", id=project["id"])["project_status"] == "draft"

    def test_a_published_project_is_changed_by_the_committee_only(self, create_project: CreateProject):
        project = create_project()
        call("chair", "package_patch", id=project["id"], project_status="published")
        with pytest.raises(NotAuthorized) as refused:
            call("team", "package_patch", id=project["id"], solution="Changed after publication.")
        assert "published" in str(refused.value)
        assert call("chair", "package_patch", id=project["id"], team_name="Fixed")["team_name"] == "Fixed"


@closed_window
class TestAfterTheWindowCloses:
    def test_a_user_cannot_create_a_project(self, hackathon: Any):
        with pytest.raises(NotAuthorized) as refused:
            call("team", "package_create", **project_data())
        assert "The submission window closed at 2001-01-01 00:00 (Asia/Phnom_Penh)" in str(refused.value)
        assert model.Package.get("school-map") is None

    def test_team_edits_are_refused_with_the_reason(self, hackathon: Any, ckan_config: Any,
                                                    monkeypatch: pytest.MonkeyPatch):
        # the project was made while the window was open
        monkeypatch.setitem(ckan_config, "odconf.hackathon.submission_closes", "2100-01-01T00:00:00")
        project = call("team", "package_create", **project_data())
        monkeypatch.setitem(ckan_config, "odconf.hackathon.submission_closes", "2001-01-01T00:00:00")
        for action, data in (("package_patch", {"id": project["id"], "solution": "Late."}),
                             ("resource_create", {"package_id": project["id"], "upload": upload()}),
                             ("package_collaborator_create",
                              {"id": project["id"], "user_id": "mate", "capacity": "editor"})):
            with pytest.raises(NotAuthorized) as refused:
                call("team", action, **data)
            assert "The submission window closed" in str(refused.value)
            assert "only the hackathon committee can change projects now" in str(refused.value)
        shown = helpers.call_action("package_show", id=project["id"])
        assert shown["solution"] == "A map of schools from open data." and shown["resources"] == []
        assert shown["team_members"] == ["team"]

    def test_the_committee_still_creates_and_edits(self, hackathon: Any):
        project = call("chair", "package_create", **project_data(team_members=["team"]))
        # made by the committee for a team: the chair is not in it
        assert project["team_members"] == ["team"]
        edited = call("chair", "package_patch", id=project["id"], solution="Fixed by the committee.")
        assert edited["solution"] == "Fixed by the committee."
        assert call("chair", "resource_create", package_id=project["id"], upload=upload())["url_type"] == "upload"
        assert call("chair", "package_patch", id=project["id"], project_status="published")["private"] is False


@window(("odconf.hackathon.submission_opens", "2100-01-01T09:00:00"),
        ("odconf.hackathon.submission_closes", "2100-01-01T14:30:00"))
def test_before_the_window_opens_creation_waits(hackathon: Any):
    with pytest.raises(NotAuthorized) as refused:
        call("team", "package_create", **project_data())
    assert "The submission window opens at 2100-01-01 09:00 (Asia/Phnom_Penh)" in str(refused.value)

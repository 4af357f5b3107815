"""Bad input to a project gets a clear error and stores nothing; good input
is stored as the schema says."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from ckan.tests import factories, helpers

import ckan.model as model
from ckanext.odconf.hackathon.projects import PUBLISHING_RESULTS
from tests.hackathon.conftest import (
    OPEN_WINDOW, ValidationError, call, project_data, window_marks,
)

pytestmark = window_marks(*OPEN_WINDOW)
CreateProject = Callable[..., dict[str, Any]]


def refused(user: str, action: str, **data: Any) -> dict[str, Any]:
    """The errors of a refused write."""
    with pytest.raises(ValidationError) as raised:
        call(user, action, **data)
    return raised.value.error_dict


def test_a_complete_project_is_stored_as_given(create_project: CreateProject):
    project = create_project(code_license="apache-2.0", datasets_used=["rainfall", "roads"])
    shown = call("team", "package_show", id=project["id"])
    assert shown["code_license"] == "Apache-2.0"  # as SPDX spells it
    assert shown["datasets_used"] == ["rainfall", "roads"]
    assert shown["built_with"] == ["Python", "Leaflet"]
    assert shown["tagline"] == {"en": "Where the schools are", "km": "តើសាលារៀននៅឯណា"}
    assert shown["notes"] == "Where the schools are"
    assert shown["challenge_theme"] == "education"
    assert "award" not in shown


def test_unknown_or_unreadable_datasets_used(create_project: CreateProject):
    hidden = factories.Dataset(name="hidden-budget", owner_org="taf", private=True, license_id="cc-by")
    errors = refused("team", "package_create", **project_data(datasets_used=["rainfall", "no-such-data"]))
    assert errors["datasets_used"] == [
        'Unknown dataset "no-such-data": no dataset you may read has this name']
    # a private dataset of someone else's organisation is as unknown, named the same way
    errors = refused("team", "package_create", **project_data(datasets_used=[hidden["name"]]))
    assert errors["datasets_used"] == [
        'Unknown dataset "hidden-budget": no dataset you may read has this name']
    assert model.Package.get("school-map") is None
    # control: a member of that organisation may name it
    helpers.call_action("organization_member_create", id="taf", username="team", role="member")
    assert create_project(datasets_used=[hidden["name"]])["datasets_used"] == ["hidden-budget"]


def test_a_project_is_not_a_dataset_used(create_project: CreateProject):
    create_project(name="first-project")
    errors = refused("team", "package_create", **project_data(datasets_used=["first-project"]))
    assert "Unknown dataset" in errors["datasets_used"][0]


def test_unknown_licences(hackathon: Any):
    errors = refused("team", "package_create", **project_data(license_id="cc-by-9000"))
    assert errors["license_id"][0].startswith('Unknown licence "cc-by-9000". Licences: ')
    errors = refused("team", "package_create", **project_data(code_license="MIT-ish"))
    assert errors["code_license"][0].startswith('Unknown SPDX licence identifier "MIT-ish". Examples: MIT')
    assert model.Package.get("school-map") is None


def test_a_duplicate_name(create_project: CreateProject):
    create_project()
    errors = refused("mate", "package_create", **project_data())
    assert errors["name"] == ["That URL is already in use."]
    assert call("team", "package_show", id="school-map")["team_members"] == ["team"]


def test_an_award_set_by_the_team_or_the_committee_is_refused(create_project: CreateProject):
    project = create_project()
    for user in ("team", "chair"):
        errors = refused(user, "package_patch", id=project["id"], award="first")
        assert errors["award"] == ["The award is set only by publishing the hackathon's results"]
    errors = refused("team", "package_create", **project_data(name="other", award="first"))
    assert "award" in errors
    assert "award" not in helpers.call_action("package_show", id=project["id"])
    assert model.Package.get("other") is None


def test_publishing_results_sets_the_award(create_project: CreateProject):
    project = create_project()
    site = helpers.call_action("get_site_user")
    awarded = helpers.call_action("package_patch", {"user": site["name"], PUBLISHING_RESULTS: True},
                                  id=project["id"], award="second")
    assert awarded["award"] == "second"
    # a write that leaves the award out keeps it; one that sends it unchanged too
    assert call("chair", "package_patch", id=project["id"], team_name="Winners")["award"] == "second"
    shown = call("chair", "package_show", id=project["id"])
    assert call("chair", "package_update", **shown)["award"] == "second"
    errors = refused("chair", "package_patch", id=project["id"], award="first")
    assert "award" in errors
    assert helpers.call_action("package_show", id=project["id"])["award"] == "second"


def test_a_project_belongs_to_its_hackathon_organisation(create_project: CreateProject):
    errors = refused("team", "package_create", **project_data(owner_org="odc"))
    assert errors["owner_org"] == ['Projects of "nodc-2024" belong to its hackathon organisation '
                                   '"nodc-2024-hackathon"']
    errors = refused("team", "package_create", **project_data(conference="no-such-conference"))
    assert "conference" in errors


def test_a_conference_without_a_hackathon(hackathon: Any):
    helpers.call_action("organization_delete", id="nodc-2024-hackathon")
    for user in ("team", "admin"):
        errors = refused(user, "package_create", **project_data())
        assert errors["owner_org"] == ['The conference "nodc-2024" has no hackathon organisation '
                                       '("nodc-2024-hackathon"): its programme declares no hackathon']
    assert model.Package.get("school-map") is None


#: Values of the wrong type, shape or size, by field.
HOSTILE = [
    ("team_members", {"a": "b"}),
    ("team_members", ["team", 3]),
    ("team_members", [f"user-{number}" for number in range(21)]),
    ("datasets_used", 42),
    ("datasets_used", [["rainfall"]]),
    ("datasets_used", [f"data-{number}" for number in range(51)]),
    ("built_with", ["x" * 101]),
    ("built_with", [f"tool {number}" for number in range(31)]),
    ("project_status", "winner"),
    ("project_status", ["draft"]),
    ("award", {"first": True}),
    ("code_license", ["MIT"]),
    ("license_id", 7),
]


def test_hostile_values_are_refused_and_store_nothing(hackathon: Any):
    # one catalogue for all the values: each write is refused before anything is stored
    for field, value in HOSTILE:
        errors = refused("team", "package_create", **project_data(**{field: value}))
        assert field in errors, (field, value, errors)
        assert model.Package.get("school-map") is None


def test_unknown_team_members(hackathon: Any):
    errors = refused("team", "package_create", **project_data(team_members=["team", "nobody"]))
    assert errors["team_members"] == ['Unknown user "nobody"']

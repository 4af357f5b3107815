"""The licence check: each conflict of the rules table, none where the
licences agree, per output licence, before and after submitting; and the
README shows the same table as the code."""
from __future__ import annotations

import pathlib
import re
from typing import Any, Callable

import pytest
from ckan.tests import factories

from ckanext.odconf.hackathon import licence_check
from tests.hackathon.conftest import OPEN_WINDOW, ObjectNotFound, ValidationError, call, window_marks

pytestmark = window_marks(*OPEN_WINDOW)
ROOT = pathlib.Path(__file__).resolve().parents[2]


def conflicts(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(conflict["dataset"], conflict["rule"]) for conflict in result["conflicts"]}


def test_each_rule_against_an_attribution_output(create_project: Callable[..., dict[str, Any]]):
    project = create_project(license_id="cc-by", datasets_used=[
        "rainfall", "roads", "schools", "prices", "census", "unlicensed"])
    result = call("team", "odconf_hackathon_licence_check", id=project["name"])
    assert conflicts(result) == {
        ("roads", "share-alike"), ("schools", "share-alike"), ("prices", "non-commercial"),
        ("census", "closed"), ("unlicensed", "closed")}
    assert result["ok"] is False
    reasons = {conflict["dataset"]: conflict["reason"] for conflict in result["conflicts"]}
    assert reasons["schools"] == (
        '"Schools" is share-alike (Creative Commons Attribution Share-Alike): outputs derived '
        "from it must be published under the same licence, not Creative Commons Attribution")
    assert reasons["prices"].startswith('"Prices" allows only non-commercial use')
    assert reasons["census"].startswith('"Census" is not under an open licence (Other (Not Open))')
    assert [dataset["name"] for dataset in result["datasets"]] == [
        "rainfall", "roads", "schools", "prices", "census", "unlicensed"]


def test_matching_licences_do_not_conflict(create_project: Callable[..., dict[str, Any]]):
    project = create_project(license_id="odc-odbl", datasets_used=["rainfall", "roads"])
    result = call("team", "odconf_hackathon_licence_check", id=project["name"])
    assert result["ok"] is True and result["conflicts"] == []
    # an output under its own licence is checked too
    call("team", "resource_create", package_id=project["id"], name="Report",
         url="https://example.org/report.pdf", license_id="cc-by")
    result = call("team", "odconf_hackathon_licence_check", id=project["name"])
    assert [(conflict["dataset"], conflict["output"], conflict["rule"]) for conflict in result["conflicts"]] \
        == [("roads", "Report", "share-alike")]


def test_before_and_after_submitting(create_project: Callable[..., dict[str, Any]]):
    # before writing anything: the licences and datasets the team is about to save
    before = call("team", "odconf_hackathon_licence_check", license_id="cc-by-sa",
                  datasets_used=["schools", "prices"])
    assert conflicts(before) == {("prices", "non-commercial")}
    project = create_project(license_id="cc-by-sa", datasets_used=["schools", "prices"])
    draft = call("team", "odconf_hackathon_licence_check", id=project["id"])
    call("team", "package_patch", id=project["id"], project_status="submitted")
    submitted = call("team", "odconf_hackathon_licence_check", id=project["id"])
    assert conflicts(draft) == conflicts(submitted) == {("prices", "non-commercial")}
    # a non-commercial output respects a non-commercial source
    assert call("team", "odconf_hackathon_licence_check", license_id="cc-nc",
                datasets_used=["prices"])["ok"] is True


def test_only_readable_projects_and_datasets(create_project: Callable[..., dict[str, Any]]):
    hidden = factories.Dataset(name="hidden-budget", owner_org="taf", private=True,
                               license_id="other-closed")
    project = create_project()
    with pytest.raises(ObjectNotFound):
        call("outsider", "odconf_hackathon_licence_check", id=project["id"])
    result = call("outsider", "odconf_hackathon_licence_check", license_id="cc-by",
                  datasets_used=[hidden["name"], "rainfall"])
    assert [dataset["name"] for dataset in result["datasets"]] == ["rainfall"]
    assert result["unreadable"] == 1 and "hidden-budget" not in str(result)


def test_bad_input(hackathon: Any):
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "license_id"), ({"license_id": "nope"}, "license_id"),
        ({"license_id": "cc-by", "output_licenses": ["nope"]}, "output_licenses"),
        ({"license_id": "cc-by", "datasets_used": {"a": 1}}, "datasets_used"),
        ({"id": ["a"]}, "id"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            call("", "odconf_hackathon_licence_check", **data)
        assert field in refused.value.error_dict, data


def test_terms_of_licences_outside_ckans_default_list():
    assert licence_check.terms("cc-by-nd-4.0").no_derivatives
    assert licence_check.terms("CC-BY-NC-SA-4.0") == licence_check.Terms(share_alike=True, non_commercial=True)
    assert licence_check.terms("made-up").closed
    assert [rule.name for rule in licence_check.conflicts("cc-by-nd", "cc-by")] == ["no-derivatives"]


def test_the_readme_shows_the_rules_table():
    readme = (ROOT / "README.rst").read_text(encoding="utf-8")
    table = readme.split(".. licence-rules-start", 1)[1].split(".. licence-rules-end", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.splitlines() if re.match(r"^\s*\| ", line)]
    assert rows[1:] == [[f"``{rule.name}``", rule.sources, rule.conflict] for rule in licence_check.RULES]

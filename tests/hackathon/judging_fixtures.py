"""Fixtures of the judging tests (imported by each test_judging_* module).

On top of ``hackathon`` (tests/hackathon/conftest.py: NODC 2024 loaded, the
committee's ``chair``, the judge ``judge``), two more judges and four
submitted projects, created by the committee for their teams:

- ``gita`` (a generous judge) is in the team of ``bravo``;
- ``hok`` (a harsh judge) is in the team of ``alpha``;
- ``team`` is in every team; ``outsider`` in none.

The NODC 2024 programme's criteria: use-of-open-data (30), impact (30),
feasibility (20), presentation (20), on a scale of 1 to 5.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest
import sqlalchemy as sa
from ckan.tests import factories, helpers

import ckan.model as model
from tests.hackathon.conftest import ORGANISATION, call, project_data

CRITERIA = ("use-of-open-data", "impact", "feasibility", "presentation")
PROJECTS = {"alpha": ["team", "hok"], "bravo": ["team", "gita"], "charlie": ["team"],
            "delta": ["team"]}


def scorecard(value: int = 3, **overrides: Any) -> dict[str, Any]:
    """A score for every NODC criterion: ``value``, or the overrides (by slug
    with ``_`` for ``-``)."""
    scores: dict[str, Any] = {slug: value for slug in CRITERIA}
    scores.update({slug.replace("_", "-"): score for slug, score in overrides.items()})
    return scores


def stored_scores() -> list[tuple[str, str, str, int]]:
    """Every row of the score table: (project name, judge name, criterion, score)."""
    rows = model.Session.execute(sa.text(
        "SELECT p.name AS project, u.name AS judge, s.criterion, s.score "
        "FROM odconf_hackathon.score s JOIN package p ON p.id = s.package_id "
        "JOIN \"user\" u ON u.id = s.judge_id ORDER BY 1, 2, 3"))
    return [tuple(row) for row in rows]


@pytest.fixture
def judging(hackathon: dict[str, Any]) -> dict[str, Any]:
    """The judges and the submitted projects of NODC 2024 (see the module);
    the judging tables emptied first (CKAN's fixtures do not know them)."""
    model.Session.execute(sa.text("TRUNCATE odconf_hackathon.score, odconf_hackathon.results"))
    model.Session.commit()
    for name in ("gita", "hok"):
        factories.User(name=name)
        helpers.call_action("organization_member_create", id=ORGANISATION, username=name,
                            role="member")
    projects = {
        name: call("chair", "package_create", **project_data(
            name=name, title_translated={"en": name.capitalize(), "km": f"គម្រោង {name}"},
            team_name=f"Team {name.capitalize()}", team_members=team,
            project_status="submitted"))
        for name, team in PROJECTS.items()
    }
    return {"projects": projects}


@pytest.fixture
def score() -> Callable[..., dict[str, Any]]:
    """Give a scorecard as a judge: ``score("gita", "alpha", 4)`` or with
    per-criterion overrides."""

    def give(judge: str, project: str, value: int = 3, **overrides: Any) -> dict[str, Any]:
        return call(judge, "odconf_hackathon_score_set", project=project,
                    scores=scorecard(value, **overrides))

    return give

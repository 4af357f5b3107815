"""Judges score projects through the action API: who may, on what, and every
refusal storing nothing."""
from __future__ import annotations

from typing import Any, Callable

import pytest
import sqlalchemy as sa
from ckan.tests import helpers

import ckan.model as model
from tests.hackathon.conftest import ORGANISATION, NotAuthorized, ObjectNotFound, ValidationError, call
from tests.hackathon.judging_fixtures import (  # noqa: F401 (fixtures)
    CRITERIA, judging, score, scorecard, stored_scores,
)

Score = Callable[..., dict[str, Any]]


def refused(error: type, action: str, user: str, match: str = "", **data: Any) -> Any:
    """Call an action as ``user``, expecting ``error``; what was raised."""
    raised: pytest.ExceptionInfo[Any]
    with pytest.raises(error, match=match) as raised:
        call(user, action, **data)
    return raised.value


@pytest.mark.usefixtures("judging")
class TestAJudgeScores:
    def test_a_scorecard_is_stored_returned_and_replaced(self, score: Score):
        card = score("judge", "alpha", 4, impact=5)
        assert (card["project"], card["judge"], card["conference"]) == ("alpha", "judge", "nodc-2024")
        assert card["scores"] == scorecard(4, impact=5)
        assert stored_scores() == [
            ("alpha", "judge", "feasibility", 4), ("alpha", "judge", "impact", 5),
            ("alpha", "judge", "presentation", 4), ("alpha", "judge", "use-of-open-data", 4)]
        # a new scorecard replaces the judge's earlier one
        score("judge", "alpha", 2)
        mine = call("judge", "odconf_hackathon_score_list", conference="nodc-2024")
        assert [(card["project"], card["scores"]) for card in mine["scorecards"]] == [
            ("alpha", scorecard(2))]

    def test_numbers_as_text_or_whole_floats_and_published_projects(self, score: Score):
        card = call("judge", "odconf_hackathon_score_set", project="alpha",
                    scores={"use-of-open-data": "4", "impact": 5.0, "feasibility": " 3",
                            "presentation": 1})
        assert card["scores"] == {"use-of-open-data": 4, "impact": 5, "feasibility": 3,
                                  "presentation": 1}
        call("chair", "package_patch", id="delta", project_status="published")
        assert score("judge", "delta", 5)["scores"] == scorecard(5)


@pytest.mark.usefixtures("judging")
class TestWhoMayScore:
    def test_only_the_editions_judges(self, score: Score):
        action = "odconf_hackathon_score_set"
        data: dict[str, Any] = {"project": "charlie", "scores": scorecard(5)}
        # sysadmins and the committee are not judges
        for user in ("team", "chair", "admin"):
            refused(NotAuthorized, action, user, "Only the judges", **data)
        # who may not even read a submitted project does not learn it exists
        for user in ("outsider", ""):
            refused(ObjectNotFound, action, user, **data)
        # an editor of the hackathon organisation is no judge either
        helpers.call_action("organization_member_create", id=ORGANISATION, username="judge",
                            role="editor")
        refused(NotAuthorized, action, "judge", "Only the judges", **data)
        assert stored_scores() == []

    def test_a_judge_never_scores_their_own_teams_project(self, score: Score):
        for judge, project in (("gita", "bravo"), ("hok", "alpha")):
            refused(NotAuthorized, "odconf_hackathon_score_set", judge,
                    "You are in this project's team", project=project, scores=scorecard(5))
        assert stored_scores() == []
        # the control: each scores the other's project
        score("gita", "alpha", 5)
        score("hok", "bravo", 1)
        assert {row[:2] for row in stored_scores()} == {("alpha", "gita"), ("bravo", "hok")}
        # a judge added to a team after scoring its project no longer scores it
        call("chair", "package_patch", id="charlie", team_members=["team", "gita"])
        refused(NotAuthorized, "odconf_hackathon_score_set", "gita",
                "You are in this project's team", project="charlie", scores=scorecard(5))


@pytest.mark.usefixtures("judging")
class TestBadInputStoresNothing:
    def test_a_score_out_of_scale_or_not_a_whole_number(self):
        for value, message in [
            (6, "from 1 to 5"), (0, "from 1 to 5"), (-1, "from 1 to 5"), (10**30, "from 1 to 5"),
            (2.5, "whole number"), ("four", "whole number"), (True, "whole number"),
            ([4], "whole number"), ({"score": 4}, "whole number"), ("", "a score is required"),
            (None, "a score is required"),
        ]:
            error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                            scores=scorecard(4, impact=value))
            assert error.error_dict == {"scores": [error.error_dict["scores"][0]]}
            assert error.error_dict["scores"][0].startswith("impact: ")
            assert message in error.error_dict["scores"][0], value
        assert stored_scores() == []

    def test_unknown_and_missing_criteria_unknown_projects(self):
        error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                        scores=dict(scorecard(4), originality=5))
        assert error.error_dict["scores"] == [
            'Unknown criterion "originality"; the criteria are: use-of-open-data, impact, '
            'feasibility, presentation']
        scores = scorecard(4)
        del scores["presentation"]
        error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                        scores=scores)
        assert error.error_dict["scores"] == ["presentation: a score is required"]
        # a missing project (a number is read as a name), and a dataset that is no project
        for project in ("no-such-project", 42, "rainfall"):
            refused(ObjectNotFound, "odconf_hackathon_score_set", "judge", "Project not found",
                    project=project, scores=scorecard())
        assert stored_scores() == []

    def test_a_draft(self):
        call("chair", "package_patch", id="charlie", project_status="draft")
        # a judge may not read a draft: it is not found, as a missing project
        refused(ObjectNotFound, "odconf_hackathon_score_set", "judge", "Project not found",
                project="charlie", scores=scorecard())
        # a judge who may read it (a sysadmin made a judge) is told why
        helpers.call_action("organization_member_create", id=ORGANISATION, username="admin",
                            role="member")
        error = refused(ValidationError, "odconf_hackathon_score_set", "admin",
                        project="charlie", scores=scorecard())
        assert error.error_dict == {"project": [
            "This project is a draft: it can be scored once its team submits it"]}
        assert stored_scores() == []

    def test_malformed_and_hostile_input(self):
        for scores in (None, "", [], "impact=4", 4, [{"impact": 4}]):
            error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                            scores=scores)
            assert "scores" in error.error_dict, scores
        for project in (None, "", ["alpha"], {"id": "alpha"}, "al\x00pha", "\ud800"):
            error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project=project,
                            scores=scorecard())
            assert "project" in error.error_dict, project
        huge = {f"criterion-{number}": 1 for number in range(100_000)}
        error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                        scores=huge)
        assert len(error.error_dict["scores"]) == len(CRITERIA)  # not 100,000 messages
        error = refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                        scores=dict(scorecard(), **{"x" * 5000: 1}))
        assert all(len(message) < 400 for message in error.error_dict["scores"])
        refused(ValidationError, "odconf_hackathon_score_set", "judge", project="alpha",
                scores=dict(scorecard(), impact="4\x00"))
        assert stored_scores() == []


def test_the_database_refuses_a_score_off_its_scale(clean_db: Any, with_plugins: Any):
    """The table's CHECK constraints hold even for a write that skips the action."""
    insert = sa.text(
        "INSERT INTO odconf_hackathon.score (conference_id, package_id, judge_id, criterion, "
        "score, scale_min, scale_max) VALUES ('c', 'p', 'j', :criterion, :score, :low, :high)")
    for criterion, value, low, high in (("impact", 6, 1, 5), ("impact", 0, 1, 5),
                                        ("impact", 3, 5, 1), ("impact", 101, 0, 101),
                                        ("", 3, 1, 5), ("x" * 101, 3, 1, 5)):
        with pytest.raises(sa.exc.IntegrityError):
            model.Session.execute(insert, {"criterion": criterion, "score": value,
                                           "low": low, "high": high})
        model.Session.rollback()
    model.Session.execute(insert, {"criterion": "impact", "score": 5, "low": 1, "high": 5})
    assert model.Session.execute(sa.text("SELECT score FROM odconf_hackathon.score")).scalar() == 5
    model.Session.rollback()


@pytest.mark.usefixtures("judging")
class TestOwnScoresOnly:
    def test_a_judge_lists_only_their_own_scores(self, score: Score):
        score("judge", "alpha", 4)
        score("gita", "alpha", 5)
        score("gita", "charlie", 2)
        mine = call("judge", "odconf_hackathon_score_list", conference="nodc-2024")
        assert mine["judge"] == "judge"
        assert [(card["project"], card["scores"]) for card in mine["scorecards"]] == [
            ("alpha", scorecard(4))]
        gitas = call("gita", "odconf_hackathon_score_list", conference="nodc-2024", project="charlie")
        assert [card["project"] for card in gitas["scorecards"]] == ["charlie"]
        # naming oneself is fine; naming another judge, by name or id, is refused
        assert call("gita", "odconf_hackathon_score_list", conference="nodc-2024",
                    judge="gita")["judge"] == "gita"
        for named in ("gita", model.User.get("gita").id):
            refused(NotAuthorized, "odconf_hackathon_score_list", "judge", "only their own scores",
                    conference="nodc-2024", judge=named)
        # who is no judge reads no scores, not even their own list
        for user in ("outsider", "team", ""):
            for data in ({}, {"judge": "gita"}):
                refused(NotAuthorized, "odconf_hackathon_score_list", user,
                        conference="nodc-2024", **data)
        # the committee may read any judge's scores
        for committee in ("chair", "admin"):
            listed = call(committee, "odconf_hackathon_score_list", conference="nodc-2024",
                          judge="gita")
            assert [card["project"] for card in listed["scorecards"]] == ["alpha", "charlie"]

    def test_a_judge_cannot_change_another_judges_scores(self, score: Score):
        """A scorecard is always the caller's: no parameter names another judge."""
        score("gita", "alpha", 5)
        call("judge", "odconf_hackathon_score_set", project="alpha", scores=scorecard(1),
             judge="gita", judge_id=model.User.get("gita").id, user_id="gita")
        assert {(row[1], row[3]) for row in stored_scores()} == {("gita", 5), ("judge", 1)}
        for action in ("odconf_hackathon_score_list", "odconf_hackathon_judging_show"):
            refused(ObjectNotFound, action, "judge", "Hackathon not found", conference="nodc-1999")


@pytest.mark.usefixtures("judging")
class TestJudgingShow:
    def test_what_a_judge_sees(self, score: Score):
        score("gita", "alpha", 4)
        call("chair", "package_patch", id="delta", project_status="draft")
        page = call("gita", "odconf_hackathon_judging_show", conference="nodc-2024")
        assert page["scale"] == {"min": 1, "max": 5}
        assert [(c["slug"], c["weight"]) for c in page["criteria"]] == [
            ("use-of-open-data", 30), ("impact", 30), ("feasibility", 20), ("presentation", 20)]
        assert [a["score"] for a in page["criteria"][0]["anchors"]] == [1, 3, 5]
        assert page["criteria"][1]["title"] == {"en": "Impact", "km": "ផលប៉ះពាល់សង្គម"}
        # bravo is Gita's team's: listed apart, not to score; delta is a draft again
        assert [(p["name"], p["scores"]) for p in page["projects"]] == [
            ("alpha", scorecard(4)), ("charlie", None)]
        assert [p["name"] for p in page["own_team"]] == ["bravo"]
        assert page["results_published"] is False
        for user in ("outsider", "team", "chair", "admin", ""):
            refused(NotAuthorized, "odconf_hackathon_judging_show", user, conference="nodc-2024")

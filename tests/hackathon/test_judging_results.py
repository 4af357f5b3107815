"""The ranking and its publication through the action API: the worked
normalisation example, the committee's privacy before publication, awards."""
from __future__ import annotations

from typing import Any, Callable

import pytest

import ckan.model as model
from tests.hackathon.conftest import NotAuthorized, ValidationError, call, project_data
from tests.hackathon.judging_fixtures import (  # noqa: F401 (fixtures)
    judging, score, scorecard, stored_scores,
)
from tests.hackathon.test_judging_scores import refused

Score = Callable[..., dict[str, Any]]
NORMALISE = "odconf.hackathon.normalise_scores"


def places(ranking: dict[str, Any]) -> list[Any]:
    return [standing["project"] for standing in ranking["standings"]]


@pytest.fixture
def worked_example(judging: Any, score: Score) -> None:
    """The README's worked example (tests/hackathon/test_judging_ranking.py),
    each judge giving one number to every criterion: Gita (generous, in team
    bravo) and Hok (harsh, in team alpha)."""
    for judge, project, value in (("gita", "alpha", 4), ("gita", "charlie", 5), ("gita", "delta", 3),
                                  ("hok", "bravo", 3), ("hok", "charlie", 1), ("hok", "delta", 1)):
        score(judge, project, value)


@pytest.mark.usefixtures("worked_example")
class TestRanking:
    def test_normalisation_changes_the_ranking(self, ckan_config: Any, monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(ckan_config, NORMALISE, False)
        raw = call("chair", "odconf_hackathon_ranking", conference="nodc-2024")
        assert raw["normalised"] is False and raw["published"] is False
        assert places(raw) == ["alpha", "bravo", "charlie", "delta"]
        assert [s["total"] for s in raw["standings"]] == [4, 3, 3, 2]
        alpha = raw["standings"][0]
        assert (alpha["place"], alpha["judges"], alpha["team_name"]) == (1, 1, "Team Alpha")
        # each criterion's mean and weighted mean (weights 30, 30, 20, 20 of 100)
        assert alpha["means"] == scorecard(4)
        assert alpha["weighted"] == {"use-of-open-data": 1.2, "impact": 1.2, "feasibility": 0.8,
                                     "presentation": 0.8}
        assert [s["award"] for s in raw["standings"]] == ["first", "second", "third", None]

        monkeypatch.setitem(ckan_config, NORMALISE, True)
        normalised = call("chair", "odconf_hackathon_ranking", conference="nodc-2024")
        assert normalised["normalised"] is True
        assert places(normalised) == ["bravo", "charlie", "alpha", "delta"]
        assert [round(s["total"], 2) for s in normalised["standings"]] == [4.90, 3.21, 2.83, 1.42]
        assert [s["judges"] for s in normalised["standings"]] == [1, 2, 1, 2]

    def test_the_ranking_is_the_committees_until_published(self, judging: Any):
        call("chair", "package_create", **project_data(name="echo", team_members=["team"],
                                                      project_status="submitted"))
        for committee in ("chair", "admin"):
            ranking = call(committee, "odconf_hackathon_ranking", conference="nodc-2024")
            assert places(ranking) == ["alpha", "bravo", "charlie", "delta"]
            assert [project["project"] for project in ranking["unscored"]] == ["echo"]
        for user in ("judge", "gita", "team", "outsider", ""):
            refused(NotAuthorized, "odconf_hackathon_ranking", user, "not published yet",
                    conference="nodc-2024")


@pytest.mark.usefixtures("worked_example")
class TestPublication:
    def test_only_the_committee_publishes(self):
        for user in ("judge", "gita", "team", "outsider"):
            refused(NotAuthorized, "odconf_hackathon_results_publish", user,
                    "Only the hackathon committee", conference="nodc-2024")
        assert call("chair", "package_show", id="alpha").get("award") in (None, "")

    def test_publishing_sets_the_awards_and_opens_the_ranking(self, score: Score):
        published = call("chair", "odconf_hackathon_results_publish", conference="nodc-2024")
        assert published["published"] is True and published["published_at"]
        assert places(published) == ["alpha", "bravo", "charlie", "delta"]
        awards = {name: call("admin", "package_show", id=name).get("award")
                  for name in ("alpha", "bravo", "charlie", "delta")}
        assert awards == {"alpha": "first", "bravo": "second", "charlie": "third", "delta": None}

        # everyone sees the ranking now, but not which project a row is
        # while the project itself is not published (the control: the committee does)
        call("chair", "package_patch", id="alpha", project_status="published")
        for user in ("", "outsider"):
            seen = call(user, "odconf_hackathon_ranking", conference="nodc-2024")
            assert places(seen) == ["alpha", None, None, None]
            assert seen["standings"][1]["title"] is None and seen["standings"][1]["id"] is None
            assert [s["total"] for s in seen["standings"]] == [4, 3, 3, 2]
            assert seen["unscored"] == []
        assert places(call("chair", "odconf_hackathon_ranking", conference="nodc-2024")) == [
            "alpha", "bravo", "charlie", "delta"]

        # scores are closed, and the published ranking stays as it was published
        refused(NotAuthorized, "odconf_hackathon_score_set", "judge", "results are published",
                project="delta", scores=scorecard(5))
        error = refused(ValidationError, "odconf_hackathon_results_publish", "chair",
                        conference="nodc-2024")
        assert "already published" in error.error_dict["conference"][0]
        call("chair", "package_patch", id="delta", project_status="draft")
        assert len(call("", "odconf_hackathon_ranking", conference="nodc-2024")["standings"]) == 4

    def test_a_failed_award_publishes_nothing(self):
        """All awards and the record of publication in one transaction: a
        project whose stored data no longer validates stops all of it."""
        charlie = model.Package.get("charlie")
        charlie.license_id = "no-such-licence"
        model.Session.commit()
        error = refused(ValidationError, "odconf_hackathon_results_publish", "chair",
                        conference="nodc-2024")
        assert 'The award of "charlie" cannot be saved' in error.error_dict["conference"][0]
        assert {name: call("admin", "package_show", id=name).get("award")
                for name in ("alpha", "bravo")} == {"alpha": None, "bravo": None}
        found = call("admin", "package_search", fq="+dataset_type:hackathon-project",
                     include_private=True)["results"]
        assert len(found) == 4 and not any(project.get("award") for project in found)
        refused(NotAuthorized, "odconf_hackathon_ranking", "", conference="nodc-2024")


def test_nothing_to_publish_without_a_complete_scorecard(judging: Any):
    error = refused(ValidationError, "odconf_hackathon_results_publish", "chair",
                    conference="nodc-2024")
    assert error.error_dict == {"conference": [
        "No project has a complete scorecard yet: there is nothing to publish"]}
    refused(NotAuthorized, "odconf_hackathon_ranking", "", conference="nodc-2024")
    assert stored_scores() == []

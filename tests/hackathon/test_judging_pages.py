"""The judging page and the results page, as a judge, the committee and a
visitor get them (in-process requests; tests/browser has the browser's)."""
from __future__ import annotations

import re
from typing import Any, Callable

import pytest
from ckan.tests import factories
from flask_login import login_user

import ckan.model as model
from ckanext.odconf.hackathon.results import hackathon_pages
from tests.hackathon.conftest import call
from tests.hackathon.judging_fixtures import (  # noqa: F401 (fixtures)
    judging, score, scorecard, stored_scores,
)

Score = Callable[..., dict[str, Any]]
JUDGING = "/hackathon/nodc-2024/judging"
RESULTS = "/hackathon/nodc-2024/results"


def headers(user: str) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user)["token"]} if user else {}


@pytest.mark.usefixtures("judging")
class TestJudgingPage:
    def test_a_judge_scores_through_the_page(self, app: Any):
        judge = headers("gita")
        page = app.get(JUDGING, headers=judge)
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        # the projects to score, a form each; her own team's project apart
        assert re.findall(r'<form method="post" action="/hackathon/nodc-2024/judging/(\w+)"', body) == [
            "alpha", "charlie", "delta"]
        assert 'data-project="bravo"' in body and "You are in the team of these projects" in body
        # each criterion with its weight, scale and anchors
        assert body.count('name="score-impact"') == 3 * 5
        assert "weight 30" in body
        assert "Little or no open data is used, or its sources are not stated." in body

        saved = app.post(f"{JUDGING}/alpha", headers=judge,
                         data={f"score-{slug}": "4" for slug in scorecard()},
                         follow_redirects=False)
        assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{JUDGING}#project-alpha")
        assert {row[3] for row in stored_scores()} == {4} and len(stored_scores()) == 4
        again = app.get(JUDGING, headers=judge).get_data(as_text=True)
        assert re.search(r'id="alpha-impact-4" value="4" required checked', again)
        assert "Scored on" in again

    def test_an_incomplete_scorecard_is_refused_with_its_reason(self, app: Any):
        data = {f"score-{slug}": "4" for slug in scorecard()}
        del data["score-impact"]
        data["score-presentation"] = "9"
        refused = app.post(f"{JUDGING}/alpha", headers=headers("judge"), data=data)
        assert refused.status_code == 400
        body = refused.get_data(as_text=True)
        assert "Your scores were not saved" in body
        assert "impact: a score is required" in body
        assert "presentation: Must be a whole number from 1 to 5" in body
        # what the judge had chosen is kept in the form
        assert re.search(r'id="alpha-feasibility-4" value="4" required checked', body)
        assert stored_scores() == []

    def test_in_khmer(self, app: Any):
        body = app.get(f"/km{JUDGING}", headers=headers("judge")).get_data(as_text=True)
        assert "ផលប៉ះពាល់សង្គម" in body  # a criterion's title
        assert "ប្រើទិន្នន័យបើកចំហតិចតួច ឬមិនប្រើសោះ ឬមិនបញ្ជាក់ប្រភពទិន្នន័យ។" in body  # an anchor

    def test_who_is_no_judge(self, app: Any):
        for user in ("outsider", "team", "chair"):
            assert app.get(JUDGING, headers=headers(user)).status_code == 403
            assert app.post(f"{JUDGING}/charlie", headers=headers(user),
                            data={"score-impact": "5"}).status_code in (403, 404)
        assert app.post(f"{JUDGING}/bravo", headers=headers("gita"),
                        data={f"score-{slug}": "5" for slug in scorecard()}).status_code == 403
        anonymous = app.get(JUDGING, follow_redirects=False)
        assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
        assert app.get("/hackathon/nodc-1999/judging", headers=headers("judge")).status_code == 404
        assert stored_scores() == []


@pytest.mark.usefixtures("judging")
class TestResultsPage:
    def test_before_and_after_publication(self, app: Any, score: Score):
        score("gita", "alpha", 4)
        score("hok", "bravo", 3)
        # before: a visitor and a judge learn only that results are to come
        for user in ("", "judge"):
            body = app.get(RESULTS, headers=headers(user)).get_data(as_text=True)
            assert "The results are not published yet" in body
            assert "odconf-ranking" not in body
        # the committee sees the provisional ranking and the publish button
        body = app.get(RESULTS, headers=headers("chair")).get_data(as_text=True)
        assert "Provisional ranking" in body
        assert re.findall(r'<tr data-place="(\d)" data-project="(\w*)"', body) == [
            ("1", "alpha"), ("2", "bravo")]
        assert [name for name in ("charlie", "delta") if f'data-project="{name}"' in body] == [
            "charlie", "delta"]  # listed as not yet scored
        assert 'action="/hackathon/nodc-2024/results/publish"' in body
        # only the committee publishes
        assert app.post(f"{RESULTS}/publish", headers=headers("judge")).status_code == 403
        published = app.post(f"{RESULTS}/publish", headers=headers("chair"), follow_redirects=False)
        assert published.status_code == 302
        assert call("admin", "package_show", id="alpha")["award"] == "first"
        # after: everyone sees it; a project not published is not named
        call("chair", "package_patch", id="alpha", project_status="published")
        body = app.get(RESULTS).get_data(as_text=True)
        assert re.findall(r'<tr data-place="(\d)" data-project="(\w*)"', body) == [
            ("1", "alpha"), ("2", "")]
        assert "A project not published yet" in body and "Team Bravo" not in body
        assert 'data-award="first"' in body and "First prize" in body
        assert "Published on" in body and "results/publish" not in body
        khmer = app.get(f"/km{RESULTS}").get_data(as_text=True)
        assert "ជ័យលាភីលេខ១" in khmer

    def test_an_edition_without_a_hackathon(self, app: Any):
        assert app.get("/hackathon/nodc-1999/results").status_code == 404


@pytest.mark.usefixtures("judging")
def test_the_links_a_visitor_may_follow(app: Any):
    """``h.odconf_hackathon_pages``: for links to the judging pages from other pages."""
    def pages(user: str) -> dict[str, Any]:
        with app.flask_app.test_request_context():
            if user:
                login_user(model.User.get(user))
            return hackathon_pages("nodc-2024")

    assert pages("") == pages("team") == {"judging": None, "results": None}
    assert pages("judge") == {"judging": JUDGING, "results": None}
    assert pages("chair") == {"judging": None, "results": RESULTS}
    call("gita", "odconf_hackathon_score_set", project="alpha", scores=scorecard(4))
    call("chair", "odconf_hackathon_results_publish", conference="nodc-2024")
    assert pages("") == {"judging": None, "results": RESULTS}
    assert pages("judge") == {"judging": JUDGING, "results": RESULTS}

"""Scores never leave the judging tables: package_show, package_search, the
DCAT endpoints and the programme export say exactly the same before and after
judges score (to anyone, a sysadmin included); publishing the results adds
only the award."""
from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from ckan.cli.cli import ckan as ckan_command

import ckan.model as model
from tests.hackathon.conftest import call
from tests.hackathon.judging_fixtures import judging, score, stored_scores  # noqa: F401 (fixtures)

Score = Callable[..., dict[str, Any]]
DCAT_ADDRESSES = ("/dataset/alpha.ttl", "/dataset/alpha.jsonld", "/dataset/alpha.xml",
                  "/catalog.ttl", "/conference/nodc-2024/themes.ttl")


def keys(value: Any) -> set[str]:
    """Every key of a nested structure."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys(item)}
    return set()


def give_scores(score: Score) -> list[str]:
    """Two judges score alpha and charlie; their user ids."""
    score("gita", "alpha", 5)
    score("judge", "alpha", 2)
    score("gita", "charlie", 4)
    assert len(stored_scores()) == 12
    return [model.User.get(name).id for name in ("gita", "judge")]


@pytest.fixture
def published_alpha(judging: Any) -> None:
    call("chair", "package_patch", id="alpha", project_status="published")


@pytest.mark.usefixtures("published_alpha")
class TestScoresStayOutOfDatasets:
    def test_package_show_and_package_search(self, score: Score):
        readers = ("admin", "chair", "gita", "")

        def read() -> dict[str, Any]:
            return {
                "show": {user: call(user, "package_show", id="alpha") for user in readers},
                "search": call("admin", "package_search", fq="+dataset_type:hackathon-project",
                               include_private=True, rows=100, sort="name asc")["results"],
            }

        before = read()
        judge_ids = give_scores(score)
        after = read()
        assert after == before
        assert [result["name"] for result in after["search"]] == ["alpha", "bravo", "charlie", "delta"]
        text = json.dumps(after)
        assert not any(judge_id in text for judge_id in judge_ids)
        assert not {key for key in keys(after) if "score" in key or "judg" in key}
        # nor does a search find a project by a score
        for query in ("score:5", "scores:5", "impact:5", "extras_impact:5"):
            assert call("admin", "package_search", q=query, include_private=True)["count"] == 0

        # publishing the results adds the award to the project, nothing else
        call("chair", "odconf_hackathon_results_publish", conference="nodc-2024")
        published = call("", "package_show", id="alpha")
        changed = {key for key in published if published[key] != before["show"][""].get(key)}
        assert changed == {"award", "metadata_modified"}
        assert published["award"] == "second"  # mean 3.5, after charlie's 4

    def test_dcat(self, app: Any, score: Score):
        def read() -> dict[str, str]:
            responses = {address: app.get(address) for address in DCAT_ADDRESSES}
            assert all(response.status_code == 200 for response in responses.values())
            return {address: response.get_data(as_text=True) for address, response in responses.items()}

        before = read()
        assert "alpha" in before["/catalog.ttl"]
        judge_ids = give_scores(score)
        after = read()
        assert after == before
        assert not any(judge_id in text for judge_id in judge_ids for text in after.values())

    def test_the_programme_export(self, cli: Any, tmp_path: Any, score: Score):
        def export(name: str) -> str:
            path = tmp_path / name
            result = cli.invoke(ckan_command, ["odconf", "export", "nodc-2024", "-o", str(path)])
            assert result.exit_code == 0, result.output
            return path.read_text(encoding="utf-8")

        before = export("before.yaml")
        assert "judging:" in before and "use-of-open-data" in before  # the criteria
        give_scores(score)
        call("chair", "odconf_hackathon_results_publish", conference="nodc-2024")
        assert export("after.yaml") == before

"""The judging criteria: declared in the programme file, checked with the
file's line numbers, loaded into the conference, and held to the same rules
when the conference is edited through the API."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ckan.tests import helpers

from ckanext.odconf.hackathon.criteria import Judging
from ckanext.odconf.hackathon.judging import hackathon
from ckanext.odconf.programme.spec import read_programme
from tests.programme.test_spec import NODC_2024, NOTHING_EXISTS, broken, line_of, nodc_text


class TestTheNodcProposal:
    @pytest.fixture(scope="class")
    def judging(self) -> Judging:
        data = read_programme(NODC_2024, NOTHING_EXISTS).data
        judging = Judging.from_hackathon(data["hackathon"])
        assert judging is not None
        return judging

    def test_criteria_weights_and_scale(self, judging: Judging):
        assert (judging.scale_min, judging.scale_max, judging.honourable_mentions) == (1, 5, 0)
        assert [(c.slug, c.weight) for c in judging.criteria] == [
            ("use-of-open-data", 30), ("impact", 30), ("feasibility", 20), ("presentation", 20)]
        assert judging.total_weight == 100

    def test_every_text_in_english_and_khmer(self, judging: Judging):
        for criterion in judging.criteria:
            texts = [criterion.title, criterion.description] + [a.description for a in criterion.anchors]
            assert [a.score for a in criterion.anchors] == [1, 3, 5]
            for text in texts:
                assert set(text) == {"en", "km"} and all(value.strip() for value in text.values())

    def test_the_file_says_it_is_a_proposal(self):
        comment = nodc_text().split("  judging:")[0].rsplit("presentation_session:", 1)[1]
        assert "PROPOSAL" in comment and "Hackathon" in comment


class TestProblemsInTheFile:
    @pytest.mark.usefixtures("with_plugins")
    def test_each_problem_at_its_line(self, tmp_path: Path):
        text = (nodc_text()
                .replace("scale: {min: 1, max: 5}", "scale: {min: 1, max: 5}\n    winners: 3", 1)
                .replace("weight: 20", "weight: 0", 1))
        assert broken(tmp_path, text) == [
            f'FILE:{line_of(text, "winners: 3")}: hackathon.judging.winners: unknown field "winners"; '
            "allowed: scale, criteria, honourable_mentions",
            f"FILE:{line_of(text, 'weight: 0')}: hackathon.judging.criteria[2].weight: must be at least 1, got 0",
        ]
        # once the structure holds, the rules between values
        text = (nodc_text()
                .replace("          - score: 5\n", "          - score: 7\n", 1)
                .replace("          - score: 3\n", "          - score: 1\n", 1))
        assert broken(tmp_path, text) == [
            f"FILE:{line_of(text, '- score: 1', after='- score: 1' + chr(10))}: "
            "hackathon.judging.criteria[0].anchors[1].score: score 1 is described twice",
            f"FILE:{line_of(text, '- score: 7')}: hackathon.judging.criteria[0].anchors[2].score: "
            "an anchor's score must be on the scale (1 to 5)",
        ]

    @pytest.mark.usefixtures("with_plugins")
    @pytest.mark.parametrize("low, high", [(5, 1), (3, 3), (0, 101)])
    def test_a_scale_that_is_not_one(self, tmp_path: Path, low: int, high: int):
        text = nodc_text().replace("scale: {min: 1, max: 5}", f"scale: {{min: {low}, max: {high}}}")
        assert broken(tmp_path, text)[0] == (
            f"FILE:{line_of(text, 'scale:', after='judging:')}: hackathon.judging.scale: the scale "
            f"must run from a lower to a higher whole number within 0 to 100, got {low} to {high}")


def test_loaded_into_the_conference_and_checked_through_the_api(nodc: Any):
    found = hackathon("nodc-2024")
    assert found is not None and found.organisation.name == "nodc-2024-hackathon"
    assert found.judging is not None and len(found.judging.criteria) == 4
    sysadmin = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    conference = helpers.call_action("group_show", id="nodc-2024")
    judging = conference["hackathon"]["judging"]
    judging["criteria"][1]["anchors"][0]["score"] = 9
    with pytest.raises(helpers.logic.ValidationError) as raised:
        helpers.call_action("group_patch", {"user": sysadmin}, id="nodc-2024",
                            hackathon=conference["hackathon"])
    assert raised.value.error_dict["hackathon"] == [
        "hackathon.judging.criteria[1].anchors[0].score: an anchor's score must be on the scale (1 to 5)"]
    # the control: a valid change is stored, and read back
    judging["criteria"][1]["anchors"][0]["score"] = 2
    judging["honourable_mentions"] = 2
    helpers.call_action("group_patch", {"user": sysadmin}, id="nodc-2024",
                        hackathon=conference["hackathon"])
    changed = hackathon("nodc-2024")
    assert changed is not None and changed.judging is not None
    assert changed.judging.honourable_mentions == 2
    assert [a.score for a in changed.judging.criteria[1].anchors] == [2, 3, 5]

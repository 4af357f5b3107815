"""Programme files: the bundled NODC 2024 programme and every kind of bad file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ckanext.odconf.programme import PROGRAMMES_DIR, format as yaml_format
from ckanext.odconf.programme.spec import ProgrammeError, read_programme

NODC_2024 = str(Path(PROGRAMMES_DIR) / "nodc-2024.yaml")

pytestmark = pytest.mark.usefixtures("with_plugins")

NOTHING_EXISTS = {"organization": set(), "reference": set()}


def nodc_text() -> str:
    return Path(NODC_2024).read_text(encoding="utf-8")


def broken(tmp_path: Path, text: str) -> list[str]:
    """The problems reported for a programme file with this text."""
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgrammeError) as raised:
        read_programme(str(path), NOTHING_EXISTS)
    return [str(problem).replace(str(path), "FILE") for problem in raised.value.problems]


def line_of(text: str, fragment: str, after: str = "") -> int:
    """1-based line of the first ``fragment`` after the first ``after``."""
    start = text.index(after) + len(after) if after else 0
    return text[:text.index(fragment, start)].count("\n") + 1


class TestNodc2024:
    @pytest.fixture(scope="class")
    def data(self):
        return read_programme(NODC_2024, NOTHING_EXISTS).data

    def test_edition(self, data):
        assert data["edition"] == "nodc-2024"
        assert (data["start_date"], data["end_date"]) == ("2024-03-26", "2024-03-27")
        assert data["time_zone"] == "Asia/Phnom_Penh"
        assert data["venue"] == "CADT Innovation Center, Phnom Penh, Cambodia"
        assert data["organisers"] == ["odc", "taf"]
        assert data["funders"] == [{"organisation": "dfat", "through": "taf", "programme":
                                    "Ponlok Chomnes: Data and Dialogue for Development in Cambodia"}]
        assert data["contact"]["name"] == "Mrs. SIV Vatana"

    def test_every_session_of_both_days(self, data):
        agenda = data["agenda"]
        assert [sum(1 for s in agenda if s["day"] == day) for day in (1, 2)] == [23, 13]
        assert (agenda[0]["start"], agenda[-1]["end"]) == ("08:00", "17:30")
        assert [s["id"] for s in agenda if s.get("tbc")] == [
            "keynote-speech", "remark-australian-embassy", "opening-remark", "session-3", "session-4"]
        assert [s["id"] for s in agenda if s["kind"] == "hackathon"] == [
            "hackathon-expert-talks", "hacking-marathon", "hackathon-pitch", "hackathon-awards"]

    def test_themes_rooms_and_their_unnamed_topics(self, data):
        themes = data["themes"]
        assert [(t["slug"], t["kind"], t.get("number")) for t in themes] == [
            ("public-services", "theme", 1), ("education", "theme", 2),
            ("sustainable-development", "theme", 3),
            ("sustainable-responsible-business", "room", 1),
            ("inclusive-social-development", "room", 2)]
        assert all(theme["title"]["km"] for theme in themes)
        assert all("topics" not in theme for theme in themes)
        assert [t.get("topics_announced") for t in themes] == [3, 3, 3, None, None]

    def test_references_with_publisher_and_date(self, data):
        references = {r["name"]: r for r in data["references"]}
        assert len(references) == 6
        assert [(r["publisher"], r.get("publication_date")) for r in data["references"]] == [
            ("odc", "2020-05-31"), ("taf", "2023-05-29"), ("mptc", None),
            ("rgc", "2022-01-28"), ("rgc", None), ("odc", "2016")]
        assert references["open-data-roadmap-assessment-cambodia"]["contributors"] == ["nia", "apt"]
        assert references["open-data-handbook-khmer"]["language"] == ["km"]
        # the programme's links are placeholders: no address is invented
        assert not any("url" in reference for reference in data["references"])

    def test_no_times_read_as_numbers(self, tmp_path):
        # unquoted, YAML 1.1 reads 10:30 as the base-60 number 630 (08:30 stays text)
        text = nodc_text().replace('start: "10:30"', "start: 10:30", 1)
        assert "start: 10:30\n" in text
        assert 630 in [item["start"] for item in yaml.safe_load(text)["agenda"]]
        path = tmp_path / "programme.yaml"
        path.write_text(text, encoding="utf-8")
        agenda = read_programme(str(path), NOTHING_EXISTS).data["agenda"]
        assert [item["start"] for item in agenda if item["id"] == "session-3"] == ["10:30"]
        assert agenda[9]["start"] == "09:55"
        assert yaml_format.load("start: 10:30\nday: 1\nshare: 0.5") == {
            "start": "10:30", "day": 1, "share": 0.5}


class TestBadFiles:
    def test_yaml_syntax_error(self, tmp_path):
        text = nodc_text().replace("venue: CADT", "venue: [CADT", 1)
        problems = broken(tmp_path, text)
        assert len(problems) == 1
        assert re.match(r"FILE:\d+: YAML syntax error: ", problems[0])

    def test_session_ending_before_it_starts(self, tmp_path):
        text = nodc_text().replace('start: "10:30"\n    end: "11:00"', 'start: "10:30"\n    end: "10:00"')
        line = line_of(text, 'end: "10:00"', after="id: session-3\n")
        assert broken(tmp_path, text) == [
            f"FILE:{line}: agenda[11].end: end (10:00) must be later than start (10:30)"]

    def test_duplicate_theme_slug(self, tmp_path):
        text = nodc_text().replace("slug: sustainable-development", "slug: education")
        line = line_of(text, "slug: education", after="slug: education\n")
        assert broken(tmp_path, text) == [
            f'FILE:{line}: themes[2].slug: duplicate slug "education" (first used at themes[1])']

    def test_unknown_session_kind(self, tmp_path):
        text = nodc_text().replace("kind: networking", "kind: party")
        assert broken(tmp_path, text) == [
            f'FILE:{line_of(text, "kind: party")}: agenda[35].kind: unknown kind "party"; allowed: '
            "registration, plenary, qa, breakout, hackathon, break, networking"]

    def test_unknown_organisation(self, tmp_path):
        text = nodc_text().replace("organisers: [odc, taf]", "organisers: [odc, unicef]")
        [problem] = broken(tmp_path, text)
        assert problem.startswith(
            f'FILE:{line_of(text, "organisers:")}: organisers[1]: unknown organization "unicef"; allowed: apt, ')

    def test_theme_in_an_unknown_session(self, tmp_path):
        text = nodc_text().replace("session: breakout-trust-building", "session: breakout-3", 1)
        [problem] = broken(tmp_path, text)
        assert problem.startswith(f"FILE:{line_of(text, 'session: breakout-3')}: themes[3].session: "
                                  'unknown session "breakout-3"; allowed: ')

    def test_key_given_twice(self, tmp_path):
        text = nodc_text().replace("venue: CADT", "venue: Somewhere\nvenue: CADT", 1)
        assert broken(tmp_path, text) == [
            f'FILE:{line_of(text, "venue: CADT")}: venue: "venue" is given twice '
            f'(first at line {line_of(text, "venue: Somewhere")})']

    def test_every_problem_is_reported_together(self, tmp_path):
        text = (nodc_text()
                .replace("slug: sustainable-development", "slug: education")
                .replace("kind: networking", "kind: party")
                .replace('start: "16:40"\n    end: "17:00"', 'start: "16:40"\n    end: "16:00"')
                .replace("end_date: 2024-03-27", "end_date: 2024-03-25"))
        fields = [problem.split(": ")[1] for problem in broken(tmp_path, text)]
        assert fields == ["end_date", "agenda[34].end", "agenda[35].kind", "themes[2].slug"]

    def test_missing_required_fields(self, tmp_path):
        assert broken(tmp_path, "edition: nodc-2030\n") == [
            f"FILE:1: {field}: is required" for field in (
                "title", "start_date", "end_date", "time_zone", "venue", "organisers", "days",
                "agenda")]

    def test_not_a_mapping(self, tmp_path):
        assert broken(tmp_path, "- just\n- a list\n") == [
            "FILE:1: expected a mapping of programme fields"]

    def test_missing_file(self, tmp_path):
        with pytest.raises(ProgrammeError) as raised:
            read_programme(str(tmp_path / "nowhere.yaml"), NOTHING_EXISTS)
        assert "cannot read the file" in str(raised.value)

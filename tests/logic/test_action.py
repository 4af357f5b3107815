"""The catalogue's API actions, run as anonymous users and as members."""
from __future__ import annotations

from pathlib import Path

import pytest
from ckan.tests import factories, helpers

import ckan.model as model

from ckanext.odconf.programme import PROGRAMMES_DIR
from tests.conftest import statements_run

NODC_2024 = Path(PROGRAMMES_DIR) / "nodc-2024.yaml"
ANONYMOUS = {"user": ""}


def test_conference_list(nodc):
    editions = helpers.call_action("odconf_conference_list", ANONYMOUS)
    assert [(edition["edition"], edition["start_date"], edition["end_date"]) for edition in editions] == [
        ("nodc-2024", "2024-03-26", "2024-03-27")
    ]
    assert editions[0]["title_translated"]["en"] == "National Open Data Conference 2024"
    assert editions[0]["dataset_count"] == 0


def statements_of_conference_show() -> int:
    """SQL statements one ``odconf_conference_show`` of nodc-2024 runs."""
    return statements_run(
        lambda: helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024"))


def larger_programme(extra: int) -> str:
    """NODC 2024 with ``extra`` more references and ``extra`` more themes, each with a topic."""
    text = Path(NODC_2024).read_text(encoding="utf-8")
    references = "".join(
        f"  - name: extra-reference-{n}\n    title: {{en: Extra reference {n}}}\n"
        f"    document_kind: study\n    publisher: odc\n" for n in range(extra))
    themes = "".join(
        f"  - slug: extra-theme-{n}\n    kind: theme\n    number: {10 + n}\n"
        f"    title: {{en: Extra theme {n}}}\n    session: breakout-open-data-showcases\n"
        f"    topics:\n      - slug: extra-topic-{n}\n        title: {{en: Extra topic {n}}}\n"
        for n in range(extra))
    text = text.replace("\ndays:\n", "\n" + references + "days:\n", 1)
    return text.replace("\nhackathon:\n", "\n" + themes + "hackathon:\n", 1)


class TestConferenceShow:
    def test_programme(self, nodc):
        shown = helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024")
        assert shown["edition"] == "nodc-2024"
        assert shown["venue"] == "CADT Innovation Center, Phnom Penh, Cambodia"
        assert shown["time_zone"] == "Asia/Phnom_Penh"
        assert [day["date"] for day in shown["programme"]] == ["2024-03-26", "2024-03-27"]
        sessions = [session for day in shown["programme"] for session in day["sessions"]]
        assert len(sessions) == 36
        assert sessions[0]["title"]["en"] == "Registration" and sessions[0]["title"]["km"]
        keynote = next(session for session in sessions if session["id"] == "keynote-speech")
        assert keynote["tbc"] is True and keynote["organisations"] == ["nia"]
        breakout = next(s for s in sessions if s["id"] == "breakout-open-data-showcases")
        assert breakout["themes"] == ["public-services", "education", "sustainable-development"]
        assert [organiser["name"] for organiser in shown["organisers"]] == ["odc", "taf"]
        assert shown["contact"]["email"] == "vatana@opendevcam.net"

    def test_themes_and_rooms(self, nodc):
        themes = helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024")["themes"]
        assert [(theme["slug"], theme["kind"]) for theme in themes] == [
            ("public-services", "theme"), ("education", "theme"),
            ("sustainable-development", "theme"), ("sustainable-responsible-business", "room"),
            ("inclusive-social-development", "room"),
        ]
        assert all(theme["topics"] == [] for theme in themes)
        assert [theme["topics_announced"] for theme in themes] == [3, 3, 3, None, None]

    def test_references(self, nodc):
        references = helpers.call_action(
            "odconf_conference_show", ANONYMOUS, id="nodc-2024")["references"]
        assert len(references) == 6
        survey = next(r for r in references if r["name"] == "open-data-survey-2020")
        assert survey["publisher"]["name"] == "odc"
        assert survey["publication_date"] == "2020-05-31"
        assert survey["link_status"] == "not-yet-available"
        assert survey["sessions"] == ["session-1"]

    def test_hackathon(self, nodc):
        hackathon = helpers.call_action(
            "odconf_conference_show", ANONYMOUS, id="nodc-2024")["hackathon"]
        assert [session["id"] for session in hackathon["sessions"]] == [
            "hackathon-expert-talks", "hacking-marathon", "hackathon-pitch", "hackathon-awards"]
        assert hackathon["awarded_teams"] == 3
        assert hackathon["project_count"] == 0

    def test_counts_with_examples(self, nodc_with_examples):
        shown = helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024")
        assert [theme["dataset_count"] for theme in shown["themes"]] == [2, 2, 2, 2, 2]
        assert shown["hackathon"]["project_count"] == 3
        assert shown["dataset_count"] == 13

    def test_statements_do_not_grow_with_references_themes_or_datasets(
            self, nodc_with_examples, load_programme, tmp_path):
        small = statements_of_conference_show()
        larger = tmp_path / "larger.yaml"
        larger.write_text(larger_programme(extra=10), encoding="utf-8")
        load_programme(str(larger), examples=True)
        # counted first: a repeated search is answered from the cache, without SQL
        assert statements_of_conference_show() == small
        shown = helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024")
        # the control: the edition did grow (10 references, themes, topics; 30 examples)
        assert (len(shown["references"]), len(shown["themes"]), shown["dataset_count"]) == (
            16, 15, 43)

    def test_private_dataset_is_counted_only_for_who_may_see_it(self, nodc):
        member = factories.User()
        organisation = factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
        factories.Dataset(owner_org=organisation["id"], private=True, license_id="cc-by",
                          conference="nodc-2024", theme="education")
        factories.Dataset(owner_org=organisation["id"], license_id="cc-by",
                          conference="nodc-2024", theme="education")

        def education(context):
            shown = helpers.call_action("odconf_conference_show", context, id="nodc-2024")
            return next(t["dataset_count"] for t in shown["themes"] if t["slug"] == "education")

        assert education(ANONYMOUS) == 1
        assert education({"user": member["name"]}) == 2

    def test_draft_dataset_is_not_counted(self, nodc):
        factories.Dataset(owner_org="odc", state="draft", license_id="cc-by",
                          conference="nodc-2024", theme="education")
        shown = helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024")
        assert shown["dataset_count"] == 0

    def test_unknown_conference(self, nodc):
        with pytest.raises(helpers.logic.NotFound):
            helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-1999")

    def test_a_plain_group_is_not_a_conference(self, nodc):
        factories.Group(name="not-a-conference")
        with pytest.raises(helpers.logic.NotFound):
            helpers.call_action("odconf_conference_show", ANONYMOUS, id="not-a-conference")


class TestThemeShow:
    def test_theme_with_its_datasets(self, nodc_with_examples):
        theme = helpers.call_action("odconf_theme_show", ANONYMOUS,
                                    conference="nodc-2024", theme="education")
        assert theme["title"]["km"] == "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ"
        assert theme["session"]["id"] == "breakout-open-data-showcases"
        assert theme["session"]["start"] == "09:00"
        assert theme["dataset_count"] == 2
        assert [dataset["name"] for dataset in theme["datasets"]] == [
            "nodc-2024-example-education-1", "nodc-2024-example-education-2"]

    def test_rows_and_start(self, nodc_with_examples):
        theme = helpers.call_action("odconf_theme_show", ANONYMOUS, conference="nodc-2024",
                                    theme="education", rows=1, start=1)
        assert theme["dataset_count"] == 2
        assert [dataset["name"] for dataset in theme["datasets"]] == ["nodc-2024-example-education-2"]

    def test_unknown_theme_names_the_themes(self, nodc):
        with pytest.raises(helpers.logic.NotFound) as raised:
            helpers.call_action("odconf_theme_show", ANONYMOUS, conference="nodc-2024", theme="health")
        assert "Allowed themes: public-services, education" in str(raised.value)

    def test_parameters_are_required(self, nodc):
        with pytest.raises(helpers.logic.ValidationError):
            helpers.call_action("odconf_theme_show", ANONYMOUS, conference="nodc-2024")


def test_referencing_datasets(nodc):
    citing = factories.Dataset(owner_org="odc", license_id="cc-by",
                               references=["open-data-survey-2020"])
    factories.Dataset(owner_org="odc", license_id="cc-by", private=True,
                      references=["open-data-survey-2020"])
    found = helpers.call_action("odconf_referencing_datasets", ANONYMOUS, id="open-data-survey-2020")
    assert found["count"] == 1
    assert [dataset["name"] for dataset in found["results"]] == [citing["name"]]


def test_actions_are_side_effect_free(nodc):
    before = model.Session.query(model.Package).count()
    helpers.call_action("odconf_conference_show", ANONYMOUS, id="nodc-2024")
    assert model.Session.query(model.Package).count() == before

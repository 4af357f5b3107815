"""Dataset validators: each bad input gets an error naming the allowed values."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

import ckan.model as model

ValidationError = helpers.logic.ValidationError


def create(group: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A dataset of the conference ``group``, with ``fields`` on top."""
    data = dict(title="Schools 2023", license_id="cc-by", owner_org="odc-test",
                conference=group["name"])
    data.update(fields)
    return factories.Dataset(**data)


def errors_of(group: dict[str, Any], **fields: Any) -> dict[str, list[str]]:
    """The validation errors of such a dataset."""
    with pytest.raises(ValidationError) as raised:
        create(group, **fields)
    return raised.value.error_dict


class TestConferenceFields:
    def test_a_valid_entry_keeps_its_fields(self, conference):
        dataset = create(conference, theme="education", topic="schools", session="breakout",
                         language=["en", "km"], spatial_coverage=["KH-12", "KH"],
                         temporal_start="2020-01-01", temporal_end="2023-12-31")
        assert (dataset["conference"], dataset["theme"], dataset["topic"], dataset["session"]) == (
            "odc-test-2025", "education", "schools", "breakout")
        assert dataset["language"] == ["km", "en"]
        assert dataset["spatial_coverage"] == ["KH", "KH-12"]

    def test_conference_given_by_id_is_stored_by_name(self, conference):
        assert create(conference, conference=conference["id"])["conference"] == "odc-test-2025"

    def test_unknown_conference(self, conference):
        assert errors_of(conference, conference="nodc-1999")["conference"] == [
            'Unknown conference "nodc-1999". Conferences: odc-test-2025'
        ]

    def test_unknown_theme(self, conference):
        assert errors_of(conference, theme="transport")["theme"] == [
            'Unknown theme "transport" for conference "odc-test-2025". '
            "Allowed themes: education, health, business"
        ]

    def test_theme_needs_a_conference(self, conference):
        assert errors_of(conference, conference=None, theme="education")["theme"] == [
            "Choose a conference before choosing its theme"
        ]

    def test_topic_of_another_theme(self, conference):
        assert errors_of(conference, theme="education", topic="clinics")["topic"] == [
            'Topic "clinics" belongs to theme "health", not to "education". '
            'Topics of "education": schools, teachers'
        ]

    def test_unknown_topic(self, conference):
        assert errors_of(conference, theme="education", topic="roads")["topic"] == [
            'Unknown topic "roads" for theme "education". Allowed topics: schools, teachers'
        ]

    def test_topic_of_a_theme_without_topics(self, conference):
        assert errors_of(conference, theme="business", topic="schools")["topic"] == [
            'Topic "schools" belongs to theme "education", not to "business". '
            'Topics of "business": none yet, the programme has not named this theme\'s topics'
        ]

    def test_unknown_session(self, conference):
        assert errors_of(conference, session="lunch")["session"] == [
            'Unknown session "lunch" for conference "odc-test-2025". '
            "Allowed sessions: opening, breakout, pitch"
        ]

    def test_temporal_coverage_must_not_end_before_it_starts(self, conference):
        assert errors_of(conference, temporal_start="2024-01-01", temporal_end="2023-01-01")[
            "temporal_end"] == ["2023-01-01 is before temporal_start (2024-01-01)"]

    def test_unknown_spatial_coverage(self, conference):
        assert errors_of(conference, spatial_coverage=["KH-26"])["spatial_coverage"] == [
            'unexpected choice "KH-26"'
        ]


class TestLicence:
    def test_licence_is_required(self, conference):
        errors = errors_of(conference, license_id="")["license_id"]
        assert errors[0].startswith("Missing value. Accepted licences: ")
        assert "cc-by" in errors[0]

    def test_closed_licence_is_not_accepted_by_default(self, conference):
        error = errors_of(conference, license_id="cc-nc")["license_id"][0]
        assert error.startswith('Licence "cc-nc" is not accepted. Accepted licences: ')
        assert "odc-odbl" in error and "cc-nc" not in error.split(":", 1)[1]

    @pytest.mark.ckan_config("odconf.licenses", "cc-by odc-odbl")
    def test_configured_licences(self, conference):
        assert errors_of(conference, license_id="cc-by-sa")["license_id"] == [
            'Licence "cc-by-sa" is not accepted. Accepted licences: cc-by, odc-odbl'
        ]
        assert create(conference, license_id="odc-odbl")["license_id"] == "odc-odbl"


class TestReferences:
    def test_names_and_addresses(self, conference):
        factories.Dataset(type="reference", name="open-data-survey-2020", title="Open Data Survey",
                          document_kind="survey", owner_org="odc-test")
        dataset = create(conference, references=["open-data-survey-2020", "https://example.org/x"])
        assert dataset["references"] == ["open-data-survey-2020", "https://example.org/x"]

    def test_reference_to_a_missing_entry(self, conference):
        factories.Dataset(type="reference", name="open-data-survey-2020", title="Open Data Survey",
                          document_kind="survey", owner_org="odc-test")
        assert errors_of(conference, references=["open-data-handbook"])["references"] == [
            'Reference "open-data-handbook" is neither a web address nor the name of a reference '
            "entry. Reference entries: open-data-survey-2020"
        ]

    def test_a_dataset_is_not_a_reference_entry(self, conference):
        other = create(conference, name="not-a-reference")
        assert "neither a web address" in errors_of(conference, references=[other["name"]])[
            "references"][0]


def test_nothing_is_written_when_validation_fails(conference):
    before = model.Session.query(model.Package).count()
    errors_of(conference, theme="transport")
    assert model.Session.query(model.Package).count() == before

"""Entries for the RDF tests: a dataset with every mapped field, and hidden entries."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.conftest import conference_data

SURVEY_URL = "https://example.org/open-data-survey.pdf"
OUTSIDE_URL = "https://example.org/study"


@pytest.fixture
def cited(clean_db: Any, clean_index: Any, with_plugins: Any) -> dict[str, Any]:
    """A conference with topics, a reference entry, and a dataset that cites both ways.

    The dataset has a topic (so a theme), Khmer and English text, a licence,
    two languages, a distribution, a reference entry and an outside address in
    ``references``. Also a private and a draft dataset, and the sysadmin.
    """
    organisation = factories.Organization(name="odc-test")
    sysadmin = factories.Sysadmin()
    as_sysadmin = {"user": sysadmin["name"]}
    helpers.call_action("group_create", as_sysadmin, **conference_data(organisation["name"]))
    reference = helpers.call_action(
        "package_create", as_sysadmin, type="reference", name="survey-2020",
        title_translated={"en": "Open Data Survey", "km": "ការស្ទង់មតិទិន្នន័យបើកចំហ"},
        document_kind="survey", owner_org=organisation["id"], url=SURVEY_URL, license_id="cc-by")
    common = dict(owner_org=organisation["id"], license_id="cc-by-sa", conference="odc-test-2025")
    dataset = helpers.call_action(
        "package_create", as_sysadmin, name="school-enrolment",
        title_translated={"en": "School enrolment", "km": "ការចុះឈ្មោះចូលរៀន"},
        notes_translated={"en": "Pupils by province.", "km": "សិស្សតាមខេត្ត។"},
        theme="education", topic="schools", language=["km", "en"], spatial_coverage=["KH", "KH-12"],
        references=["survey-2020", OUTSIDE_URL], tags=[{"name": "schools"}],
        resources=[{"url": "https://example.org/enrolment.csv", "format": "CSV", "name": "Enrolment"}],
        **common)
    private = helpers.call_action(
        "package_create", as_sysadmin, name="hidden-private",
        title_translated={"en": "Hidden private"}, private=True, theme="health", **common)
    draft = helpers.call_action(
        "package_create", as_sysadmin, name="hidden-draft",
        title_translated={"en": "Hidden draft"}, state="draft", theme="health", **common)
    return {"reference": reference, "dataset": dataset, "private": private, "draft": draft,
            "sysadmin": sysadmin, "organisation": organisation}

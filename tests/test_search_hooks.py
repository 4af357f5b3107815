"""What the catalogue puts in the search index, and how it is searched."""
from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import factories, helpers

from ckanext.odconf import search_hooks

from .conftest import conference_data, statements_run

ANONYMOUS = {"user": ""}


def search(**params) -> dict:
    return helpers.call_action("package_search", ANONYMOUS, **params)


class TestIndexDocument:
    """The document handed to the search backend (Solr or embedded)."""

    def document(self, **validated) -> dict:
        return search_hooks.before_dataset_index({
            "validated_data_dict": json.dumps(validated),
            "title": validated.get("title", ""),
            "notes": validated.get("notes", ""),
            "groups": [],
            "language": json.dumps(validated.get("language", [])),
            "title_translated": json.dumps(validated.get("title_translated", {})),
            "conference": validated.get("conference"),
            "theme": validated.get("theme"),
            "topic": None,
        })

    def test_lists_become_vocab_fields(self):
        document = self.document(language=["km", "en"], references=["open-data-survey-2020"],
                                 spatial_coverage=["KH-12"])
        assert document["vocab_odconf_languages"] == ["km", "en"]
        assert document["vocab_odconf_references"] == ["open-data-survey-2020"]
        assert document["vocab_odconf_spatial_coverage"] == ["KH-12"]
        assert "language" not in document and "title_translated" not in document

    def test_single_values_stay_plain_strings(self):
        document = self.document(conference="nodc-2024", theme="education")
        assert (document["conference"], document["theme"]) == ("nodc-2024", "education")
        assert "topic" not in document
        assert document["groups"] == ["nodc-2024"]

    def test_khmer_text_is_segmented_into_words(self):
        document = self.document(title="Schools", title_translated={
            "en": "Schools", "km": "ទិន្នន័យបើកចំហសម្រាប់ការអប់រំ"})
        khmer = next(text for text in document["text"] if "ទិន្នន័យ" in text)
        assert khmer.startswith("ទិន្នន័យ បើកចំហ សម្រាប់ ")

    def test_words_inside_khmer_compounds_are_added_to_the_text(self):
        # For Solr, whose whitespace tokenizer sees ថវិកាជាតិ as one token: the
        # inner words go to ``text`` only, where a match ranks below the title.
        document = self.document(title="ថវិកាជាតិ", title_translated={
            "en": "National budget", "km": "ថវិកាជាតិ"})
        assert document["title"] == "ថវិកាជាតិ"
        assert "ថវិកា ជាតិ" in document["text"]
        assert "National budget" in document["text"]

    def test_a_year_is_indexed_as_its_first_day(self):
        assert self.document(publication_date="2016")["publication_date"] == "2016-01-01T00:00:00Z"
        assert self.document(publication_date="2020-05")["publication_date"] == "2020-05-01T00:00:00Z"


@pytest.mark.usefixtures("nodc_with_examples")
class TestSearch:
    def test_filter_by_theme(self):
        found = search(fq="theme:education")
        assert sorted(dataset["name"] for dataset in found["results"]) == [
            "nodc-2024-example-education-1", "nodc-2024-example-education-2"]

    def test_filter_by_language_and_conference(self):
        # the 10 example datasets; the 3 example hackathon projects have no languages or coverage
        assert search(fq='vocab_odconf_languages:km conference:"nodc-2024"')["count"] == 10
        assert search(fq="vocab_odconf_spatial_coverage:KH")["count"] == 10

    def test_filter_by_type(self):
        assert search(fq="dataset_type:reference")["count"] == 6

    def test_conference_group_lists_its_datasets(self):
        assert search(fq='groups:"nodc-2024"')["count"] == 13

    def test_a_khmer_word_inside_a_title_is_found(self):
        found = search(q="ការអប់រំ")
        assert {dataset["theme"] for dataset in found["results"]} == {"education"}

    def test_facet_values_show_titles(self):
        facets = search(**{"facet.field": json.dumps(["theme", "vocab_odconf_languages"])})
        themes = {item["name"]: item["display_name"] for item in facets["search_facets"]["theme"]["items"]}
        assert themes["education"] == "Open Data for Education"
        languages = {item["name"]: item["display_name"]
                     for item in facets["search_facets"]["vocab_odconf_languages"]["items"]}
        assert languages == {"km": "Khmer", "en": "English"}

    def test_publication_date_range(self):
        found = search(fq="publication_date:[2016-01-01T00:00:00Z TO 2016-12-31T23:59:59Z]")
        assert [dataset["name"] for dataset in found["results"]] == ["open-data-handbook-khmer"]


def test_dataset_facets_come_first_with_labels():
    facets = search_hooks.dataset_facets(__import__("collections").OrderedDict(
        [("organization", "Organizations"), ("groups", "Groups"), ("license_id", "Licenses")]))
    assert list(facets) == ["conference", "theme", "topic", "organization", "license_id",
                            "vocab_odconf_languages", "dataset_type"]
    assert facets["license_id"] == "Licence"


@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_reference_page_lists_the_entries_referring_to_it(app):
    organisation = factories.Organization()
    reference = factories.Dataset(type="reference", owner_org=organisation["id"],
                                  title="Open Data Survey", document_kind="survey")
    factories.Dataset(owner_org=organisation["id"], license_id="cc-by",
                      title="Budget transparency", references=[reference["name"]])
    page = app.get(f"/reference/{reference['name']}")
    assert "Budget transparency" in page.body
    assert "Link not yet available" in page.body


@pytest.mark.usefixtures("nodc")
def test_facet_values_in_khmer(app):
    results = {"search_facets": {
        "theme": {"items": [{"name": "education", "display_name": "education", "count": 2}]},
        "conference": {"items": [{"name": "nodc-2024", "display_name": "nodc-2024", "count": 2}]},
        "vocab_odconf_languages": {"items": [{"name": "km", "display_name": "km", "count": 2}]},
    }}
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "km"}):
        facets = search_hooks.after_dataset_search(results, {"rows": 20})["search_facets"]
    assert facets["theme"]["items"][0]["display_name"] == "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ"
    assert facets["conference"]["items"][0]["display_name"] == "សន្និសីទជាតិស្ដីពីទិន្នន័យបើកចំហ ឆ្នាំ២០២៤"
    assert facets["vocab_odconf_languages"]["items"][0]["display_name"] == "ខ្មែរ"


@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_a_khmer_word_inside_a_compound_is_found_below_the_word_itself():
    organisation = factories.Organization()
    # Indexed first, the compound would come first on equal rank.
    for name, title in (("national-budget", "ថវិកាជាតិ"), ("budget", "ថវិកា")):
        factories.Dataset(owner_org=organisation["id"], license_id="cc-by", name=name,
                          title=title, title_translated={"en": name, "km": title})
    assert [dataset["name"] for dataset in search(q="ថវិកា")["results"]] == [
        "budget", "national-budget"]
    assert [dataset["name"] for dataset in search(q="ជាតិ")["results"]] == ["national-budget"]


def conference_facet() -> dict[str, Any]:
    return {"search_facets": {"conference": {"items": [
        {"name": "conference-0", "display_name": "conference-0", "count": 1}]}}}


@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_facet_labels_read_every_conference_at_once_and_only_for_shown_results():
    sysadmin = factories.Sysadmin()
    organisation = factories.Organization(name="odc-test")

    def add_conference(number: int) -> None:
        helpers.call_action("group_create", {"user": sysadmin["name"]}, **conference_data(
            organisation["name"], name=f"conference-{number}",
            title_translated={"en": f"Conference {number}"}))

    add_conference(0)
    one = statements_run(lambda: search_hooks.after_dataset_search(conference_facet(), {"rows": 20}))
    for number in range(1, 6):
        add_conference(number)
    labelled = search_hooks.after_dataset_search(conference_facet(), {"rows": 20})
    assert labelled["search_facets"]["conference"]["items"][0]["display_name"] == "Conference 0"
    assert statements_run(
        lambda: search_hooks.after_dataset_search(conference_facet(), {"rows": 20})) == one
    # a search for counts only is left as it is, without reading anything
    counted = {}
    assert statements_run(lambda: counted.update(
        search_hooks.after_dataset_search(conference_facet(), {"rows": 0}))) == 0
    assert counted["search_facets"]["conference"]["items"][0]["display_name"] == "conference-0"

"""package_search on the embedded backend: each part of Solr's query language."""
from __future__ import annotations

import pytest
from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .conftest import SEARCH_ONLY

pytestmark = SEARCH_ONLY


def names(**params) -> list[str]:
    """Names of the datasets package_search returns, in order."""
    result = call_action("package_search", **params)
    return [d["name"] for d in result["results"]]


@pytest.fixture
def rivers():
    """A small catalogue of three datasets with distinct words, tags and extras."""
    org = factories.Organization(name="mrc")
    return [
        factories.Dataset(
            name="mekong-water-levels", title="Mekong water levels",
            notes="Daily gauges along the river", owner_org=org["id"],
            tags=[{"name": "water"}, {"name": "hydrology"}],
            extras=[{"key": "coverage", "value": "Kratie Stung Treng"}]),
        factories.Dataset(
            name="tonle-sap-fisheries", title="Tonle Sap fisheries",
            notes="Fish catch around the great lake; water quality annex",
            tags=[{"name": "fisheries"}, {"name": "water"}]),
        factories.Dataset(
            name="school-census", title="School census 2023",
            notes="Enrolment by province", tags=[{"name": "education"}]),
    ]


class TestFreeText:
    def test_words_are_found_with_english_stemming(self, rivers):
        assert names(q="gauge") == ["mekong-water-levels"]
        assert names(q="rivers") == ["mekong-water-levels"]

    def test_title_weighs_more_than_notes(self, rivers):
        # "water" is in the title of one, only in the notes of the other
        assert names(q="water quality", sort="score desc")[:1] == ["tonle-sap-fisheries"]
        assert names(q="water", sort="score desc") == ["mekong-water-levels", "tonle-sap-fisheries"]

    def test_minimum_should_match_of_dismax(self, rivers):
        # two words: both required; an absent word makes it fail
        assert names(q="mekong gauges") == ["mekong-water-levels"]
        assert names(q="mekong elephants") == []
        # three words: all but one
        assert names(q="mekong gauges elephants") == ["mekong-water-levels"]

    def test_quoted_phrase_keeps_word_order(self, rivers):
        assert names(q='"great lake"') == ["tonle-sap-fisheries"]
        assert names(q='"lake great"') == []

    def test_extras_and_tags_are_searchable_text(self, rivers):
        assert names(q="Kratie") == ["mekong-water-levels"]
        assert names(q="hydrology") == ["mekong-water-levels"]

    def test_no_query_returns_everything(self, rivers):
        assert call_action("package_search")["count"] == 3


class TestFieldQueries:
    def test_field_value(self, rivers):
        assert names(q="tags:education") == ["school-census"]
        assert names(q="name:tonle-sap-fisheries") == ["tonle-sap-fisheries"]
        assert names(q="organization:mrc") == ["mekong-water-levels"]

    def test_field_with_alternatives(self, rivers):
        found = names(q="tags:(education OR fisheries)", sort="name asc")
        assert found == ["school-census", "tonle-sap-fisheries"]

    def test_required_and_prohibited_clauses(self, rivers):
        assert names(q="+tags:water -tags:fisheries") == ["mekong-water-levels"]
        assert names(q="tags:water AND NOT tags:hydrology") == ["tonle-sap-fisheries"]

    def test_and_or_not(self, rivers):
        assert names(q="tags:water AND tags:fisheries") == ["tonle-sap-fisheries"]
        found = names(q="tags:education OR tags:hydrology", sort="name asc")
        assert found == ["mekong-water-levels", "school-census"]
        assert names(q="tags:water NOT tags:hydrology") == ["tonle-sap-fisheries"]

    def test_text_field_query(self, rivers):
        assert names(q="title:census") == ["school-census"]
        assert names(q="notes:census") == []
        assert names(q="title:lake") == []
        assert names(q="notes:lake") == ["tonle-sap-fisheries"]

    def test_wildcards_on_string_fields(self, rivers):
        assert names(q="name:tonle*") == ["tonle-sap-fisheries"]
        assert names(q="name:*census") == ["school-census"]
        assert names(q="tags:fish?ries") == ["tonle-sap-fisheries"]
        assert names(q="tags:Fish*") == []  # string fields are case-sensitive, as in Solr

    def test_prefix_on_text_fields(self, rivers):
        assert names(q="title:fisher*") == ["tonle-sap-fisheries"]

    def test_existence(self, rivers):
        assert names(q="organization:*") == ["mekong-water-levels"]
        assert names(q="-organization:*", sort="name asc") == ["school-census", "tonle-sap-fisheries"]

    def test_date_ranges(self, rivers):
        assert call_action("package_search", q="metadata_created:[NOW-1DAY TO NOW+1DAY]")["count"] == 3
        assert call_action("package_search", q="metadata_created:[* TO 2001-01-01T00:00:00Z]")["count"] == 0
        assert call_action("package_search", q="metadata_modified:{2001-01-01T00:00:00Z TO *}")["count"] == 3

    def test_number_ranges(self, rivers):
        factories.Resource(package_id=rivers[0]["id"])
        factories.Resource(package_id=rivers[0]["id"])
        factories.Resource(package_id=rivers[1]["id"])
        assert names(q="num_resources:[2 TO *]") == ["mekong-water-levels"]
        assert names(q="num_resources:[1 TO 1]") == ["tonle-sap-fisheries"]
        assert names(q="num_resources:{0 TO 2}") == ["tonle-sap-fisheries"]


class TestFiltersFacetsSortingPaging:
    def test_fq_and_fq_list(self, rivers):
        assert names(q="water", fq="tags:fisheries") == ["tonle-sap-fisheries"]
        assert names(fq_list=["tags:water", "-tags:fisheries"]) == ["mekong-water-levels"]

    def test_facet_counts_cover_the_whole_result(self, rivers):
        result = call_action("package_search", q="tags:water", rows=1,
                             **{"facet.field": '["tags"]'})
        assert len(result["results"]) == 1
        assert result["facets"]["tags"] == {"water": 2, "hydrology": 1, "fisheries": 1}

    def test_facet_limit_and_mincount(self, rivers):
        result = call_action("package_search", **{"facet.field": '["tags"]', "facet.limit": 1})
        assert result["facets"]["tags"] == {"water": 2}
        result = call_action("package_search", **{"facet.field": '["tags"]', "facet.mincount": 2})
        assert result["facets"]["tags"] == {"water": 2}

    def test_sort_on_fields(self, rivers):
        assert names(sort="name asc") == ["mekong-water-levels", "school-census", "tonle-sap-fisheries"]
        assert names(sort="title_string desc") == ["tonle-sap-fisheries", "school-census", "mekong-water-levels"]
        assert names(sort="metadata_created asc") == [d["name"] for d in rivers]

    def test_rows_and_start(self, rivers):
        everything = names(sort="name asc")
        assert names(sort="name asc", rows=2) == everything[:2]
        assert names(sort="name asc", rows=2, start=2) == everything[2:]
        assert call_action("package_search", rows=1)["count"] == 3

    def test_field_list(self, rivers):
        result = call_action("package_search", q="census", fl="name,title")
        assert result["results"] == [{"name": "school-census", "title": "School census 2023"}]


class TestMalformedQueries:
    @pytest.mark.parametrize("params", [
        {"q": "title:(census"},
        {"q": 'title:"census'},
        {"q": "metadata_created:[2020-01-01T00:00:00Z TO"},
        {"q": "metadata_created:[yesterday TO today]"},
        {"fq": "tags:(water"},
        {"q": "name:x'); DROP TABLE package; --"},
    ])
    def test_validation_error(self, rivers, params):
        with pytest.raises(ValidationError) as error:
            call_action("package_search", **params)
        assert "Search query is invalid" in str(error.value.error_dict)

    def test_api_answers_409_not_500(self, app, rivers):
        response = app.get("/api/3/action/package_search", query_string={"q": "title:(census"},
                           status=409)
        error = response.json["error"]
        assert error["__type"] == "Validation Error"
        assert "Search query is invalid" in error["q"][0]

    def test_dataset_page_answers_400_not_500(self, app, rivers):
        app.get("/dataset/", query_string={"q": "title:(census"}, status=400)

    def test_query_text_never_reaches_sql(self, rivers):
        assert names(q="name:\"x'); DROP TABLE package; --\"") == []
        assert names(q="'; DELETE FROM odconf_search.document; --") == []
        assert names(q="tags:*'*") == []
        assert call_action("package_search")["count"] == 3


class TestPagesAndCounts:
    def test_dataset_page_lists_results_and_facets(self, app, rivers):
        page = app.get("/dataset/", query_string={"q": "water", "tags": "hydrology"}).body
        assert "Mekong water levels" in page
        assert "Tonle Sap fisheries" not in page
        assert "1 dataset found" in page

    def test_group_and_organization_counts(self, rivers):
        group = factories.Group(name="rivers-group")
        call_action("member_create", id=group["id"], object=rivers[0]["id"],
                    object_type="package", capacity="public")
        call_action("member_create", id=group["id"], object=rivers[1]["id"],
                    object_type="package", capacity="public")
        groups = call_action("group_list", all_fields=True)
        assert [(g["name"], g["package_count"]) for g in groups] == [("rivers-group", 2)]
        organizations = call_action("organization_list", all_fields=True)
        assert [(o["name"], o["package_count"]) for o in organizations] == [("mrc", 1)]
        assert names(fq="groups:rivers-group", sort="name asc") == [
            "mekong-water-levels", "tonle-sap-fisheries"]

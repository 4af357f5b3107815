"""The ``odconf`` RDF profile: each mapping as a consumer reads it, and the way back.

The graphs are fetched from the site's own endpoints (``/dataset/<id>.ttl``),
as a harvester would, and read with rdflib; the parse direction goes through
ckanext-dcat's ``RDFParser`` with and without this profile.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS as DCT, FOAF, RDF, SKOS

from tests.dcat.conftest import OUTSIDE_URL, SURVEY_URL

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SITE = "http://test.ckan.net"
SCHEME = URIRef(f"{SITE}/conference/odc-test-2025/themes")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
CC_BY_SA = URIRef("http://www.opendefinition.org/licenses/cc-by-sa")


def _graph(app: Any, path: str) -> rdflib.Graph:
    answer = app.get(path)
    assert answer.status_code == 200, answer.body[:500]
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def _uri(entry: dict[str, Any]) -> URIRef:
    return URIRef(f"{SITE}/dataset/{entry['id']}")


def _parsed(turtle: str, profiles: list[str]) -> dict[str, Any]:
    parser = RDFParser(profiles=profiles)
    parser.parse(turtle, _format="turtle")
    (dataset,) = list(parser.datasets())
    return dataset


@pytest.fixture
def graph(cited: dict[str, Any], app: Any) -> rdflib.Graph:
    return _graph(app, "/dataset/school-enrolment.ttl")


def test_theme_and_topic_are_concepts_of_the_editions_scheme(cited, graph):
    dataset = _uri(cited["dataset"])
    theme, topic = URIRef(f"{SCHEME}#education"), URIRef(f"{SCHEME}#education/schools")
    assert set(graph.objects(dataset, DCAT.theme)) == {theme, topic}
    assert (theme, SKOS.inScheme, SCHEME) in graph
    assert (topic, SKOS.broader, theme) in graph
    assert set(graph.objects(theme, SKOS.prefLabel)) == {
        Literal("Open Data for Education", lang="en"),
        Literal("ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ", lang="km")}
    # ckanext-dcat alone would have written the slug as a relative URI
    assert not [uri for uri in graph.objects(dataset, DCAT.theme) if not str(uri).startswith("http")]


def test_the_scheme_is_published_with_every_theme_and_topic(cited, app):
    for extension, rdf_format in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")):
        answer = app.get(f"/conference/odc-test-2025/themes.{extension}")
        assert answer.status_code == 200
        scheme = rdflib.Graph().parse(data=answer.body, format=rdf_format)
        assert (SCHEME, RDF.type, SKOS.ConceptScheme) in scheme
        assert {str(notation) for notation in scheme.objects(None, SKOS.notation)} == {
            "education", "schools", "teachers", "health", "clinics", "business"}
        assert Literal("ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ", lang="km") in set(
            scheme.objects(URIRef(f"{SCHEME}#education"), SKOS.prefLabel))


@pytest.mark.parametrize("path", ["/conference/no-such-edition/themes.ttl",
                                  "/conference/odc-test-2025/themes.exe",
                                  "/conference/odc-test/themes.ttl"])
def test_unknown_edition_or_format_is_not_found(cited, app, path):
    # odc-test is an organisation, not a conference
    assert app.get(path).status_code == 404


def test_references_point_to_the_entry_and_the_outside_address(cited, app, graph):
    dataset, reference = _uri(cited["dataset"]), _uri(cited["reference"])
    assert set(graph.objects(dataset, DCT.references)) == {reference, URIRef(OUTSIDE_URL)}
    assert (reference, FOAF.page, URIRef(SURVEY_URL)) in graph
    reference_graph = _graph(app, "/dataset/survey-2020.ttl")
    assert set(reference_graph.objects(reference, DCT.isReferencedBy)) == {dataset}


def test_hidden_citing_entries_are_not_named(cited, app):
    sysadmin = {"user": cited["sysadmin"]["name"]}
    helpers.call_action("package_patch", sysadmin, id="hidden-private", references=["survey-2020"])
    reference_graph = _graph(app, "/dataset/survey-2020.ttl")
    assert set(reference_graph.objects(_uri(cited["reference"]), DCT.isReferencedBy)) == {
        _uri(cited["dataset"])}
    # control: the private entry does cite it, for who may read it
    assert helpers.call_action("package_show", sysadmin, id="hidden-private")["references"] == [
        "survey-2020"]


def test_license_on_the_dataset_and_each_distribution(cited, graph):
    dataset = _uri(cited["dataset"])
    assert set(graph.objects(dataset, DCT.license)) == {CC_BY_SA}
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert distributions
    for distribution in distributions:
        assert set(graph.objects(distribution, DCT.license)) == {CC_BY_SA}
    assert (CC_BY_SA, RDF.type, DCT.LicenseDocument) in graph


def test_languages_are_eu_authority_uris(cited, graph):
    assert set(graph.objects(_uri(cited["dataset"]), DCT.language)) == {
        URIRef(EU_LANGUAGE + "KHM"), URIRef(EU_LANGUAGE + "ENG")}


def test_khmer_and_english_title_and_description(cited, graph):
    dataset = _uri(cited["dataset"])
    assert set(graph.objects(dataset, DCT.title)) == {
        Literal("School enrolment", lang="en"), Literal("ការចុះឈ្មោះចូលរៀន", lang="km")}
    assert set(graph.objects(dataset, DCT.description)) == {
        Literal("Pupils by province.", lang="en"), Literal("សិស្សតាមខេត្ត។", lang="km")}


def test_the_conference_is_a_catalog_of_its_own(cited, graph):
    conference = URIRef(f"{SITE}/conference/odc-test-2025")
    assert set(graph.objects(_uri(cited["dataset"]), DCT.isPartOf)) == {conference}
    assert (conference, RDF.type, DCAT.Catalog) in graph
    assert (conference, DCAT.themeTaxonomy, SCHEME) in graph
    assert Literal("សន្និសីទសាកល្បង ២០២៥", lang="km") in set(graph.objects(conference, DCT.title))


def test_round_trip_with_the_profile(cited, app):
    turtle = app.get("/dataset/school-enrolment.ttl").body
    dataset = _parsed(turtle, ["odconf_spatial", "euro_dcat_ap_3", "odconf"])
    assert dataset["conference"] == "odc-test-2025"
    assert (dataset["theme"], dataset["topic"]) == ("education", "schools")
    assert dataset["references"] == sorted(["survey-2020", OUTSIDE_URL])
    assert dataset["license_id"] == "cc-by-sa"
    assert sorted(dataset["language"]) == ["en", "km"]
    assert dataset["title_translated"] == {"en": "School enrolment", "km": "ការចុះឈ្មោះចូលរៀន"}
    assert dataset["notes_translated"]["km"] == "សិស្សតាមខេត្ត។"
    assert dataset["spatial_coverage"] == ["KH", "KH-12"]
    assert [(resource["url"], resource["format"]) for resource in dataset["resources"]] == [
        ("https://example.org/enrolment.csv", "CSV")]


def test_round_trip_of_a_reference_entry(cited, app):
    dataset = _parsed(app.get("/dataset/survey-2020.ttl").body,
                      ["odconf_spatial", "euro_dcat_ap_3", "odconf"])
    assert (dataset["type"], dataset["document_kind"], dataset["url"]) == (
        "reference", "survey", SURVEY_URL)
    assert dataset["title_translated"]["km"] == "ការស្ទង់មតិទិន្នន័យបើកចំហ"


def test_round_trip_of_every_example_entry(nodc_with_examples, app):
    for name in helpers.call_action("package_list"):
        entry = helpers.call_action("package_show", id=name)
        dataset = _parsed(app.get(f"/dataset/{name}.ttl").body,
                          ["odconf_spatial", "euro_dcat_ap_3", "odconf"])
        assert dataset.get("type", "dataset") == entry["type"], name
        for field in ("conference", "theme", "topic", "license_id", "document_kind",
                      "challenge_theme", "team_name", "award", "project_status"):
            assert (dataset.get(field) or None) == entry.get(field), (name, field)
        assert sorted(dataset.get("language", [])) == sorted(entry.get("language") or []), name
        # uploaded files: their media type and checksum (DCAT-AP 3 writes them apart)
        resources = {resource["url"]: resource for resource in dataset.get("resources", [])}
        for resource in entry.get("resources", []):
            for field in ("mimetype", "hash"):
                assert resources[resource["url"]].get(field) == resource.get(field), (name, field)
        assert dataset.get("references", []) == sorted(entry.get("references") or []), name
        assert dataset["title_translated"] == {
            language: text for language, text in entry["title_translated"].items() if text}, name


def test_a_stock_consumer_still_reads_the_core(cited, app):
    # euro_dcat_ap_3 alone, as a portal without this extension would parse it
    dataset = _parsed(app.get("/dataset/school-enrolment.ttl").body, ["euro_dcat_ap_3"])
    extras = {extra["key"]: extra["value"] for extra in dataset.get("extras", [])}
    assert dataset["title"] == "School enrolment"
    assert dataset["notes"] == "Pupils by province."
    assert dataset["license_id"] == "cc-by-sa"
    assert [tag["name"] for tag in dataset["tags"]] == ["schools"]
    assert sorted(json.loads(dataset.get("language") or extras["language"])) == [
        EU_LANGUAGE + "ENG", EU_LANGUAGE + "KHM"]
    # the format as DCAT-AP 3 names it: the EU's file type
    assert [(resource["url"], resource["format"]) for resource in dataset["resources"]] == [
        ("https://example.org/enrolment.csv",
         "http://publications.europa.eu/resource/authority/file-type/CSV")]

"""A hackathon project in the catalogue's RDF: its mapping, the way back, and what is never exported.

The projects are those of the judging tests (tests/hackathon/judging_fixtures.py):
four submitted projects of NODC 2024, scored by two judges; the committee
publishes the results (the awards) and then publishes ``alpha`` only.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
import rdflib
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS as DCT, FOAF, PROV, RDF, SKOS

from tests.hackathon.conftest import call, hackathon  # noqa: F401 (fixtures)
from tests.hackathon.judging_fixtures import judging, score, stored_scores  # noqa: F401

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SCHEMA = rdflib.Namespace("http://schema.org/")
ODCONF = rdflib.Namespace("https://github.com/opendevcam/ckanext-odconf/ns#")
SITE = "http://test.ckan.net"
PROFILES = ["odconf_spatial", "euro_dcat_ap_3", "odconf"]


@pytest.fixture
def results(judging: Any, score: Any) -> dict[str, Any]:
    """Every project scored, the results published (alpha first, bravo second,
    charlie third), then alpha published; the others stay submitted."""
    for judge, project, value in (("gita", "alpha", 4), ("gita", "charlie", 5), ("gita", "delta", 3),
                                  ("hok", "bravo", 3), ("hok", "charlie", 1), ("hok", "delta", 1)):
        score(judge, project, value)
    call("chair", "odconf_hackathon_results_publish", conference="nodc-2024")
    call("chair", "package_patch", id="alpha", project_status="published")
    return {name: call("chair", "package_show", id=name) for name in judging["projects"]}


def _uri(entry: dict[str, Any]) -> URIRef:
    return URIRef(f"{SITE}/dataset/{entry['id']}")


def _token(user: str) -> dict[str, str]:
    token = helpers.call_action("api_token_create", {"user": user}, user=user, name="t")["token"]
    return {"Authorization": token}


def _graph(app: Any, path: str, **kwargs: Any) -> rdflib.Graph:
    answer = app.get(path, **kwargs)
    assert answer.status_code == 200, answer.body[:300]
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def test_a_published_project_is_a_dataset_with_its_kind_team_sources_and_award(results, app):
    alpha = results["alpha"]
    project = _uri(alpha)
    graph = _graph(app, "/dataset/alpha.ttl")
    assert (project, RDF.type, DCAT.Dataset) in graph
    (kind,) = graph.objects(project, DCT.type)
    assert graph.value(kind, SKOS.notation) == Literal("hackathon-project")
    assert set(graph.objects(kind, SKOS.prefLabel)) == {
        Literal("Hackathon project", lang="en"), Literal("គម្រោងហេកកាថុន", lang="km")}
    (team,) = graph.objects(project, DCT.creator)
    assert (team, RDF.type, FOAF.Agent) in graph
    assert graph.value(team, FOAF.name) == Literal("Team Alpha")
    rainfall = helpers.call_action("package_show", id="rainfall")
    assert set(graph.objects(project, PROV.wasDerivedFrom)) == {_uri(rainfall)}
    assert set(graph.objects(project, SCHEMA.award)) == {
        Literal("First prize", lang="en"), Literal("ជ័យលាភីលេខ១", lang="km")}
    assert set(graph.objects(project, DCT.description)) == {
        Literal("Where the schools are", lang="en"), Literal("តើសាលារៀននៅឯណា", lang="km")}
    assert set(graph.objects(project, DCT.isPartOf)) == {URIRef(f"{SITE}/conference/nodc-2024")}
    assert URIRef(f"{SITE}/conference/nodc-2024/themes#education") in set(
        graph.objects(project, DCAT.theme))


#: Everything the catalogue says of a project itself: none of it is a score.
PROJECT_PREDICATES = {
    RDF.type, DCT.type, DCT.title, DCT.description, DCT.identifier, DCT.issued, DCT.modified,
    DCT.publisher, DCT.license, DCT.isPartOf, DCT.creator, DCAT.theme, PROV.wasDerivedFrom,
    SCHEMA.award, SCHEMA.codeRepository, SCHEMA.url, ODCONF.problem, ODCONF.solution,
}


def test_the_judges_scores_are_never_exported(results, app):
    # control: the scores exist, and who gave them
    assert {judge for _project, judge, _criterion, _score in stored_scores()} == {"gita", "hok"}
    project = _uri(results["alpha"])
    for path, rdf_format in (("/dataset/alpha.ttl", "turtle"), ("/catalog.ttl", "turtle"),
                             ("/dataset/alpha.jsonld", "json-ld"), ("/catalog.rdf", "xml")):
        body = app.get(path).body
        graph = rdflib.Graph().parse(data=body, format=rdf_format)
        assert set(graph.predicates(project, None)) <= PROJECT_PREDICATES, path
        # nor who judged it
        assert not re.search(r"\b(gita|hok)\b|/user/", body, re.IGNORECASE), path


def test_a_project_reads_back_with_the_profile(results, app):
    parser = RDFParser(profiles=PROFILES)
    parser.parse(app.get("/dataset/alpha.ttl").body, _format="turtle")
    (parsed,) = list(parser.datasets())
    alpha = results["alpha"]
    for field in ("type", "title_translated", "tagline", "conference", "challenge_theme",
                  "team_name", "problem", "solution", "repository_url", "demo_url",
                  "license_id", "award", "project_status"):
        assert parsed.get(field) == alpha.get(field), field
    assert parsed["datasets_used"] == ["rainfall"]
    assert parsed["owner_org"] == "nodc-2024-hackathon"
    # a stock consumer still gets the title and the tagline (and would get the
    # licence from the project's outputs: ckanext-dcat reads it from distributions)
    stock = RDFParser(profiles=["euro_dcat_ap_3"])
    stock.parse(app.get("/dataset/alpha.ttl").body, _format="turtle")
    (core,) = list(stock.datasets())
    assert (core["title"], core["notes"]) == ("Alpha", "Where the schools are")


def test_an_unpublished_project_is_never_exported(results, app):
    bravo = results["bravo"]
    assert (bravo["project_status"], bravo["award"]) == ("submitted", "second")
    for headers in ({}, _token("team"), _token("chair"), _token("admin")):
        for extension in ("ttl", "jsonld", "rdf"):
            assert app.get(f"/dataset/bravo.{extension}", headers=headers).status_code == 404
        catalogue = _graph(app, "/catalog.ttl", headers=headers)
        assert _uri(bravo) not in set(catalogue.subjects(RDF.type, DCAT.Dataset))
        assert _uri(results["alpha"]) in set(catalogue.subjects(RDF.type, DCAT.Dataset))
    # control: once the committee publishes it, it is exported
    call("chair", "package_patch", id="bravo", project_status="published")
    assert _uri(bravo) in set(_graph(app, "/catalog.ttl").subjects(RDF.type, DCAT.Dataset))
    assert app.get("/dataset/bravo.ttl").status_code == 200


def test_a_used_dataset_made_private_is_no_longer_named(results, app):
    project, rainfall = _uri(results["alpha"]), helpers.call_action("package_show", id="rainfall")
    for _fill in range(2):  # the second fetch is answered from the cache
        assert set(_graph(app, "/catalog.ttl").objects(project, PROV.wasDerivedFrom)) == {
            _uri(rainfall)}
    helpers.call_action("package_patch", id="rainfall", private=True)
    assert set(_graph(app, "/catalog.ttl").objects(project, PROV.wasDerivedFrom)) == set()
    assert set(_graph(app, "/dataset/alpha.ttl").objects(project, PROV.wasDerivedFrom)) == set()

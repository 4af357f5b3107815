"""The cache of each dataset's serialised RDF: what a harvester gets once it is warm.

Every test fetches the catalogue once to fill the cache (checked: entries are
kept, and a second fetch keeps none more, so it was answered from them), then
changes one thing a dataset's serialisation depends on and checks that the
next ``/catalog.ttl`` shows it.
"""
from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import rdflib
from ckan.common import config
from ckan.lib.redis import connect_to_redis
from ckan.tests import helpers
from ckanext.dcat import logic as stock
from rdflib import Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import DCTERMS as DCT, FOAF, RDF, SKOS

from ckanext.odconf.dcat.catalogue import DatasetPart, assemble
from tests.conftest import conference_data

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
SITE = "http://test.ckan.net"
THEME = URIRef(f"{SITE}/conference/odc-test-2025/themes#education")


def _kept() -> set[bytes]:
    """The cache entries of this site."""
    return set(connect_to_redis().scan_iter(match=f"odconf_dcat:{config['ckan.site_id']}:*"))


def _fetch(app: Any, path: str = "/catalog.ttl", **kwargs: Any) -> rdflib.Graph:
    answer = app.get(path, **kwargs)
    assert answer.status_code == 200, answer.body[:300]
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def _warm(app: Any, path: str = "/catalog.ttl") -> rdflib.Graph:
    """Fetch twice; the first fetch keeps entries, the second is answered from them."""
    before = _kept()
    first = _fetch(app, path)
    filled = _kept()
    assert filled - before, "nothing was kept in the cache"
    second = _fetch(app, path)
    assert _kept() == filled, "the second fetch was not answered from the cache"
    assert to_isomorphic(first) == to_isomorphic(second)
    return second


def _uri(entry: dict[str, Any]) -> URIRef:
    return URIRef(f"{SITE}/dataset/{entry['id']}")


def _datasets(graph: rdflib.Graph) -> set[URIRef]:
    return {URIRef(uri) for uri in graph.subjects(RDF.type, DCAT.Dataset)}


def test_a_page_holds_what_ckanext_dcat_writes(nodc_with_examples, app):
    for _run in ("cold", "warm"):
        ours = _fetch(app)
        with app.flask_app.test_request_context("/catalog.ttl"):
            theirs = rdflib.Graph().parse(
                data=stock.dcat_catalog_show({}, {"format": "ttl"}), format="turtle")
        assert len(_datasets(ours)) == len(helpers.call_action("package_list"))
        assert to_isomorphic(ours) == to_isomorphic(theirs)


def test_a_change_to_the_dataset_shows_in_the_next_page(cited, app):
    dataset = _uri(cited["dataset"])
    assert Literal("School enrolment", lang="en") in set(
        _warm(app).objects(dataset, DCT.title))
    helpers.call_action("package_patch", {"user": cited["sysadmin"]["name"]}, id="school-enrolment",
                        title_translated={"en": "School enrolment 2024", "km": "ការចុះឈ្មោះចូលរៀន"})
    assert Literal("School enrolment 2024", lang="en") in set(_fetch(app).objects(dataset, DCT.title))
    assert Literal("School enrolment", lang="en") not in set(_fetch(app).objects(dataset, DCT.title))


def test_a_theme_label_change_shows_in_the_next_page(cited, app):
    assert Literal("Open Data for Education", lang="en") in set(
        _warm(app).objects(THEME, SKOS.prefLabel))
    themes = copy.deepcopy(conference_data("odc-test")["themes"])
    themes[0]["title"] = {"en": "Open Data in Education", "km": "ទិន្នន័យបើកចំហ ក្នុងការអប់រំ"}
    helpers.call_action("group_patch", {"user": cited["sysadmin"]["name"]}, id="odc-test-2025",
                        themes=themes)
    labels = set(_fetch(app).objects(THEME, SKOS.prefLabel))
    assert labels == {Literal("Open Data in Education", lang="en"),
                      Literal("ទិន្នន័យបើកចំហ ក្នុងការអប់រំ", lang="km")}
    # the dataset page's graph too
    assert labels == set(_fetch(app, "/dataset/school-enrolment.ttl").objects(THEME, SKOS.prefLabel))


def test_a_cited_reference_made_private_disappears_from_the_next_page(cited, app):
    dataset, reference = _uri(cited["dataset"]), _uri(cited["reference"])
    sysadmin = {"user": cited["sysadmin"]["name"]}
    _fetch(app, "/dataset/school-enrolment.ttl")
    assert reference in set(_warm(app).objects(dataset, DCT.references))
    helpers.call_action("package_patch", sysadmin, id="survey-2020", private=True)
    for graph in (_fetch(app), _fetch(app, "/dataset/school-enrolment.ttl")):
        assert set(graph.objects(dataset, DCT.references)) == {URIRef("https://example.org/study")}
        assert "Open Data Survey" not in graph.serialize(format="nt")
    # control: public again, cited again
    helpers.call_action("package_patch", sysadmin, id="survey-2020", private=False)
    assert reference in set(_fetch(app).objects(dataset, DCT.references))


def test_a_cited_references_new_address_shows_in_the_next_page(cited, app):
    reference = _uri(cited["reference"])
    assert URIRef("https://example.org/open-data-survey.pdf") in set(
        _warm(app).objects(reference, FOAF.page))
    helpers.call_action("package_patch", {"user": cited["sysadmin"]["name"]}, id="survey-2020",
                        url="https://example.org/survey-2020.pdf")
    assert set(_fetch(app).objects(reference, FOAF.page)) == {
        URIRef("https://example.org/survey-2020.pdf")}


def test_a_renamed_organisation_is_the_publisher_in_the_next_page(cited, app):
    publisher = URIRef(f"{SITE}/organization/{cited['organisation']['id']}")
    assert (_uri(cited["dataset"]), DCT.publisher, publisher) in _warm(app)
    helpers.call_action("organization_patch", {"user": cited["sysadmin"]["name"]}, id="odc-test",
                        title="Open Development Cambodia")
    # stock ckanext-dcat kept organisations for the life of the process
    assert set(_fetch(app).objects(publisher, FOAF.name)) == {Literal("Open Development Cambodia")}


def test_a_reference_entry_lists_a_new_citer_in_the_next_page(cited, app):
    reference, dataset = _uri(cited["reference"]), _uri(cited["dataset"])
    assert set(_warm(app).objects(reference, DCT.isReferencedBy)) == {dataset}
    other = helpers.call_action(
        "package_create", {"user": cited["sysadmin"]["name"]}, name="teacher-census",
        title_translated={"en": "Teacher census"}, owner_org=cited["organisation"]["id"],
        license_id="cc-by", conference="odc-test-2025", theme="education",
        references=["survey-2020"])
    assert set(_fetch(app).objects(reference, DCT.isReferencedBy)) == {dataset, _uri(other)}
    assert set(_fetch(app, "/dataset/survey-2020.ttl").objects(
        reference, DCT.isReferencedBy)) == {dataset, _uri(other)}
    # a citer made private is no longer named, though the reference entry did not change
    helpers.call_action("package_patch", {"user": cited["sysadmin"]["name"]}, id="teacher-census",
                        private=True)
    for graph in (_fetch(app), _fetch(app, "/dataset/survey-2020.ttl")):
        assert set(graph.objects(reference, DCT.isReferencedBy)) == {dataset}


def test_an_entry_made_private_never_appears_though_it_was_kept(cited, app):
    dataset = _uri(cited["dataset"])
    sysadmin = {"user": cited["sysadmin"]["name"]}
    assert dataset in _datasets(_warm(app))
    _fetch(app, "/dataset/school-enrolment.ttl")
    helpers.call_action("package_patch", sysadmin, id="school-enrolment", private=True)
    answer = app.get("/catalog.ttl")
    assert dataset not in _datasets(rdflib.Graph().parse(data=answer.body, format="turtle"))
    assert "School enrolment" not in answer.body
    assert app.get("/dataset/school-enrolment.ttl").status_code in (403, 404)
    # control: its team still reads it
    token = helpers.call_action("api_token_create", sysadmin, user=sysadmin["user"], name="t")["token"]
    graph = _fetch(app, "/dataset/school-enrolment.ttl", headers={"Authorization": token})
    assert dataset in _datasets(graph)


def _schema_org(app: Any) -> rdflib.Graph:
    """The schema.org JSON-LD of the dataset page of ``school-enrolment``."""
    page = app.get("/dataset/school-enrolment").body
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return rdflib.Graph().parse(data=block, format="json-ld")


def test_the_dataset_pages_schema_org_is_kept_and_follows_what_it_shows(cited, app):
    schema = rdflib.Namespace("http://schema.org/")
    dataset = _uri(cited["dataset"])
    sysadmin = {"user": cited["sysadmin"]["name"]}
    before = _kept()
    first = _schema_org(app)
    kept = _kept()
    assert kept - before, "nothing was kept in the cache"
    assert to_isomorphic(_schema_org(app)) == to_isomorphic(first)
    assert _kept() == kept, "the second page was not answered from the cache"
    assert URIRef("https://example.org/open-data-survey.pdf") in set(
        first.objects(dataset, schema.isBasedOn))
    # a change to a cited entry, which the page's dataset does not carry
    helpers.call_action("package_patch", sysadmin, id="survey-2020",
                        url="https://example.org/survey-2020.pdf")
    based_on = set(_schema_org(app).objects(dataset, schema.isBasedOn))
    assert based_on == {URIRef("https://example.org/survey-2020.pdf"),
                        URIRef("https://example.org/study")}
    # and to the dataset itself
    helpers.call_action("package_patch", sysadmin, id="school-enrolment", license_id="odc-odbl")
    assert set(_schema_org(app).objects(dataset, schema.license)) == {
        URIRef("http://www.opendefinition.org/licenses/odc-odbl")}


@pytest.mark.ckan_config("odconf.dcat.cache_ttl", "0")
def test_with_the_cache_off_nothing_is_kept(cited, app):
    before = _kept()
    graph = _fetch(app)
    assert _uri(cited["dataset"]) in _datasets(graph)
    assert _kept() == before


def _without_paging(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph without the paging links (their addresses name the format)."""
    for page in list(graph.subjects(RDF.type, HYDRA.PagedCollection)):
        graph.remove((page, None, None))
    return graph


@pytest.mark.parametrize("extension", ["rdf", "jsonld"])
def test_other_formats_are_written_whole_and_the_same(cited, app, extension):
    rdf_format = {"rdf": "xml", "jsonld": "json-ld"}[extension]
    ours = rdflib.Graph().parse(data=app.get(f"/catalog.{extension}").body, format=rdf_format)
    assert to_isomorphic(_without_paging(ours)) == to_isomorphic(_without_paging(_warm(app)))


def test_parts_declaring_a_prefix_differently_are_read_each_with_its_own():
    first = DatasetPart(turtle="@prefix ns1: <http://a.example/> .\n\nns1:x ns1:p ns1:y .\n",
                        shared=['<http://c.example/s> <http://c.example/p> "shared" .'])
    second = DatasetPart(turtle="@prefix ns1: <http://b.example/> .\n\nns1:x ns1:p ns1:y .\n",
                         shared=['<http://c.example/s> <http://c.example/p> "shared" .'])
    text = assemble("@prefix ns1: <http://a.example/> .\n\nns1:head ns1:p 1 .\n", [first, second])
    graph = rdflib.Graph().parse(data=text, format="turtle")
    a, b = rdflib.Namespace("http://a.example/"), rdflib.Namespace("http://b.example/")
    assert (a.x, a.p, a.y) in graph and (b.x, b.p, b.y) in graph and (a.head, a.p, Literal(1)) in graph
    assert len(graph) == 4
    assert text.count('"shared"') == 1

"""ckanext-dcat's endpoints on this catalogue: what a harvester and a browser get.

Paging, ``modified_since``, content negotiation, the schema.org JSON-LD of the
dataset page, refusals of bad input (4xx, never 500) and, above all, that no
private or draft entry is ever exported.
"""
from __future__ import annotations

import datetime
import json
import re
import time
from typing import Any

import pytest
import rdflib
from ckan.tests import helpers
from rdflib import URIRef
from rdflib.namespace import DCTERMS as DCT, RDF

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
PUBLIC = {"school-enrolment", "survey-2020"}


def _catalog(app: Any, path: str, **kwargs: Any) -> rdflib.Graph:
    answer = app.get(path, **kwargs)
    assert answer.status_code == 200, answer.body[:300]
    assert answer.headers["Content-Type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=answer.body, format="turtle")


def _names(graph: rdflib.Graph) -> set[str]:
    """Names of the datasets of a graph (their URIs hold the ids)."""
    ids = {str(uri).rsplit("/", 1)[1] for uri in graph.subjects(RDF.type, DCAT.Dataset)}
    return {helpers.call_action("package_show", id=entry_id)["name"] for entry_id in ids}


def _paging(graph: rdflib.Graph) -> dict[str, str]:
    return {str(predicate).rsplit("#", 1)[1]: str(value)
            for _page, predicate, value in graph.triples((None, None, None))
            if str(predicate).startswith(str(HYDRA))}


def test_the_catalogue_exports_public_entries_only(cited, app):
    sysadmin = {"user": cited["sysadmin"]["name"]}
    # control: both hidden entries exist and the sysadmin reads them
    assert helpers.call_action("package_show", sysadmin, id="hidden-private")["private"] is True
    assert helpers.call_action("package_show", sysadmin, id="hidden-draft")["state"] == "draft"
    for headers in ({}, {"Authorization": helpers.call_action(
            "api_token_create", sysadmin, user=cited["sysadmin"]["name"], name="t")["token"]}):
        for extension, rdf_format in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld"),
                                      ("xml", "xml")):
            answer = app.get(f"/catalog.{extension}", headers=headers)
            assert answer.status_code == 200
            graph = rdflib.Graph().parse(data=answer.body, format=rdf_format)
            assert _names(graph) == PUBLIC
            assert "Hidden" not in answer.body


@pytest.mark.parametrize("name", ["hidden-private", "hidden-draft"])
def test_a_hidden_entry_is_not_served_to_the_public(cited, app, name):
    for extension in ("ttl", "rdf", "jsonld"):
        assert app.get(f"/dataset/{name}.{extension}").status_code in (403, 404)
    # control: its team (here the sysadmin) does get it
    token = helpers.call_action("api_token_create", {"user": cited["sysadmin"]["name"]},
                                user=cited["sysadmin"]["name"], name="t")["token"]
    assert app.get(f"/dataset/{name}.ttl", headers={"Authorization": token}).status_code == 200


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "3")
def test_paging_walks_every_public_entry_once(nodc_with_examples, app):
    public = set(helpers.call_action("package_list"))
    helpers.call_action("package_patch", id=sorted(public)[0], private=True)
    public -= {sorted(public)[0]}
    seen: list[str] = []
    url = "/catalog.ttl"
    pages = 0
    while url:
        graph = _catalog(app, url)
        paging = _paging(graph)
        seen += _names(graph)
        pages += 1
        assert paging["last"] == f"http://test.ckan.net/catalog.ttl?page={-(-len(public) // 3)}"
        url = paging.get("next", "").replace("http://test.ckan.net", "")
    assert pages == -(-len(public) // 3)
    assert sorted(seen) == sorted(public)


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "1")
@pytest.mark.ckan_config("ckan.site_url", "http://test.ckan.net/data")
def test_paging_links_keep_the_sites_path_prefix(cited, app):
    # behind a proxy that serves the site under /data, CKAN sees /catalog.ttl
    paging = _paging(_catalog(app, "/catalog.ttl?modified_since=2000-01-01"))
    assert paging["next"] == "http://test.ckan.net/data/catalog.ttl?modified_since=2000-01-01&page=2"
    assert paging["last"] == "http://test.ckan.net/data/catalog.ttl?modified_since=2000-01-01&page=2"
    graph = _catalog(app, "/dataset/school-enrolment.ttl")
    assert {str(uri) for uri in graph.subjects(RDF.type, DCAT.Dataset)} == {
        f"http://test.ckan.net/data/dataset/{cited['dataset']['id']}"}


def test_modified_since_gives_the_changed_entries(cited, app):
    time.sleep(0.01)
    since = datetime.datetime.now(datetime.timezone.utc)
    helpers.call_action("package_patch", {"user": cited["sysadmin"]["name"]},
                        id="survey-2020", notes_translated={"en": "Revised."})
    utc = since.replace(tzinfo=None).isoformat()
    assert _names(_catalog(app, f"/catalog.ttl?modified_since={utc}")) == {"survey-2020"}
    # the same moment written with Phnom Penh's offset
    local = since.astimezone(datetime.timezone(datetime.timedelta(hours=7))).isoformat()
    assert _names(_catalog(app, "/catalog.ttl", query_string={"modified_since": local})) == {
        "survey-2020"}
    assert _names(_catalog(app, "/catalog.ttl?modified_since=2000-01-01")) == PUBLIC


@pytest.mark.parametrize("path", [
    "/catalog.ttl?page=0", "/catalog.ttl?page=-1", "/catalog.ttl?page=abc",
    "/catalog.ttl?page=99999999999999999999", "/catalog.ttl?modified_since=garbage",
    "/catalog.ttl?modified_since=" + "9" * 5000, "/catalog.foo", "/catalog.ttl?profiles=nope",
    "/dataset/school-enrolment.foo", "/dataset/school-enrolment.ttl?profiles=nope",
])
def test_bad_input_is_refused_quickly(cited, app, path):
    started = time.monotonic()
    answer = app.get(path)
    assert answer.status_code in (400, 404, 409), answer.body[:300]
    assert time.monotonic() - started < 5


def test_content_negotiation(cited, app):
    graph = _catalog(app, "/dataset/school-enrolment", headers={"Accept": "text/turtle"})
    assert _names(graph) == {"school-enrolment"}
    assert _names(_catalog(app, "/", headers={"Accept": "text/turtle"})) == PUBLIC
    page = app.get("/dataset/school-enrolment", headers={"Accept": "text/html"})
    assert page.headers["Content-Type"].startswith("text/html")
    assert "School enrolment" in page.body


def test_the_dataset_page_carries_schema_org(cited, app):
    page = app.get("/dataset/school-enrolment").body
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    graph = rdflib.Graph().parse(data=block, format="json-ld")
    schema = rdflib.Namespace("http://schema.org/")
    dataset = URIRef(f"http://test.ckan.net/dataset/{cited['dataset']['id']}")
    assert set(graph.objects(dataset, schema.license)) == {
        URIRef("http://www.opendefinition.org/licenses/cc-by-sa")}
    assert set(graph.objects(dataset, schema.isBasedOn)) == {
        URIRef("https://example.org/open-data-survey.pdf"), URIRef("https://example.org/study")}
    conference = URIRef("http://test.ckan.net/conference/odc-test-2025")
    assert set(graph.objects(dataset, schema.isPartOf)) == {conference}
    assert (conference, RDF.type, schema.Event) in graph
    assert rdflib.Literal("ការចុះឈ្មោះចូលរៀន", lang="km") in set(graph.objects(dataset, schema.alternateName))
    # nothing of a hidden entry in the public page's data
    assert "hidden" not in json.dumps(json.loads(block)).lower()


def test_the_reference_entrys_page_names_no_hidden_citer(cited, app):
    helpers.call_action("package_patch", {"user": cited["sysadmin"]["name"]},
                        id="hidden-draft", references=["survey-2020"])
    graph = _catalog(app, "/dataset/survey-2020.ttl")
    citing = set(graph.objects(None, DCT.isReferencedBy))
    assert citing == {URIRef(f"http://test.ckan.net/dataset/{cited['dataset']['id']}")}

"""The catalogue's RDF against the DCAT-AP 3.0.1 SHACL shapes (pyshacl).

The shapes are read from ``../shared/dcat-ap-3.0.1/`` next to the repository
(SEMIC's release files, unmodified); nothing is copied into the project.
"""
from __future__ import annotations

import pathlib
from typing import Any

import pyshacl
import pytest
import rdflib

SHAPES = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "dcat-ap-3.0.1"

pytestmark = pytest.mark.skipif(
    not (SHAPES / "shapes.ttl").exists(),
    reason=f"the DCAT-AP 3.0.1 shapes are not at {SHAPES} (../shared next to the repository)")


def _violations(app: Any, path: str) -> dict[str, str]:
    answer = app.get(path)
    assert answer.status_code == 200
    data = rdflib.Graph().parse(data=answer.body, format="turtle")
    assert len(data) > 50  # a real catalogue, not an empty graph that conforms trivially
    reports = {}
    for name in ("shapes.ttl", "range.ttl"):
        shapes = rdflib.Graph().parse(SHAPES / name, format="turtle")
        conforms, _graph, text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", allow_warnings=True)
        if not conforms:
            reports[name] = text
    return reports


def test_the_demo_catalogue_conforms(nodc_with_examples, app):
    assert _violations(app, "/catalog.ttl") == {}


def test_every_mapped_field_conforms(cited, app):
    # a topic, references, a distribution, provinces, a reference entry
    assert _violations(app, "/catalog.ttl") == {}


def test_the_shapes_do_find_violations(nodc_with_examples, app):
    # control: a dataset without its mandatory description is reported
    answer = app.get("/catalog.ttl")
    data = rdflib.Graph().parse(data=answer.body, format="turtle")
    data.remove((None, rdflib.URIRef("http://purl.org/dc/terms/description"), None))
    shapes = rdflib.Graph().parse(SHAPES / "shapes.ttl", format="turtle")
    conforms, _graph, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms and "dct:description" in text

"""The example entries carry real files (``ckan odconf load --examples``),
uploaded into CKAN's storage and downloaded back from the site as a visitor
would. The expected content is read here straight from the programme file
and from pycountry, not from the code under test."""
from __future__ import annotations

import csv
import io
import json
import os
import urllib.parse
from typing import Any

import pycountry
import pytest
import rdflib
import yaml
from ckan.tests import factories, helpers
from ckanext.dcat.profiles import DCT
from ckanext.dcat.utils import dataset_uri, resource_uri
from ckanext.scheming.helpers import scheming_get_preset

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.programme import load as programme_load
from ckanext.odconf.programme.spec import read_programme

from tests.conftest import NODC_2024

pytestmark = pytest.mark.usefixtures("with_plugins")

EDITION = "nodc-2024"
THEMES = ["public-services", "education", "sustainable-development",
          "sustainable-responsible-business", "inclusive-social-development"]


def programme() -> dict[str, Any]:
    with open(NODC_2024, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def examples() -> list[dict[str, Any]]:
    """Every example entry (datasets and hackathon projects), as a visitor reads it."""
    found = helpers.call_action("package_search", fq="tags:example", rows=100)
    return [helpers.call_action("package_show", id=entry["id"]) for entry in found["results"]]


def files(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The resources of the entries, by file name."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        for resource in entry["resources"]:
            found.setdefault(resource["url"].rsplit("/", 1)[-1], []).append(dict(resource, entry=entry))
    return found


def download(app: Any, resource: dict[str, Any]) -> bytes:
    response = app.get(urllib.parse.urlsplit(resource["url"]).path)
    assert response.status_code == 200
    return response.data


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def stored_files() -> int:
    storage = tk.config["ckan.storage_path"]
    return sum(len(names) for _path, _dirs, names in os.walk(os.path.join(storage, "resources")))


@pytest.fixture(scope="class")
def nodc_once(reset_db: Any, reset_index: Any) -> None:
    """The programme and its examples, loaded once for the tests that only read them
    (a load uploads 20 files)."""
    plugins.load_all()  # as with_plugins does, which is for one test only
    try:
        reset_db()
        reset_index()
        programme = read_programme(NODC_2024, conferences.catalogue_names())
        programme_load.apply(programme, programme_load.plan(programme, with_examples=True))
    finally:
        plugins.unload_non_system_plugins()


@pytest.mark.usefixtures("nodc_once")
class TestTheFilesOfTheExamples:
    def test_every_example_carries_an_uploaded_file_described_in_both_languages(self):
        entries = examples()
        assert len(entries) == 13
        for entry in entries:
            assert entry["resources"], entry["name"]
            for resource in entry["resources"]:
                assert resource["url_type"] == "upload"
                assert resource["format"] in ("CSV", "JSON")
                assert resource["license_id"] in ("notspecified", "other-open")
                assert resource["size"] > 0
                for field in ("name_translated", "description_translated"):
                    assert resource[field]["en"] and resource[field]["km"], (entry["name"], field)
                assert resource["name"] == resource["name_translated"]["en"]

    def test_files_are_matched_to_the_examples_they_suit(self):
        by_file = files(examples())
        themes_with = {
            name: {resource["entry"].get("theme") for resource in resources}
            for name, resources in by_file.items()
        }
        assert themes_with[f"{EDITION}-agenda.csv"] >= set(THEMES)
        assert themes_with[f"{EDITION}-agenda.json"] == set(THEMES)
        assert themes_with[f"{EDITION}-references.csv"] == set(THEMES)
        assert themes_with["cambodia-provinces-iso-3166-2-kh.csv"] == {
            "public-services", "sustainable-development"}
        projects = [entry for entry in examples() if entry["type"] == "hackathon-project"]
        assert len(projects) == 3
        assert all(f"{EDITION}-agenda.csv" in files([project]) for project in projects)

    def test_the_agenda_csv_downloaded_is_the_programme(self, app):
        data = programme()
        dates = {day["day"]: str(day["date"]) for day in data["days"]}
        for resource in files(examples())[f"{EDITION}-agenda.csv"]:
            sessions = rows(download(app, resource))
            assert len(sessions) == 36
            assert [
                (row["id"], row["day"], row["date"], row["start"], row["end"], row["kind"],
                 row["title"], row["presenters"], row["tbc"])
                for row in sessions
            ] == [
                (item["id"], str(item["day"]), dates[item["day"]], item["start"], item["end"],
                 item["kind"], item["title"]["en"], "; ".join(item.get("presenters") or []),
                 "true" if item.get("tbc") else "false")
                for item in data["agenda"]
            ]
            breakout = next(row for row in sessions if row["id"] == "breakout-open-data-showcases")
            assert breakout["themes"] == "public-services; education; sustainable-development"
            assert resource["license_id"] == "notspecified"

    def test_the_agenda_json_downloaded_is_the_programme(self, app):
        data = programme()
        for resource in files(examples())[f"{EDITION}-agenda.json"]:
            document = json.loads(download(app, resource))
            assert document["edition"] == EDITION and document["time_zone"] == "Asia/Phnom_Penh"
            assert [
                (session["id"], session["start"], session["end"], session["kind"],
                 session["title"]["en"], session["presenters"], session["tbc"])
                for session in document["sessions"]
            ] == [
                (item["id"], item["start"], item["end"], item["kind"], item["title"]["en"],
                 item.get("presenters") or [], bool(item.get("tbc")))
                for item in data["agenda"]
            ]
            assert sum(session["tbc"] for session in document["sessions"]) == 5

    def test_the_references_csv_downloaded_lists_the_publications_cited(self, app):
        data = programme()
        publishers = {entry["name"]: entry["title"] for entry in data["organisations"]}
        for resource in files(examples())[f"{EDITION}-references.csv"]:
            publications = rows(download(app, resource))
            assert [(row["name"], row["title"], row["document_kind"], row["publisher"])
                    for row in publications] == [
                (entry["name"], entry["title"]["en"], entry["document_kind"],
                 publishers[entry["publisher"]])
                for entry in data["references"]
            ]
            survey = publications[0]
            assert survey["publication_date"] == "2020-05-31"
            assert survey["cited_in_sessions"] == "session-1"

    def test_the_provinces_csv_downloaded_are_pycountrys(self, app):
        expected = {(item.code, item.name, item.type)
                    for item in pycountry.subdivisions.get(country_code="KH")}
        coverage = {choice["value"] for choice in
                    scheming_get_preset("odconf_spatial_coverage")["choices"]}
        for resource in files(examples())["cambodia-provinces-iso-3166-2-kh.csv"]:
            provinces = rows(download(app, resource))
            assert len(provinces) == 25
            assert {(row["code"], row["name"], row["type"]) for row in provinces} == expected
            assert provinces[0]["code"] == "KH-1" and provinces[-1]["code"] == "KH-25"
            # the codes a dataset's spatial coverage offers are the same
            assert {row["code"] for row in provinces} == coverage - {"KH"}
            assert resource["license_id"] == "other-open"
            assert "Lesser General Public License 2.1 or later" in resource["description"]

    def test_the_formats_facet_of_the_dataset_page_is_filled(self, app):
        facets = helpers.call_action("package_search", **{"facet.field": '["res_format"]'})
        counts = {item["name"]: item["count"] for item in facets["search_facets"]["res_format"]["items"]}
        assert counts["CSV"] >= 10 and counts["JSON"] == 5
        page = app.get("/dataset/").body
        assert "res_format=CSV" in page and "res_format=JSON" in page

    def test_file_names_and_licence_in_the_visitors_language(self, app):
        entry = helpers.call_action("package_show", id=f"{EDITION}-example-education-1")
        resource = next(item for item in entry["resources"] if item["format"] == "CSV")
        # CKAN's list shows the first 50 characters of a file's name
        assert "Agenda of the National Open Data Conference" in app.get(f"/dataset/{entry['name']}").body
        assert "របៀបវារៈនៃសន្និសីទជាតិ" in app.get(f"/km/dataset/{entry['name']}").body
        page = f"/dataset/{entry['name']}/resource/{resource['id']}"
        english, khmer = app.get(page).body, app.get(f"/km{page}").body
        assert "The 36 sessions of the agenda" in english and "License not specified" in english
        assert "វគ្គទាំង ៣៦ នៃរបៀបវារៈ" in khmer and "The 36 sessions" not in khmer
        # the file's own licence, not the dataset's; no stored value shown raw
        assert "Creative Commons Attribution" not in english
        assert "{&#39;en&#39;" not in english and "notspecified" not in english


    def test_a_file_keeps_its_own_licence_in_dcat(self, app):
        entry = helpers.call_action("package_show", id=f"{EDITION}-example-public-services-1")
        graph = rdflib.Graph().parse(data=app.get(f"/dataset/{entry['name']}.ttl").body, format="turtle")
        dataset = rdflib.URIRef(dataset_uri(entry))
        assert list(graph.objects(dataset, DCT.license)) == [
            rdflib.URIRef("http://www.opendefinition.org/licenses/cc-by")]
        for resource in entry["resources"]:
            # "License not specified" has no URI: the file gets none, not the dataset's
            assert list(graph.objects(rdflib.URIRef(resource_uri(resource)), DCT.license)) == []


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestLoadingTheFiles:
    def test_a_second_load_changes_nothing_and_duplicates_nothing(self, load_programme):
        first = load_programme(examples=True)
        assert len([label for label in first.created if label.startswith("file ")]) == 20
        resources = sum(len(entry["resources"]) for entry in examples())
        stored = stored_files()
        again = load_programme(examples=True)
        assert again.created == [] and again.updated == []
        assert sum(len(entry["resources"]) for entry in examples()) == resources == 20
        assert stored_files() == stored

    def test_a_changed_programme_replaces_the_file_in_place(self, load_programme, app, tmp_path):
        load_programme(examples=True)
        before = {resource["id"] for resource in files(examples())[f"{EDITION}-agenda.csv"]}
        changed = tmp_path / "nodc-2024.yaml"
        with open(NODC_2024, encoding="utf-8") as stream:
            text = stream.read()
        changed.write_text(text.replace("title: {en: Networking", "title: {en: Networking and farewell"),
                           encoding="utf-8")
        report = load_programme(str(changed), examples=True)
        assert f"file {EDITION}-example-education-1/{EDITION}-agenda.csv" in report.updated
        agenda = files(examples())[f"{EDITION}-agenda.csv"]
        assert {resource["id"] for resource in agenda} == before
        for resource in agenda:
            assert rows(download(app, resource))[-1]["title"] == "Networking and farewell"

    def test_a_dry_run_uploads_nothing(self, load_programme):
        report = load_programme(examples=True, dry_run=True)
        assert len([label for label in report.created if label.startswith("file ")]) == 20
        assert model.Session.query(model.Resource).count() == 0

    @pytest.mark.ckan_config("ckan.storage_path", "")
    def test_without_a_storage_path_nothing_is_written(self, load_programme):
        with pytest.raises(programme_load.LoadFailed, match="ckan.storage_path is not set"):
            load_programme(examples=True)
        assert model.Session.query(model.Package).count() == 0
        assert model.Session.query(model.Group).count() == 0


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestTheFileFields:
    """The resource fields the example files use, as any writer meets them."""

    def dataset(self) -> dict[str, Any]:
        return factories.Dataset(owner_org=factories.Organization()["id"], license_id="cc-by")

    @pytest.mark.parametrize("hostile", [
        {"license_id": "no-such-licence"},
        {"license_id": ["cc-by"]},
        {"name_translated": ["a", "list"]},
        {"name_translated": {"en": 5}},
        {"description_translated": "not a mapping"},
    ])
    def test_hostile_values_are_refused_and_nothing_is_stored(self, hostile):
        dataset = self.dataset()
        with pytest.raises(tk.ValidationError) as refused:
            helpers.call_action("resource_create", package_id=dataset["id"],
                                url="https://example.org/data.csv", **hostile)
        assert set(refused.value.error_dict) == set(hostile)
        assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []

    def test_a_plain_name_still_names_the_file(self):
        dataset = self.dataset()
        named = helpers.call_action("resource_create", package_id=dataset["id"],
                                    url="https://example.org/data.csv", name="Enrolment 2023")
        unnamed = helpers.call_action("resource_create", package_id=dataset["id"],
                                      url="https://example.org/other.csv")
        assert named["name"] == "Enrolment 2023" and not unnamed.get("name")
        translated = helpers.call_action(
            "resource_create", package_id=dataset["id"], url="https://example.org/km.csv",
            name_translated={"en": "Schools", "km": "សាលារៀន"}, license_id="notspecified")
        assert translated["name"] == "Schools"
        assert translated["name_translated"] == {"en": "Schools", "km": "សាលារៀន"}
        assert translated["license_id"] == "notspecified"

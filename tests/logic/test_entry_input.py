"""Catalogue entries refuse malformed input with an answer naming the field,
and a refused write leaves nothing behind (issue 9).

Each hostile input is sent as an editor over HTTP (what a client sees) and
through the action function; each test compares the catalogue's footprint
(datasets, resources, index, stored files) before and after, and has a valid
control that must succeed.
"""
from __future__ import annotations

import io
import json
from typing import Any

import pytest
from ckan.tests import helpers

import ckan.model as model
import ckan.plugins.toolkit as tk
from tests.logic.entries import Answer, Editor, footprint, stored_files, valid_dataset

pytestmark = pytest.mark.usefixtures("conference")

KHMER_TITLE_3000_BYTES = "ក" * 1000

#: (case, fields replacing those of a valid dataset, field named, words of the message)
HOSTILE = [
    ("NUL in name", {"name": "schools\x002023"}, "name", "NUL"),
    ("NUL in conference", {"conference": "odc-test-2025\x00"}, "conference", "NUL"),
    ("NUL in version", {"version": "1.0\x00"}, "version", "NUL"),
    ("NUL in contact name", {"contact_name": "Data\x00team"}, "contact_name", "NUL"),
    ("NUL in theme", {"theme": "\x00"}, "theme", "NUL"),
    ("1 MB title", {"title_translated": {"en": "a" * 1_000_000}}, "title_translated",
     "Too long: 1000000 characters"),
    ("1 MB core title", {"title": "a" * 1_000_000}, "title", "Too long"),
    ("Khmer title over the index limit", {"title_translated": {"km": KHMER_TITLE_3000_BYTES}},
     "title_translated", "3000 bytes in UTF-8, at most 2000"),
    ("nested list in language", {"language": [["en"]]}, "language", "Expected a list of texts"),
    ("nested list in spatial coverage", {"spatial_coverage": [["KH"], "KH-1"]},
     "spatial_coverage", "Expected a list of texts"),
    ("resource format as a mapping", {"resources": [{"url": "https://example.org/a.csv",
                                                     "format": {"csv": True}}]},
     "resources", "Expected text, not a mapping"),
    ("tag_string as a list", {"tag_string": ["a", "b"]}, "tag_string",
     "Expected text, not a list"),
    ("owner_org as a mapping", {"owner_org": {"id": "odc-test"}}, "owner_org",
     "Expected text, not a mapping"),
    ("private=2", {"private": 2}, "private", "Expected true or false"),
    ("id=5", {"id": 5}, "id", "Expected text, not a number"),
    ("unregistered type", {"type": "x"}, "type", 'Unknown dataset type "x"'),
    ("resources as a string", {"resources": "none"}, "resources",
     "Expected a list of mappings"),
    ("tags as null", {"tags": None}, "tags", "Expected a list of mappings"),
    ("NUL in a tag", {"tags": [{"name": "ab\x00"}]}, "tags", "[0].name: Contains a NUL"),
    ("extras as a mapping", {"extras": {"key": "a"}}, "extras", "Expected a list of mappings"),
    ("JSON text nested too deep", {"contact_name": "[" * 5000 + "]" * 5000},
     "contact_name", "Nested deeper than 32 levels"),
]

#: Lone surrogates cannot be written in a Python str sent as UTF-8: they travel
#: as JSON escapes, as a hostile client sends them.
SURROGATES = [
    ("lone surrogate in name", "name"),
    ("lone surrogate in contact name", "contact_name"),
    ("lone surrogate in version", "version"),
]


def first_message(errors: dict[str, Any], field: str) -> str:
    """The first message of ``field`` (for a list of mappings, of its first item)."""
    messages = errors[field]
    first = messages[0]
    if isinstance(first, dict):
        first = next(iter(first.values()))[0]
    return first


class TestHostileCreate:
    @pytest.mark.parametrize("case, fields, field, said", HOSTILE, ids=[c[0] for c in HOSTILE])
    def test_over_http_and_through_the_action(self, app, case, fields, field, said):
        editor = Editor(app)
        before = footprint()
        answer = editor.post("package_create", valid_dataset(**fields))
        assert answer.status == 409, answer.body[:500]
        assert answer.errors["__type"] == "Validation Error"
        assert said in first_message(answer.errors, field)
        assert len(answer.body) < 2_000  # the message does not echo the input
        with pytest.raises(tk.ValidationError) as raised:
            helpers.call_action("package_create", {"user": editor.user["name"]},
                                **valid_dataset(**fields))
        assert said in first_message(raised.value.error_dict, field)
        assert footprint() == before
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("package_show", id="schools-2023")

    @pytest.mark.parametrize("case, field", SURROGATES, ids=[c[0] for c in SURROGATES])
    def test_lone_surrogate_over_http(self, app, case, field):
        editor = Editor(app)
        before = footprint()
        body = json.dumps(valid_dataset(**{field: "PLACE"})).replace("PLACE", "ab\\ud800")
        answer = editor.post("package_create", raw=body.encode())
        assert answer.status == 409
        assert "unpaired surrogate" in answer.errors[field][0]
        assert footprint() == before

    def test_valid_dataset_is_created_and_found(self, app):
        editor = Editor(app)
        before = footprint()
        answer = editor.post("package_create", valid_dataset())
        assert answer.status == 200, answer.body[:500]
        created = answer.json["result"]
        assert (created["conference"], created["theme"], created["version"]) == (
            "odc-test-2025", "education", "1.0")
        assert created["resources"][0]["format"] == "CSV"
        after = footprint()
        assert (after["packages"], after["resources"], after["indexed"]) == (
            before["packages"] + 1, before["resources"] + 1, before["indexed"] + 1)

    def test_registered_type_reference_is_accepted(self, app):
        editor = Editor(app)
        answer = editor.post("package_create", {
            "type": "reference", "name": "survey-2020", "owner_org": "odc-test",
            "title_translated": {"en": "Survey 2020"}, "document_kind": "survey"})
        assert answer.status == 200, answer.body[:500]
        assert answer.json["result"]["type"] == "reference"

    def test_dataset_page_keeps_working_after_a_refused_type(self, app):
        editor = Editor(app)
        assert editor.post("package_create", valid_dataset(type="x")).status == 409
        assert editor.post("package_create", valid_dataset()).status == 200
        page = app.get("/dataset/", status=200).body
        assert "Schools 2023" in page


class TestHostileUpdate:
    def test_refused_update_changes_nothing(self, app):
        editor = Editor(app)
        created = editor.post("package_create", valid_dataset()).json["result"]
        before = footprint()
        answer = editor.post("package_update", {**created, "version": "2.0\x00",
                                                "private": 2, "resources": None})
        assert answer.status == 409
        assert set(answer.errors) == {"version", "private", "resources", "__type"}
        assert footprint() == before
        shown = helpers.call_action("package_show", id=created["id"])
        assert (shown["version"], shown["private"]) == ("1.0", False)
        assert shown["metadata_modified"] == created["metadata_modified"]

    def test_valid_update_is_applied(self, app):
        editor = Editor(app)
        created = editor.post("package_create", valid_dataset()).json["result"]
        answer = editor.post("package_update", {**created, "version": "2.0"})
        assert answer.status == 200
        assert helpers.call_action("package_show", id=created["id"])["version"] == "2.0"


def upload(editor: Editor, name: str) -> Answer:
    """Upload a CSV file as a resource named ``name`` of a new dataset."""
    created = editor.post("package_create", valid_dataset(resources=[])).json["result"]
    return editor.post("resource_create", data={
        "package_id": created["id"], "name": name,
        "upload": (io.BytesIO(b"province,schools\nKandal,12\n"), "schools.csv"),
    }, content_type="multipart/form-data")


class TestResources:
    def test_refused_upload_stores_no_file(self, app):
        editor = Editor(app)
        before = footprint()
        answer = upload(editor, "Schools\x00")
        assert answer.status == 409
        assert "NUL" in answer.errors["name"][0]
        after = footprint()
        assert (after["resources"], after["files"]) == (before["resources"], before["files"])

    def test_valid_upload_is_stored(self, app):
        editor = Editor(app)
        files = stored_files()
        answer = upload(editor, "Schools")
        assert answer.status == 200, answer.body[:500]
        assert len(stored_files()) == len(files) + 1

    def test_format_as_a_mapping_in_resource_update(self, app):
        editor = Editor(app)
        resource = editor.post("package_create", valid_dataset()).json["result"]["resources"][0]
        answer = editor.post("resource_update", {**resource, "format": {"a": 1}})
        assert answer.status == 409
        assert answer.errors["format"] == ["Expected text, not a mapping"]
        assert helpers.call_action("resource_show", id=resource["id"])["format"] == "CSV"


class TestDeepJsonBody:
    DEEP = "[" * 100_000 + "]" * 100_000

    def test_json_body_answers_400(self, app):
        editor = Editor(app)
        before = footprint()
        answer = editor.post("package_create", raw=('{"name": ' + self.DEEP + "}").encode())
        assert answer.status == 400
        assert answer.json["error"]["message"] == (
            "The JSON body is nested deeper than 32 levels")
        assert footprint() == before

    def test_form_encoded_json_answers_400(self, app):
        editor = Editor(app)
        deep = "[" * 10_000 + "]" * 10_000  # deep enough for a RecursionError, under Flask's form limit
        answer = editor.post("package_create", data={deep: "1"},
                             content_type="application/x-www-form-urlencoded")
        assert answer.status == 400

    def test_brackets_inside_json_strings_do_not_count(self, app):
        editor = Editor(app)
        notes = "Brackets " + "[" * 40
        answer = editor.post("package_create", valid_dataset(
            notes_translated={"en": notes}))
        assert answer.status == 200, answer.body[:500]


ALIAS_BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
)


def reference(**fields: Any) -> dict[str, Any]:
    return {"type": "reference", "name": "survey-2020", "owner_org": "odc-test",
            "title_translated": {"en": "Survey 2020"}, "document_kind": "survey", **fields}


class TestStructuredYaml:
    def test_alias_bomb_is_refused_briefly(self, app):
        editor = Editor(app)
        before = footprint()
        answer = editor.post("package_create", reference(contributors=ALIAS_BOMB))
        assert answer.status == 409
        assert answer.errors["contributors"] == [
            "YAML anchors and aliases (& and *) are not accepted"]
        assert len(answer.body) < 1_000
        assert footprint() == before

    def test_deep_block_yaml_is_refused(self, app):
        editor = Editor(app)
        answer = editor.post("package_create", reference(contributors="- " * 5_000 + "odc"))
        assert answer.status == 409
        assert answer.errors["contributors"] == ["Nested deeper than 32 levels"]

    def test_long_unknown_name_is_echoed_cut(self, app):
        editor = Editor(app)
        answer = editor.post("package_create", reference(contributors=["x" * 50_000]))
        assert answer.status == 409
        message = answer.errors["contributors"][0]
        assert "x" * 100 + "…" in message and len(message) < 500

    def test_yaml_without_aliases_is_accepted(self, app):
        editor = Editor(app)
        answer = editor.post("package_create", reference(contributors="- odc-test\n"))
        assert answer.status == 200, answer.body[:500]
        assert answer.json["result"]["contributors"] == ["odc-test"]


class TestIndexAgreesWithDatabase:
    def test_update_with_the_same_data_moves_metadata_modified_in_the_index(self, app):
        editor = Editor(app)
        created = editor.post("package_create", valid_dataset()).json["result"]
        answer = editor.post("package_update", created)
        assert answer.status == 200
        stored = model.Package.get(created["id"]).metadata_modified.isoformat()
        assert stored > created["metadata_modified"]
        shown = helpers.call_action("package_show", id=created["id"])
        found = helpers.call_action("package_search", fq=f"id:{created['id']}")["results"]
        assert [shown["metadata_modified"], found[0]["metadata_modified"]] == [stored, stored]

    def test_patch_with_nothing_new_also_reindexes(self, app):
        editor = Editor(app)
        created = editor.post("package_create", valid_dataset()).json["result"]
        editor.post("package_patch", {"id": created["id"]})
        stored = model.Package.get(created["id"]).metadata_modified.isoformat()
        found = helpers.call_action("package_search", fq=f"id:{created['id']}")["results"]
        assert found[0]["metadata_modified"] == stored > created["metadata_modified"]

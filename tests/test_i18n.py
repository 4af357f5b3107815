"""Khmer: the message catalogue and the Khmer pages."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from ckan.lib.extract import extract_ckan
from ckan.tests import factories

import ckanext.odconf

PACKAGE = Path(ckanext.odconf.__file__).parent
CATALOGUE = PACKAGE / "i18n" / "km" / "LC_MESSAGES" / "ckanext-odconf"
#: Sub-packages with their own concerns (the search backend translates nothing).
NOT_EXTRACTED = {"search", "migration", "__pycache__"}


def extracted_messages() -> set[str]:
    """Messages marked for translation in the catalogue's Python and templates."""
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE),
            method_map=[("**.py", "python"), ("**.html", extract_ckan)],
            options_map={"**.html": {}},
            directory_filter=lambda path: not NOT_EXTRACTED & set(Path(path).parts),
        )
    }


def test_every_message_has_a_khmer_translation():
    with open(f"{CATALOGUE}.po", "rb") as stream:
        catalogue = read_po(stream)
    translated = {message.id: message.string for message in catalogue if message.id}
    assert extracted_messages() - set(translated) == set()
    assert [message for message, khmer in translated.items() if not khmer] == []


def test_compiled_catalogue_matches_the_po_file():
    with open(f"{CATALOGUE}.po", "rb") as po, open(f"{CATALOGUE}.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert {m.id: m.string for m in compiled if m.id} == {m.id: m.string for m in source if m.id}


@pytest.mark.usefixtures("nodc_with_examples")
class TestKhmerPages:
    def test_facets_in_khmer(self, app):
        page = app.get("/km/dataset/").body
        assert "ប្រធានបទរង" in page and "សន្និសីទ" in page
        assert "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ" in page  # a theme facet value, by its Khmer title

    def test_dataset_title_in_the_page_language(self, app):
        name = "nodc-2024-example-education-1"
        assert "សំណុំទិន្នន័យឧទាហរណ៍ទី១" in app.get(f"/km/dataset/{name}").body
        english = app.get(f"/dataset/{name}").body
        assert "Example dataset 1 for “Open Data for Education”" in english

    def test_validation_errors_in_khmer(self, app):
        sysadmin = factories.Sysadmin()
        token = factories.APIToken(user=sysadmin["name"])["token"]
        response = app.post(
            "/api/3/action/package_create",
            json={"name": "x-2024", "title": "X", "license_id": "cc-nc", "owner_org": "odc"},
            headers={"Authorization": token, "Accept-Language": "km"},
            environ_overrides={"CKAN_LANG": "km"},
            status=409,
        )
        assert "មិនត្រូវបានទទួលយកទេ" in response.json["error"]["license_id"][0]

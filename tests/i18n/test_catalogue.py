"""Khmer: the message catalogue, and CKAN's own messages it translates."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from ckan.lib import i18n as ckan_i18n
from ckan.tests import factories
from flask_babel import force_locale, gettext, ngettext

import ckan
import ckan.plugins.toolkit as tk
import ckanext.odconf
import ckanext.scheming

PACKAGE = Path(ckanext.odconf.__file__).parent
ROOT = PACKAGE.parents[1]
CATALOGUE = PACKAGE / "i18n" / "km" / "LC_MESSAGES" / "ckanext-odconf"
CORE_MESSAGES = PACKAGE / "i18n" / "core-messages.pot"
SITE_PACKAGES = Path(ckan.__file__).parents[1]
#: Placeholders (%s, %(name)s, {name}, {}), HTML tags and link addresses a
#: translation must keep (it may translate a tag's title).
KEPT = re.compile(r"%(?:\(\w+\))?[sdir]|\{[\w!]*\}|</?[a-z]+\b|href=\"[^\"]*\"")


def _key(message: Any) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def extracted_messages() -> set[str]:
    """The messages ``pybabel extract -F babel.cfg`` finds: this package's and
    the CKAN messages of ``i18n/core-messages.pot``."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping(config)
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context
            in extract_from_dir(str(PACKAGE), method_map, options_map)}


@pytest.fixture(scope="module")
def catalogue() -> Any:
    with open(f"{CATALOGUE}.po", "rb") as stream:
        return read_po(stream)


def test_every_message_has_a_khmer_translation(catalogue: Any) -> None:
    translated = {_key(message): message.string for message in catalogue if message.id}
    assert extracted_messages() - set(translated) == set()
    assert [key for key, khmer in translated.items()
            if not (all(khmer) if isinstance(khmer, tuple) else khmer)] == []
    assert [_key(message) for message in catalogue if message.fuzzy and message.id] == []


def test_compiled_catalogue_matches_the_po_file(catalogue: Any) -> None:
    with open(f"{CATALOGUE}.mo", "rb") as mo:
        compiled = read_mo(mo)
    def entries(messages: Any) -> dict[Any, Any]:
        return {_key(m): m.string if isinstance(m.string, str) else tuple(m.string)
                for m in messages if m.id}

    assert entries(compiled) == entries(catalogue)


def test_translations_keep_the_placeholders_and_markup_of_their_message(catalogue: Any) -> None:
    changed = []
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if message.string and set(KEPT.findall(message.string)) != set(KEPT.findall(message.id)):
                changed.append(message.id)
            continue
        # Khmer has one plural form: it keeps what both English forms share and
        # may use the plural's count
        singular, plural = (set(KEPT.findall(text)) for text in message.id[:2])
        if message.string[0] and not singular & plural <= set(KEPT.findall(message.string[0])) <= singular | plural:
            changed.append(message.id[0])
    assert changed == []


def _messages(path: Path) -> dict[Any, Any]:
    with open(path, "rb") as stream:
        return {message.id if isinstance(message.id, str) else tuple(message.id):
                message.string if isinstance(message.string, str) else tuple(message.string)
                for message in read_po(stream) if message.id}


def test_the_readme_commands_find_the_catalogue_up_to_date(tmp_path: Path) -> None:
    """README's commands, run on a copy of the package: the template and the
    catalogue they write hold what is committed (no message added, dropped or
    changed)."""
    readme = (ROOT / "README.rst").read_text(encoding="utf-8")
    section = readme.split("\nKhmer\n-----\n", 1)[1].split("\nConfiguration reference\n", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.strip().startswith(".venv/bin/pybabel")]
    assert [shlex.split(command)[1] for command in commands] == ["extract", "update", "compile"]
    copy = tmp_path / "odconf"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for command in commands:
        arguments = shlex.split(command.replace("ckanext/odconf", str(copy)))
        subprocess.run([str(ROOT / arguments[0]), *arguments[1:]], cwd=ROOT, check=True, capture_output=True)
    relative = Path("i18n") / "km" / "LC_MESSAGES" / "ckanext-odconf.po"
    assert _messages(copy / relative) == _messages(PACKAGE / relative)
    assert set(_messages(copy / "i18n" / "ckanext-odconf.pot")) == set(
        _messages(PACKAGE / "i18n" / "ckanext-odconf.pot"))


def _upstream_messages() -> set[str]:
    """The messages of CKAN's own template and of ckanext-scheming's code and templates."""
    with open(Path(ckan.__file__).parent / "i18n" / "ckan.pot", "rb") as stream:
        messages = {_key(message) for message in read_po(stream) if message.id}
    scheming = extract_from_dir(
        str(Path(ckanext.scheming.__file__).parent),
        [("**/templates/**.html", "ckan.lib.extract:extract_ckan"), ("**.py", "python")],
        {"**/templates/**.html": {}})
    return messages | {message if isinstance(message, str) else message[0]
                       for _file, _line, message, _comments, _context in scheming}


def test_every_listed_core_message_is_one_ckan_uses() -> None:
    """``core-messages.pot`` names where CKAN uses each message: after an
    upgrade of CKAN, a message it no longer has shows here (CKAN's template
    lags behind its code, so the code named is read too)."""
    with open(CORE_MESSAGES, "rb") as stream:
        listed = [message for message in read_po(stream) if message.id]
    upstream = _upstream_messages()

    def in_code(message: Any) -> bool:
        quoted = {_key(message), _key(message).replace("'", "\\'")}
        return any(text in (SITE_PACKAGES / path).read_text(encoding="utf-8")
                   for path, _line in message.locations if (SITE_PACKAGES / path).is_file()
                   for text in quoted)

    assert len(listed) > 600
    assert [_key(message) for message in listed
            if _key(message) not in upstream and not in_code(message)] == []


@pytest.mark.usefixtures("with_request_context")
class TestMergedIntoCkan:
    """CKAN merges this catalogue over its own Khmer catalogue: its entries win."""

    def test_core_messages_core_leaves_empty_are_khmer(self) -> None:
        with force_locale("km"):
            assert gettext("Data and Resources") == "ទិន្នន័យ និងធនធាន"
            assert gettext("Additional Info") == "ព័ត៌មានបន្ថែម"
            assert ngettext("{number} dataset found", "{number} datasets found", 13).format(
                number=13) == "រកឃើញសំណុំទិន្នន័យ 13"

    def test_this_catalogue_words_win_over_cores(self) -> None:
        with force_locale("km"):
            # core's Khmer says អង្គភាព (unit); the catalogue says ស្ថាប័ន everywhere
            assert gettext("Organizations") == "ស្ថាប័ន"
            assert gettext("License") == "អាជ្ញាប័ណ្ណ"  # core's is misspelt

    def test_english_stays_english(self) -> None:
        with force_locale("en"):
            assert gettext("Data and Resources") == "Data and Resources"

    def test_the_catalogue_types_are_named_in_the_page_language(self) -> None:
        with force_locale("en"):
            assert tk.h.humanize_entity_type("group", "conference", "page title") == "Conferences"
            assert tk.h.humanize_entity_type("package", "reference", "add link") == "Add Reference"
        with force_locale("km"):
            assert tk.h.humanize_entity_type("group", "conference", "page title") == "សន្និសីទ"
            assert tk.h.humanize_entity_type("package", "hackathon-project", "search placeholder") == (
                "ស្វែងរកគម្រោងហេកកាថុន...")


def test_javascript_strings_in_khmer(ckan_config: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """CKAN's JavaScript catalogue (``ckan translation js``) takes this
    catalogue's translations of CKAN's script messages."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    ckan_i18n.build_js_translations()
    built = json.loads((Path(ckan_i18n.get_js_translations_dir()) / "km.js").read_text(encoding="utf-8"))
    assert built["Show more"] == [None, "បង្ហាញបន្ថែម"]
    assert built["Are you sure you want to perform this action?"][1].startswith("តើអ្នកប្រាកដ")


# Pages ------------------------------------------------------------------------


@pytest.mark.usefixtures("nodc_with_examples")
class TestKhmerPages:
    def test_facets_in_khmer(self, app: Any) -> None:
        page = app.get("/km/dataset/").body
        assert "ប្រធានបទរង" in page and "សន្និសីទ" in page
        assert "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ" in page  # a theme facet value, by its Khmer title
        assert "រកឃើញសំណុំទិន្នន័យ" in page  # "N datasets found"
        assert "ទម្រង់ឯកសារ" in page and "Formats" not in page

    def test_dataset_page_in_khmer(self, app: Any) -> None:
        name = "nodc-2024-example-education-1"
        page = app.get(f"/km/dataset/{name}").body
        assert "សំណុំទិន្នន័យឧទាហរណ៍ទី១" in page
        assert "ទិន្នន័យ និងធនធាន" in page and "Data and Resources" not in page
        # the sidebar: the licence by its Khmer name, the badge's text, the
        # publisher's English description marked as not yet translated
        assert page.count("Creative Commons តម្រូវឱ្យបញ្ជាក់ប្រភព") >= 2 and "Creative Commons Attribution" not in page
        assert 'alt="ទិន្នន័យបើកចំហ"' in page and "[Open Data]" not in page
        assert '<span class="odconf-text" lang="en">The leading open data platform' in page
        english = app.get(f"/dataset/{name}").body
        assert "Example dataset 1 for “Open Data for Education”" in english
        assert "Data and Resources" in english

    def test_conferences_listed_in_khmer(self, app: Any) -> None:
        page = app.get("/km/conference/").body
        assert "Conferences" not in page and "1 conference found" not in page
        assert "រកឃើញសន្និសីទ 1" in page
        assert "សន្និសីទជាតិស្ដីពីទិន្នន័យបើកចំហ ឆ្នាំ២០២៤" in page  # the edition's title
        assert "National Open Data Conference 2024" not in page
        assert "1 conference found" in app.get("/conference/").body

    def test_organisation_page_in_khmer(self, app: Any) -> None:
        page = app.get("/km/organization/odc").body
        # the conference in the groups facet by its Khmer title; the publisher's name marked English
        assert 'title="សន្និសីទជាតិស្ដីពីទិន្នន័យបើកចំហ ឆ្នាំ២០២៤"' in page
        assert '<span lang="en">Open Development Cambodia Organization (ODC)</span>' in page

    def test_validation_errors_in_khmer(self, app: Any) -> None:
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

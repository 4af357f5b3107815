"""``ckan odconf export`` then ``load``: a round trip never widens visibility."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

import ckan.model as model
from ckanext.odconf.programme import PROGRAMMES_DIR

NODC_2024 = Path(PROGRAMMES_DIR) / "nodc-2024.yaml"
PRIVATE, DRAFT, DELETED, PUBLIC = (
    "open-data-survey-2020",
    "open-data-intermediaries-non-state-actors-cambodia",
    "open-data-roadmap-assessment-cambodia",
    "open-data-handbook-khmer",
)

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def run(cli, *args: str, code: int = 0) -> str:
    result = cli.invoke(ckan, ["odconf", *args])
    assert result.exit_code == code, result.output
    return result.output


def hide_references() -> None:
    """One reference entry made private, one draft, one deleted."""
    helpers.call_action("package_patch", id=PRIVATE, private=True)
    helpers.call_action("package_patch", id=DRAFT, state="draft")
    helpers.call_action("package_delete", id=DELETED)


def test_round_trip_keeps_hidden_entries_hidden(cli, tmp_path, reset_db, reset_index):
    run(cli, "load", str(NODC_2024))
    hide_references()
    exported = tmp_path / "export.yaml"
    run(cli, "export", "nodc-2024", "-o", str(exported))
    text = exported.read_text(encoding="utf-8")
    programme = yaml.safe_load(text)
    references = {entry["name"]: entry for entry in programme["references"]}
    assert references[PRIVATE]["private"] is True
    assert "private" not in references[PUBLIC]
    assert DRAFT not in text and DELETED not in text

    reset_db()
    reset_index()
    run(cli, "load", str(exported))
    visitor = factories.User()
    for user in ("", visitor["name"]):
        with pytest.raises(helpers.logic.NotFound):
            helpers.call_action("package_show", {"user": user, "ignore_auth": False}, id=PRIVATE)
        shown = helpers.call_action("odconf_conference_show", {"user": user}, id="nodc-2024")
        assert PRIVATE not in str(shown) and PUBLIC in str(shown)
    # control: the entry is there, private, for who may read it
    admin = factories.Sysadmin()
    assert helpers.call_action(
        "package_show", {"user": admin["name"], "ignore_auth": False}, id=PRIVATE)["private"] is True
    assert model.Package.get(DRAFT) is None and model.Package.get(DELETED) is None


def test_a_file_without_private_keeps_a_private_entry_private(cli):
    run(cli, "load", str(NODC_2024))
    helpers.call_action("package_patch", id=PRIVATE, private=True)
    assert "0 created, 0 updated, 16 unchanged" in run(cli, "load", str(NODC_2024))
    assert model.Package.get(PRIVATE).private is True


def test_a_deleted_edition_is_not_exported(cli):
    run(cli, "load", str(NODC_2024))
    helpers.call_action("group_delete", id="nodc-2024")
    assert "Conference nodc-2024 not found" in run(cli, "export", "nodc-2024", code=1)

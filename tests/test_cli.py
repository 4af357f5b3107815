"""``ckan odconf load`` and ``ckan odconf export``, run as a user would."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

import ckan.model as model
from ckanext.odconf.programme import PROGRAMMES_DIR

NODC_2024 = Path(PROGRAMMES_DIR) / "nodc-2024.yaml"

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def run(cli, *args: str, code: int = 0) -> str:
    result = cli.invoke(ckan, ["odconf", *args])
    assert result.exit_code == code, result.output
    return result.output


def catalogue() -> dict[str, int]:
    """How many of each kind of entity the catalogue holds."""
    return {
        "organizations": model.Session.query(model.Group).filter_by(is_organization=True).count(),
        "conferences": model.Session.query(model.Group).filter_by(type="conference").count(),
        "references": model.Session.query(model.Package).filter_by(type="reference").count(),
        "datasets": model.Session.query(model.Package).filter_by(type="dataset").count(),
    }


EMPTY = {"organizations": 0, "conferences": 0, "references": 0, "datasets": 0}
NODC = {"organizations": 9, "conferences": 1, "references": 6, "datasets": 0}


def test_dry_run_writes_nothing(cli):
    output = run(cli, "load", str(NODC_2024), "--dry-run", "--examples")
    assert "would create conference nodc-2024" in output
    # 29 entries and the 20 files the examples carry (tests/programme/test_example_files.py)
    assert "Dry run, nothing written: 49 created, 0 updated, 0 unchanged" in output
    assert "would create file nodc-2024-example-education-1/nodc-2024-agenda.csv" in output
    assert catalogue() == EMPTY


def test_load_by_bundled_name_then_again(cli):
    output = run(cli, "load", "nodc-2024")
    assert "nodc-2024: 16 created, 0 updated, 0 unchanged" in output
    assert catalogue() == NODC
    assert "nodc-2024: 0 created, 0 updated, 16 unchanged" in run(cli, "load", "nodc-2024")


def test_examples_are_marked_and_loaded_once(cli):
    run(cli, "load", str(NODC_2024), "--examples")
    assert catalogue() == dict(NODC, datasets=10)
    examples = helpers.call_action("package_search", fq="tags:example", rows=100)["results"]
    assert len(examples) == 13
    datasets = [entry for entry in examples if entry["type"] == "dataset"]
    assert all(entry["notes_translated"]["en"].startswith("**Example entry.**") for entry in datasets)
    assert all(entry["notes_translated"]["km"].startswith("**ធាតុឧទាហរណ៍។**") for entry in datasets)
    projects = [entry for entry in examples if entry["type"] == "hackathon-project"]
    assert len(projects) == 3
    assert all(project["problem"].startswith("**Example entry.**") for project in projects)
    assert all("**ធាតុឧទាហរណ៍។**" in project["problem"] for project in projects)
    assert "0 created, 0 updated, 49 unchanged" in run(cli, "load", str(NODC_2024), "--examples")


def test_every_entry_written_is_searchable(cli):
    # the load is one transaction: every entry it wrote is indexed at its commit
    run(cli, "load", str(NODC_2024), "--examples")
    found = helpers.call_action("package_search", rows=0, include_private=True,
                                **{"facet.field": '["dataset_type"]'})
    assert found["count"] == 19
    counts = {item["name"]: item["count"] for item in found["search_facets"]["dataset_type"]["items"]}
    assert counts == {"reference": 6, "dataset": 10, "hackathon-project": 3}


def edited_programme(path: Path, *replacements: tuple[str, str]) -> Path:
    """The bundled programme with each (old, new) text replaced, written to ``path``."""
    content = NODC_2024.read_text(encoding="utf-8")
    for old, new in replacements:
        content = content.replace(old, new)
    path.write_text(content, encoding="utf-8")
    return path


def test_changes_in_the_file_are_updates(cli, tmp_path):
    run(cli, "load", str(NODC_2024))
    changed = edited_programme(tmp_path / "nodc-2024.yaml",
                               ("venue: CADT Innovation Center, Phnom Penh, Cambodia", "venue: Phnom Penh"),
                               ("    publication_date: 2016\n", ""))
    output = run(cli, "load", str(changed))
    assert "updated conference nodc-2024" in output
    assert "updated reference open-data-handbook-khmer" in output
    assert "0 created, 2 updated, 14 unchanged" in output
    assert helpers.call_action("group_show", id="nodc-2024")["venue"] == "Phnom Penh"
    assert "publication_date" not in helpers.call_action("package_show", id="open-data-handbook-khmer")


def test_bad_file_is_reported_with_lines_and_nothing_is_written(cli, tmp_path):
    bad = edited_programme(tmp_path / "bad.yaml",
                           ("slug: sustainable-development", "slug: education"),
                           ("kind: networking", "kind: party"))
    output = run(cli, "load", str(bad), code=1)
    assert f"{bad}:" in output and "themes[2].slug: duplicate slug" in output
    assert 'agenda[35].kind: unknown kind "party"' in output
    assert "2 problem(s) found" in output and "nothing was written" in output
    assert catalogue() == EMPTY


def test_a_failure_after_some_entries_were_valid_leaves_nothing_behind(cli):
    # the name of a reference entry is taken by a dataset: organisations would be
    # written first, but the whole load is one transaction
    factories.Dataset(name="open-data-handbook-khmer", license_id="cc-by", title="Taken",
                      owner_org=factories.Organization(name="other")["id"])
    before = catalogue()
    output = run(cli, "load", str(NODC_2024), code=1)
    lines = NODC_2024.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1)
                if text.strip() == "- name: open-data-handbook-khmer")
    assert f"{NODC_2024}:{line}: references[5].name: " in output
    assert 'already used by an entry of type "dataset"' in output
    assert catalogue() == before


def test_export_loads_back_to_the_same_catalogue(cli, tmp_path, reset_db, reset_index):
    run(cli, "load", str(NODC_2024))
    exported = tmp_path / "export.yaml"
    run(cli, "export", "nodc-2024", "-o", str(exported))
    assert "0 created, 0 updated, 16 unchanged" in run(cli, "load", str(exported))

    reset_db()
    reset_index()
    assert "16 created" in run(cli, "load", str(exported))
    again = tmp_path / "again.yaml"
    run(cli, "export", "nodc-2024", "-o", str(again))
    assert yaml.safe_load(again.read_text(encoding="utf-8")) == yaml.safe_load(
        exported.read_text(encoding="utf-8"))
    assert "0 created, 0 updated, 16 unchanged" in run(cli, "load", str(NODC_2024))


def test_export_to_standard_output(cli):
    run(cli, "load", str(NODC_2024))
    output = run(cli, "export", "nodc-2024")
    # CKAN's own log lines may share the standard output (test.ini logs there)
    data = yaml.safe_load(output[output.index("# Programme of nodc-2024"):])
    assert data["edition"] == "nodc-2024"
    assert len(data["agenda"]) == 36 and len(data["references"]) == 6
    assert [organisation["name"] for organisation in data["organisations"]] == [
        "odc", "taf", "dfat", "nia", "australian-embassy-cambodia", "mptc", "apt", "rgc"]


def test_export_of_an_unknown_edition(cli):
    assert "Conference nodc-1999 not found" in run(cli, "export", "nodc-1999", code=1)

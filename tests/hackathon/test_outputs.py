"""Outputs: uploads into CKAN's storage within the size limit and the
accepted formats; links; an output's own licence. A refused upload leaves no
file in storage and creates no resource."""
from __future__ import annotations

import io
import os
from typing import Any, Callable

import pytest
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from tests.hackathon.conftest import OPEN_WINDOW, ValidationError, call, window_marks

pytestmark = [*window_marks(*OPEN_WINDOW),
              pytest.mark.ckan_config("odconf.hackathon.upload_max_size", "1"),
              pytest.mark.ckan_config("odconf.hackathon.upload_formats", "pdf csv")]
MEGABYTE = 1024 * 1024


def stored_files() -> set[str]:
    """Every file under CKAN's resource storage."""
    root = os.path.join(tk.config["ckan.storage_path"], "resources")
    return {os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


def upload(name: str, size: int) -> FileStorage:
    return FileStorage(stream=io.BytesIO(b"x" * size), filename=name)


@pytest.fixture
def project(create_project: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return create_project()


def test_an_upload_within_the_limits_is_stored(project: dict[str, Any]):
    before = stored_files()
    output = call("team", "resource_create", package_id=project["id"], name="Data",
                  upload=upload("schools.csv", MEGABYTE))
    added = stored_files() - before
    assert len(added) == 1 and os.path.getsize(added.pop()) == MEGABYTE
    assert output["url_type"] == "upload" and output["url"].endswith("/schools.csv")
    assert output["size"] == MEGABYTE


@pytest.mark.parametrize("name, size, message", [
    ("slides.pdf", MEGABYTE + 1, "The file is too large: 1.0 MB, the limit is 1 MB"),
    ("tool.exe", 10, 'Files of this format are not accepted ("tool.exe"). Accepted formats: pdf, csv'),
    ("slides.pdf.exe", 10, "Files of this format are not accepted"),
    ("no-extension", 10, "Files of this format are not accepted"),
])
def test_a_refused_upload_stores_nothing(project: dict[str, Any], name: str, size: int, message: str):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        call("team", "resource_create", package_id=project["id"], name="Refused", upload=upload(name, size))
    assert refused.value.error_dict["upload"][0].startswith(message)
    assert stored_files() == before
    assert helpers.call_action("package_show", id=project["id"])["resources"] == []


def test_replacing_an_output_with_a_refused_upload_keeps_the_old_one(project: dict[str, Any]):
    output = call("team", "resource_create", package_id=project["id"], name="Data",
                  upload=upload("schools.csv", 10))
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        call("team", "resource_update", id=output["id"], upload=upload("schools.csv", MEGABYTE + 1))
    assert "too large" in refused.value.error_dict["upload"][0]
    assert stored_files() == before
    shown = helpers.call_action("resource_show", id=output["id"])
    assert shown["size"] == 10 and shown["url"].endswith("/schools.csv")


def test_links_and_an_output_with_its_own_licence(project: dict[str, Any]):
    link = call("team", "resource_create", package_id=project["id"], name="Code",
                url="https://example.org/school-map.git")
    assert link["url_type"] in (None, "")
    own = call("team", "resource_create", package_id=project["id"], name="Report",
               upload=upload("report.pdf", 10), license_id="cc-by-sa")
    assert own["license_id"] == "cc-by-sa"
    with pytest.raises(ValidationError) as refused:
        call("team", "resource_create", package_id=project["id"], name="Odd", url="https://example.org",
             license_id="no-such-licence")
    assert "license_id" in refused.value.error_dict
    names = [resource["name"] for resource in helpers.call_action("package_show", id=project["id"])["resources"]]
    assert names == ["Code", "Report"]

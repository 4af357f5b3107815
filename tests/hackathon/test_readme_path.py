"""README's command-line path of a team (create the project, add a member,
upload an output, check licences, submit), run as written with ckanapi
against the test site served by gunicorn."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Any, Callable, Iterator

import pytest
from ckan.tests import factories, helpers

from tests.hackathon.conftest import OPEN_WINDOW
from tests.sites import free_port, options, serve, write_ini

ROOT = pathlib.Path(__file__).resolve().parents[2]
INTRODUCTION = "a test runs these commands against a running site::\n\n"


def readme_commands() -> str:
    """The literal block of README's command-line path, unindented."""
    readme = (ROOT / "README.rst").read_text(encoding="utf-8")
    lines = []
    for line in readme.split(INTRODUCTION, 1)[1].splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line[4:])
    return "\n".join(lines).strip()


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: pathlib.Path, clean_db: Any, clean_index: Any,
         with_plugins: Any, load_programme: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    """The test database with NODC 2024 and its examples, the users ``team``
    (with an API token) and ``dara``, served by gunicorn with the window open."""
    load_programme(examples=True)
    factories.User(name="team")
    factories.User(name="dara")
    token = helpers.call_action("api_token_create", user="team", name="readme")["token"]
    ini = write_ini(pathlib.Path(request.config.getoption("ckan_ini")).resolve(),
                    tmp_path / "site.ini", **dict(OPEN_WINDOW))
    storage = options(ini)["ckan.storage_path"].replace("%(here)s", str(tmp_path))
    with serve(ini, free_port(), tmp_path / "gunicorn.log", workers=1) as url:
        yield {"url": url, "token": token, "storage": pathlib.Path(storage)}


def test_a_teams_path_with_ckanapi(site: dict[str, Any], tmp_path: pathlib.Path):
    commands = readme_commands()
    assert commands.count("ckanapi action") == 5
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4 pitch slides")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands], cwd=tmp_path, capture_output=True, text=True,
        timeout=300, env=dict(os.environ, CKAN_URL=site["url"], CKAN_TOKEN=site["token"],
                              PATH=f"{pathlib.Path(sys.executable).parent}:{os.environ['PATH']}"))
    assert done.returncode == 0, done.stderr[-4000:]
    # the licence check's answer is printed as JSON, between the other answers
    assert '"ok": true' in done.stdout and '"conflicts": []' in done.stdout
    project = helpers.call_action("package_show", id="school-map")
    assert project["type"] == "hackathon-project"
    assert project["title_translated"] == {"en": "School map", "km": "ផែនទីសាលារៀន"}
    assert project["team_members"] == ["team", "dara"]
    assert project["project_status"] == "submitted"
    assert project["datasets_used"] == ["nodc-2024-example-education-1"]
    [slides] = project["resources"]
    assert slides["name"] == "Pitch slides" and slides["url_type"] == "upload"
    # streamed into the site's storage, where CKAN keeps a resource's file under its id
    path = site["storage"] / "resources" / slides["id"][:3] / slides["id"][3:6] / slides["id"][6:]
    assert path.read_bytes() == b"%PDF-1.4 pitch slides"

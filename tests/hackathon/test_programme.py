"""The programme loader creates the edition's hackathon organisation, and
``--examples`` adds example projects of the hackathon-project type."""
from __future__ import annotations

from typing import Any, Callable

from ckan.tests import helpers

from tests.hackathon.conftest import call


def test_the_hackathon_organisation_is_created_once(nodc: Any, load_programme: Callable[..., Any]):
    organisation = helpers.call_action("organization_show", id="nodc-2024-hackathon")
    assert organisation["title"] == "Hackathon – National Open Data Conference 2024"
    assert "Run by the Hackathon Committee." in organisation["description"]
    assert "organization nodc-2024-hackathon" not in " ".join(load_programme().created)


def test_example_projects_are_published_projects(nodc_with_examples: Any,
                                                 load_programme: Callable[..., Any]):
    found = call("", "package_search", fq="dataset_type:hackathon-project", sort="name asc")
    assert [project["name"] for project in found["results"]] == [
        f"nodc-2024-example-hackathon-project-{number}" for number in (1, 2, 3)]
    first = found["results"][0]
    assert first["organization"]["name"] == "nodc-2024-hackathon"
    assert first["project_status"] == "published" and first["private"] is False
    assert first["problem"].startswith("**Example entry.**")
    assert first["datasets_used"] == ["nodc-2024-example-public-services-1"]
    assert [tag["name"] for tag in first["tags"]] == ["example"]
    assert [project["challenge_theme"] for project in found["results"]] == [
        "public-services", "education", "sustainable-development"]
    # the dataset's page lists the project using it
    using = helpers.call_action("package_search", fq='vocab_odconf_datasets_used:"nodc-2024-example-education-1"')
    assert [project["name"] for project in using["results"]] == ["nodc-2024-example-hackathon-project-2"]
    report = load_programme(examples=True)
    assert report.created == [] and report.updated == []

"""Fixtures of the hackathon tests: the NODC 2024 programme loaded (with its
hackathon organisation), people in each role, and datasets under licences of
every kind the licence check knows.

Roles: ``team`` creates projects, ``mate`` is added to a team, ``outsider``
is a logged-in user in no team, ``chair`` is an admin of the hackathon
organisation (the committee), ``judge`` a member of it, ``admin`` a sysadmin.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest
from ckan.tests import factories, helpers

ValidationError = helpers.logic.ValidationError
NotAuthorized = helpers.logic.NotAuthorized
ObjectNotFound = helpers.logic.NotFound

ORGANISATION = "nodc-2024-hackathon"
#: The window options that make the submission window open now, and closed now.
OPEN_WINDOW = (("odconf.hackathon.submission_opens", "2000-01-01T00:00:00+07:00"),
               ("odconf.hackathon.submission_closes", "2100-01-01T00:00:00+07:00"))
CLOSED_WINDOW = (("odconf.hackathon.submission_opens", "2000-01-01T00:00:00+07:00"),
                 ("odconf.hackathon.submission_closes", "2001-01-01T00:00:00+07:00"))
#: Datasets of the catalogue, by the kind of their licence: name -> licence id.
DATASETS = {
    "rainfall": "cc-by",
    "roads": "odc-odbl",
    "schools": "cc-by-sa",
    "prices": "cc-nc",
    "census": "other-closed",
    "unlicensed": "notspecified",
}


def window_marks(*options: tuple[str, str]) -> list[Any]:
    """The marks setting the window options (a module's ``pytestmark``)."""
    return [pytest.mark.ckan_config(name, value) for name, value in options]


def window(*options: tuple[str, str]) -> Any:
    """A decorator setting the window options of a test or a class."""

    def decorate(function: Any) -> Any:
        for mark in window_marks(*options):
            function = mark(function)
        return function

    return decorate


open_window = window(*OPEN_WINDOW)
closed_window = window(*CLOSED_WINDOW)


def as_user(name: str) -> dict[str, Any]:
    """An action context for ``name`` ("" is an anonymous visitor), with auth checked."""
    return {"user": name, "ignore_auth": False}


def call(user: str, action: str, **data: Any) -> Any:
    """Call an action as ``user``, as the API would."""
    return helpers.call_action(action, as_user(user), **data)


def project_data(**overrides: Any) -> dict[str, Any]:
    """A complete project of NODC 2024."""
    data: dict[str, Any] = {
        "type": "hackathon-project",
        "name": "school-map",
        "title_translated": {"en": "School map", "km": "ផែនទីសាលារៀន"},
        "tagline": {"en": "Where the schools are", "km": "តើសាលារៀននៅឯណា"},
        "conference": "nodc-2024",
        "challenge_theme": "education",
        "team_name": "Team Mekong",
        "problem": "Parents do not know which schools are near.",
        "solution": "A map of schools from open data.",
        "built_with": ["Python", "Leaflet"],
        "repository_url": "https://example.org/school-map.git",
        "demo_url": "https://example.org/school-map",
        "datasets_used": ["rainfall"],
        "license_id": "cc-by",
        "code_license": "MIT",
    }
    data.update(overrides)
    return data


@pytest.fixture
def hackathon(clean_db: Any, clean_index: Any, with_plugins: Any, ckan_config: Any,
              monkeypatch: pytest.MonkeyPatch, load_programme: Callable[..., Any]) -> dict[str, Any]:
    """NODC 2024 loaded, its hackathon organisation with a chair and a judge,
    users, and the datasets of :data:`DATASETS` (public, published by ``odc``:
    the catalogue accepts their licences, ``odconf.licenses``)."""
    monkeypatch.setitem(ckan_config, "odconf.licenses", list(dict.fromkeys(DATASETS.values())))
    load_programme()
    for name in ("team", "mate", "outsider", "chair", "judge"):
        factories.User(name=name)
    factories.Sysadmin(name="admin")
    helpers.call_action("organization_member_create", id=ORGANISATION, username="chair", role="admin")
    helpers.call_action("organization_member_create", id=ORGANISATION, username="judge", role="member")
    for name, license_id in DATASETS.items():
        factories.Dataset(name=name, title=name.capitalize(), owner_org="odc", license_id=license_id,
                          conference="nodc-2024")
    return {"organisation": helpers.call_action("organization_show", id=ORGANISATION)}


@pytest.fixture
def create_project(hackathon: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """Create a project as a user (``team`` by default), the window open."""

    def create(user: str = "team", **overrides: Any) -> dict[str, Any]:
        return call(user, "package_create", **project_data(**overrides))

    return create

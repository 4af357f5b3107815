"""Fixtures shared by the conference catalogue's tests.

Every behaviour test runs against the real stack of test.ini: CKAN, its
PostgreSQL database, ckanext-scheming and the embedded search (nothing mocked).
"""
from __future__ import annotations

import os
from typing import Any, Callable

import pytest
from ckan.tests import factories, helpers
from sqlalchemy import event

import ckan.model as model

from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.programme import PROGRAMMES_DIR, load as programme_load
from ckanext.odconf.programme.spec import read_programme

NODC_2024 = os.path.join(PROGRAMMES_DIR, "nodc-2024.yaml")


def statements_run(call: Callable[[], Any]) -> int:
    """How many SQL statements ``call()`` sends to the database, from a fresh session."""
    model.Session.remove()
    statements: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(model.meta.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(model.meta.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.fixture
def load_programme() -> Callable[..., programme_load.Report]:
    """Load a programme file the way ``ckan odconf load`` does."""

    def load(path: str = NODC_2024, examples: bool = False, dry_run: bool = False) -> programme_load.Report:
        programme = read_programme(path, conferences.catalogue_names())
        return programme_load.apply(programme, programme_load.plan(programme, examples), dry_run=dry_run)

    return load


@pytest.fixture
def nodc(clean_db: Any, clean_index: Any, with_plugins: Any,
         load_programme: Callable[..., programme_load.Report]) -> programme_load.Report:
    """A catalogue with the NODC 2024 programme loaded (no examples)."""
    return load_programme()


@pytest.fixture
def nodc_with_examples(clean_db: Any, clean_index: Any, with_plugins: Any,
                       load_programme: Callable[..., programme_load.Report]) -> programme_load.Report:
    """A catalogue with the NODC 2024 programme and its example entries."""
    return load_programme(examples=True)


def conference_data(organisation: str, **overrides: Any) -> dict[str, Any]:
    """A small conference: two days, three sessions, a theme with topics, a room."""
    data: dict[str, Any] = {
        "type": "conference",
        "name": "odc-test-2025",
        "title_translated": {"en": "Test Conference 2025", "km": "សន្និសីទសាកល្បង ២០២៥"},
        "start_date": "2025-03-26",
        "end_date": "2025-03-27",
        "venue": "Phnom Penh",
        "organisers": [organisation],
        "days": [{"day": 1, "date": "2025-03-26"}, {"day": 2, "date": "2025-03-27"}],
        "agenda": [
            {"id": "opening", "day": 1, "start": "08:30", "end": "09:00", "kind": "plenary",
             "title": {"en": "Opening"}, "organisations": [organisation]},
            {"id": "breakout", "day": 2, "start": "09:00", "end": "12:00", "kind": "breakout",
             "title": {"en": "Breakout"}},
            {"id": "pitch", "day": 2, "start": "14:00", "end": "15:00", "kind": "hackathon",
             "title": {"en": "Pitch"}},
        ],
        "themes": [
            {"slug": "education", "kind": "theme", "number": 1, "session": "breakout",
             "title": {"en": "Open Data for Education", "km": "ទិន្នន័យបើកចំហ សម្រាប់ការអប់រំ"},
             "topics": [{"slug": "schools", "title": {"en": "Schools"}},
                        {"slug": "teachers", "title": {"en": "Teachers"}}]},
            {"slug": "health", "kind": "theme", "number": 2, "session": "breakout",
             "title": {"en": "Open Data for Health"},
             "topics": [{"slug": "clinics", "title": {"en": "Clinics"}}]},
            {"slug": "business", "kind": "room", "number": 1, "session": "breakout",
             "title": {"en": "Responsible Business"}},
        ],
        "hackathon": {"committee": "Hackathon Committee", "awarded_teams": 3},
    }
    data.update(overrides)
    return data


@pytest.fixture
def conference(clean_db: Any, clean_index: Any, with_plugins: Any) -> dict[str, Any]:
    """A small conference group (see :func:`conference_data`) and its organiser."""
    organisation = factories.Organization(name="odc-test")
    sysadmin = factories.Sysadmin()
    return helpers.call_action(
        "group_create", {"user": sysadmin["name"]}, **conference_data(organisation["name"])
    )

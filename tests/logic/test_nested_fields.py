"""The structure checker shared by the conference validators and the loader."""
from __future__ import annotations

import datetime

import pytest

from ckanext.odconf.logic import nested_fields, values

SESSIONS = {
    "type": "records",
    "key": "id",
    "fields": [
        {"field_name": "id", "type": "slug", "required": True},
        {"field_name": "day", "type": "integer", "refers_to": "days.day"},
        {"field_name": "start", "type": "time", "required": True},
        {"field_name": "end", "type": "time", "required": True, "later_than": "start"},
        {"field_name": "kind", "type": "choice",
         "choices": [{"value": "plenary"}, {"value": "break"}]},
        {"field_name": "title", "type": "translated_text", "required": True},
        {"field_name": "tbc", "type": "boolean"},
    ],
}


def messages(problems: list[nested_fields.Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_valid_records_are_normalised():
    value = [{"id": "opening", "start": "8:30", "end": "09:00", "kind": "plenary",
              "title": {"en": " Opening ", "km": ""}, "tbc": False}]
    result, problems = nested_fields.check(value, SESSIONS, ("agenda",))
    assert problems == []
    assert result == [{"id": "opening", "start": "08:30", "end": "09:00", "kind": "plenary",
                       "title": {"en": "Opening"}, "tbc": False}]


def test_session_ending_before_it_starts():
    value = [{"id": "late", "start": "10:00", "end": "09:30", "title": {"en": "Late"}}]
    _result, problems = nested_fields.check(value, SESSIONS, ("agenda",))
    assert messages(problems) == [
        "agenda[0].end: end (09:30) must be later than start (10:00)"
    ]


def test_unknown_choice_names_the_allowed_values():
    value = [{"id": "a", "start": "08:00", "end": "09:00", "kind": "keynote", "title": {"en": "A"}}]
    _result, problems = nested_fields.check(value, SESSIONS, ("agenda",))
    assert messages(problems) == [
        'agenda[0].kind: unknown kind "keynote"; allowed: plenary, break'
    ]


def test_duplicate_keys_point_at_the_first_use():
    value = [{"id": "a", "start": "08:00", "end": "09:00", "title": {"en": "A"}},
             {"id": "a", "start": "09:00", "end": "10:00", "title": {"en": "B"}}]
    _result, problems = nested_fields.check(value, SESSIONS, ("agenda",))
    assert messages(problems) == ['agenda[1].id: duplicate id "a" (first used at agenda[0])']


def test_every_problem_is_reported():
    value = [{"id": "Bad Name", "start": "25:00", "end": "09:00", "title": "plain",
              "colour": "red", "tbc": "yes"}]
    _result, problems = nested_fields.check(value, SESSIONS, ("agenda",))
    assert {problem.field for problem in problems} == {
        "agenda[0].colour", "agenda[0].id", "agenda[0].start", "agenda[0].title", "agenda[0].tbc",
    }


def test_references_resolve_through_the_resolver():
    value = [{"id": "a", "day": 3, "start": "08:00", "end": "09:00", "title": {"en": "A"}}]
    _result, problems = nested_fields.check(
        value, SESSIONS, ("agenda",), resolve=lambda name: {1, 2} if name == "days.day" else None
    )
    assert messages(problems) == ['agenda[0].day: unknown day "3"; allowed: 1, 2']


def test_unresolvable_references_are_not_checked():
    value = [{"id": "a", "day": 3, "start": "08:00", "end": "09:00", "title": {"en": "A"}}]
    assert nested_fields.check(value, SESSIONS)[1] == []


def test_sibling_values_reads_records_lists_and_json():
    document = {"agenda": '[{"id": "a"}, {"id": "b"}]', "references": ["x", "y"]}
    assert nested_fields.sibling_values(document, "agenda.id") == {"a", "b"}
    assert nested_fields.sibling_values(document, "references") == {"x", "y"}
    assert nested_fields.sibling_values(document, "themes.slug") is None


def test_nested_record_keys_are_unique_across_parents():
    spec = {"type": "records", "key": "slug", "fields": [
        {"field_name": "slug", "type": "slug", "required": True},
        {"field_name": "topics", "type": "records", "key": "slug",
         "fields": [{"field_name": "slug", "type": "slug", "required": True}]},
    ]}
    value = [{"slug": "one", "topics": [{"slug": "maps"}]},
             {"slug": "two", "topics": [{"slug": "maps"}]}]
    assert messages(nested_fields.check(value, spec, ("themes",))[1]) == [
        'themes[1].topics[0].slug: duplicate slug "maps" (first used at themes[0].topics[0])'
    ]


def test_required_and_optional_empty_values():
    spec = {"type": "object", "fields": [
        {"field_name": "name", "type": "text", "required": True},
        {"field_name": "email", "type": "email"},
    ]}
    result, problems = nested_fields.check({"name": "", "email": ""}, spec, ("contact",))
    assert messages(problems) == ["contact.name: is required"]
    result, problems = nested_fields.check({"name": "Vatana"}, spec)
    assert (result, problems) == ({"name": "Vatana"}, [])


def test_lists_of_choices_keep_the_order_of_the_choices():
    spec = {"type": "list", "of": {"type": "choice", "choices": [{"value": "km"}, {"value": "en"}]}}
    assert nested_fields.check(["en", "km"], spec) == (["km", "en"], [])


def test_not_before_allows_the_same_value():
    spec = {"type": "object", "fields": [
        {"field_name": "start_date", "type": "date"},
        {"field_name": "end_date", "type": "date", "not_before": "start_date"},
    ]}
    same_day = {"start_date": datetime.date(2024, 3, 26), "end_date": "2024-03-26"}
    assert nested_fields.check(same_day, spec) == (
        {"start_date": "2024-03-26", "end_date": "2024-03-26"}, []
    )
    _result, problems = nested_fields.check({"start_date": "2024-03-27", "end_date": "2024-03-26"}, spec)
    assert messages(problems) == [
        "end_date: end_date (2024-03-26) must be on or after start_date (2024-03-27)"
    ]


@pytest.mark.parametrize("value, expected", [
    (2016, "2016"), ("2020-05", "2020-05"), (datetime.date(2020, 5, 31), "2020-05-31"),
    ("2020-02-30", None), ("May 2020", None), ("2020-13", None),
])
def test_partial_dates(value, expected):
    assert values.normalise_partial_date(value) == expected


def test_allowed_lists_are_shortened():
    text = values.allowed(str(number) for number in range(50))
    assert text.endswith("39 and 10 more")

"""The translation queue: what a conference's organisers still have to translate
into Khmer, for their editors only, and never an entry they may not read."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from tests.logic.entries import valid_dataset

EDITION = "odc-test-2025"
#: The texts of the ``conference`` fixture without Khmer (its title and the
#: education theme's title have it).
PROGRAMME_WITHOUT_KHMER = {
    "agenda.opening.title", "agenda.breakout.title", "agenda.pitch.title",
    "themes.education.topics.schools.title", "themes.education.topics.teachers.title",
    "themes.health.title", "themes.health.topics.clinics.title", "themes.business.title",
}


@pytest.fixture
def people(conference: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Everyone who may or may not see the queue; ``odc-test`` organises the
    conference, ``other-org`` publishes in it without organising it."""
    people = {role: factories.User() for role in ("admin", "editor", "member", "outsider", "user")}
    people["sysadmin"] = factories.Sysadmin()
    for role in ("admin", "editor", "member"):
        helpers.call_action("organization_member_create", {"ignore_auth": True},
                            id="odc-test", username=people[role]["name"], role=role)
    factories.Organization(name="other-org", users=[
        {"name": people["outsider"]["name"], "capacity": "editor"}])
    return people


@pytest.fixture
def entries(people: dict[str, dict[str, Any]]) -> None:
    """Entries of the conference: translated, untranslated, private of the
    organiser, private of another organisation, a draft, and one of another
    conference."""
    sysadmin = {"user": people["sysadmin"]["name"]}

    def create(name: str, **fields: Any) -> None:
        resources = [{"url": "https://example.org/schools.csv", "format": "CSV",
                      "name_translated": {"en": "Schools", "km": "សាលារៀន"}}]
        helpers.call_action("package_create", dict(sysadmin),
                            **valid_dataset(name=name, resources=resources, **fields))

    create("translated", notes_translated={"en": "Rates.", "km": "អត្រា។"})
    create("english-only", title_translated={"en": "Teachers 2024"}, notes_translated={})
    create("no-khmer-notes")  # valid_dataset's notes are English only
    create("private-of-organiser", private=True, title_translated={"en": "Internal"},
           notes_translated={})
    create("private-of-other", private=True, owner_org="other-org",
           title_translated={"en": "Other's internal"}, notes_translated={})
    create("draft-entry", state="draft", title_translated={"en": "Draft"}, notes_translated={})


def queue(user: dict[str, Any], **params: Any) -> dict[str, Any]:
    # call_action skips the access check unless told not to
    return helpers.call_action("odconf_translation_queue", {"user": user["name"], "ignore_auth": False},
                               **{"id": EDITION, **params})


def test_programme_texts_without_khmer_are_listed_with_their_place(
        people: dict[str, Any]) -> None:
    report = queue(people["editor"])
    programme = report["programme"]
    assert {".".join(text["path"]) for text in programme["missing"]} == PROGRAMME_WITHOUT_KHMER
    assert (programme["total"], programme["translated"]) == (10, 2)
    assert programme["share"] == 0.2
    health = next(text for text in programme["missing"] if text["path"] == ["themes", "health", "title"])
    assert [label["text"] for label in health["labels"]] == ["Themes and rooms", "Open Data for Health", "Title"]
    assert health["text"] == "Open Data for Health"
    assert report["language"] == "km" and report["source_language"] == "en"


def test_a_khmer_text_added_leaves_the_queue(people: dict[str, Any], conference: dict[str, Any]) -> None:
    agenda = [dict(item, title={**item["title"], "km": "វគ្គ"}) for item in conference["agenda"]]
    helpers.call_action("group_patch", {"user": people["sysadmin"]["name"]}, id=EDITION, agenda=agenda)
    programme = queue(people["editor"])["programme"]
    assert (programme["total"], programme["translated"]) == (10, 5)
    assert not any(text["path"][0] == "agenda" for text in programme["missing"])


@pytest.mark.usefixtures("entries")
def test_entries_without_khmer_for_an_editor_of_the_organiser(people: dict[str, Any]) -> None:
    entries = queue(people["editor"])["entries"]
    listed = {entry["name"]: entry for entry in entries["missing"]}
    # the private entry of another organisation is not theirs to read; their
    # organisation's draft is (they may edit it)
    assert set(listed) == {"english-only", "no-khmer-notes", "private-of-organiser", "draft-entry"}
    assert (entries["total"], entries["translated"]) == (5, 1)
    assert [field["field"] for field in listed["english-only"]["missing"]] == ["title_translated"]
    assert [field["label"] for field in listed["no-khmer-notes"]["missing"]] == ["Description"]
    assert listed["private-of-organiser"]["private"] is True


@pytest.mark.usefixtures("entries")
def test_a_resource_without_khmer_is_named(people: dict[str, Any]) -> None:
    helpers.call_action("package_create", {"user": people["sysadmin"]["name"]}, **valid_dataset(
        name="with-resource", notes_translated={"en": "Rates.", "km": "អត្រា។"},
        resources=[{"url": "https://example.org/a.csv", "format": "CSV",
                    "name_translated": {"en": "Schools list"}}]))
    listed = {entry["name"]: entry for entry in queue(people["editor"])["entries"]["missing"]}
    assert listed["with-resource"]["missing"] == [
        {"field": "resources.0.name_translated", "label": 'Resource "Schools list": Name'}]


@pytest.mark.usefixtures("entries")
def test_a_sysadmin_sees_every_entry_of_the_conference(people: dict[str, Any]) -> None:
    entries = queue(people["sysadmin"])["entries"]
    assert {entry["name"] for entry in entries["missing"]} == {
        "english-only", "no-khmer-notes", "private-of-organiser", "private-of-other", "draft-entry"}
    assert (entries["total"], entries["translated"]) == (6, 1)


@pytest.mark.usefixtures("entries")
def test_shares_and_paging(people: dict[str, Any]) -> None:
    report = queue(people["editor"], rows=2, start=0)
    # by title: "Draft", "Internal", "Schools 2023", "Teachers 2024"
    assert [entry["name"] for entry in report["entries"]["missing"]] == ["draft-entry", "private-of-organiser"]
    assert [entry["name"] for entry in queue(people["editor"], rows=2, start=2)["entries"]["missing"]] == [
        "no-khmer-notes", "english-only"]
    assert report["entries"]["share"] == 0.2
    assert report["share"] == round((2 + 1) / (10 + 5), 4)


@pytest.mark.parametrize("role", ["admin", "editor", "sysadmin"])
def test_editors_of_the_organisers_and_sysadmins_may_read_it(people: dict[str, Any], role: str) -> None:
    assert queue(people[role])["conference"]["name"] == EDITION


@pytest.mark.parametrize("role", ["member", "outsider", "user"])
def test_others_may_not(people: dict[str, Any], role: str) -> None:
    with pytest.raises(tk.NotAuthorized):
        queue(people[role])


def test_anonymous_may_not(conference: dict[str, Any]) -> None:
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("odconf_translation_queue", {"user": "", "ignore_auth": False}, id=EDITION)


@pytest.mark.parametrize("params, field", [
    ({"id": ""}, "id"),
    ({"id": {"name": EDITION}}, "id"),
    ({"id": "odc\x00"}, "id"),
    ({"id": "x" * 200000}, "id"),
    ({"language": "fr"}, "language"),
    ({"language": ["km"]}, "language"),
    ({"rows": -1}, "rows"),
    ({"rows": "many"}, "rows"),
    ({"start": 2**40}, "start"),
])
def test_malformed_requests_are_refused_naming_the_parameter(
        people: dict[str, Any], params: dict[str, Any], field: str) -> None:
    with pytest.raises(tk.ValidationError) as refused:
        queue(people["sysadmin"], **params)
    assert field in refused.value.error_dict


def test_an_unknown_edition_is_not_found(people: dict[str, Any]) -> None:
    with pytest.raises(tk.ObjectNotFound):
        queue(people["sysadmin"], id="no-such-edition")


def test_hostile_api_calls_answer_4xx(app: Any, people: dict[str, Any]) -> None:
    token = factories.APIToken(user=people["sysadmin"]["name"])["token"]
    for body, status in (({"id": EDITION, "rows": [1]}, 409), ({"id": "nope"}, 404),
                         ({"id": EDITION, "language": "x" * 100000}, 409)):
        response = app.post("/api/3/action/odconf_translation_queue", json=body,
                            headers={"Authorization": token})
        assert response.status_code == status, body


# The page ---------------------------------------------------------------------


def page(app: Any, user: Any, path: str = f"/conference/{EDITION}/translations") -> Any:
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    return app.get(path, headers=headers)


@pytest.mark.usefixtures("entries")
def test_the_page_lists_what_to_translate_with_links_to_edit_it(app: Any, people: dict[str, Any]) -> None:
    response = page(app, people["editor"])
    assert response.status_code == 200
    body = response.body
    assert body.count('<tr data-path="') == len(PROGRAMME_WITHOUT_KHMER)
    assert f'href="/conference/edit/{EDITION}#field-agenda"' in body
    assert body.count('<tr data-name="') == 4
    assert 'href="/dataset/edit/english-only"' in body
    assert "private-of-other" not in body and "Other&#39;s internal" not in body
    assert 'data-share="0.2"' in body  # the programme: 2 of 10


@pytest.mark.usefixtures("entries")
def test_the_page_in_khmer(app: Any, people: dict[str, Any]) -> None:
    body = page(app, people["editor"], f"/km/conference/{EDITION}/translations").body
    assert "ជួរនៃការបកប្រែ" in body  # "Translation queue"
    assert '<td lang="en">Open Data for Health</td>' in body


@pytest.mark.parametrize("role", ["member", "outsider", "user"])
def test_the_page_is_forbidden_to_others(app: Any, people: dict[str, Any], role: str) -> None:
    assert page(app, people[role]).status_code == 403


def test_the_page_is_forbidden_to_anonymous_visitors(app: Any, people: dict[str, Any]) -> None:
    assert page(app, None).status_code == 403


def test_a_bad_page_number_or_edition(app: Any, people: dict[str, Any]) -> None:
    assert page(app, people["editor"], f"/conference/{EDITION}/translations?page=x").status_code == 400
    assert page(app, people["editor"], "/conference/nope/translations").status_code == 404


@pytest.mark.parametrize("role, shown", [("editor", True), ("sysadmin", True), ("member", False), ("user", False)])
def test_the_conference_page_links_to_the_queue_for_who_may_read_it(
        app: Any, people: dict[str, Any], role: str, shown: bool) -> None:
    body = page(app, people[role], f"/conference/{EDITION}").body
    assert (f'href="/conference/{EDITION}/translations"' in body) is shown
    assert f'href="/conference/{EDITION}/translations"' not in page(app, None, f"/conference/{EDITION}").body

"""Hidden entries (private, draft, deleted) never show to who may not read them.

Each leak is probed as an anonymous visitor and as an editor of another
organisation; a member of the owning organisation (or a sysadmin) is the
control that must see the hidden entry, so no test passes by showing nothing.
"""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers

from tests.conftest import conference_data

ObjectNotFound = helpers.logic.NotFound
NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError

HIDDEN = ("secret", "draft", "gone")
#: Who must not see hidden entries, and who must see the private one.
STRANGERS = ("", "outsider")
INSIDERS = ("insider", "admin")


def as_user(name: str) -> dict[str, Any]:
    """An action context for ``name`` ("" is an anonymous visitor), with auth checked."""
    return {"user": name, "ignore_auth": False}


def call(user: str, action: str, **data: Any) -> Any:
    return helpers.call_action(action, as_user(user), **data)


@pytest.fixture
def catalogue(clean_db: Any, clean_index: Any, with_plugins: Any) -> dict[str, Any]:
    """An organisation with a public, a private, a draft and a deleted entry.

    Each entry ``<kind>-entry`` has the tag ``<kind>-tag`` and a resource of
    format ``<KIND>FMT``; ``insider`` edits the owning organisation,
    ``outsider`` another one, ``admin`` is a sysadmin.
    """
    factories.Sysadmin(name="admin")
    factories.User(name="insider")
    factories.User(name="outsider")
    owner = factories.Organization(name="owner", users=[{"name": "insider", "capacity": "editor"}])
    factories.Organization(name="elsewhere", users=[{"name": "outsider", "capacity": "editor"}])
    entries = {}
    for kind in ("open",) + HIDDEN:
        entries[kind] = factories.Dataset(
            name=f"{kind}-entry", owner_org=owner["id"], license_id="cc-by",
            private=kind == "secret", state="draft" if kind == "draft" else "active",
            tags=[{"name": f"{kind}-tag"}],
            resources=[{"url": "https://example.org/data", "format": f"{kind.upper()}FMT"}],
        )
    helpers.call_action("package_delete", id=entries["gone"]["id"])
    return {"owner": owner, **entries}


def names(tags: list[Any]) -> set[str]:
    return {tag["name"] if isinstance(tag, dict) else tag for tag in tags}


def hidden_tags(found: set[str]) -> set[str]:
    return found & {f"{kind}-tag" for kind in HIDDEN}


class TestTags:
    @pytest.mark.parametrize("user", STRANGERS)
    def test_tag_list(self, catalogue, user):
        assert names(call(user, "tag_list")) == {"open-tag"}
        assert names(call(user, "tag_list", query="tag", all_fields=True)) == {"open-tag"}

    @pytest.mark.parametrize("user", INSIDERS)
    def test_tag_list_control(self, catalogue, user):
        assert {"open-tag", "secret-tag"} <= names(call(user, "tag_list"))
        shown = call(user, "tag_list", query="secret", all_fields=True)
        assert [(tag["name"], tag["vocabulary_id"]) for tag in shown] == [("secret-tag", None)]

    @pytest.mark.parametrize("user", STRANGERS)
    def test_tag_search(self, catalogue, user):
        found = call(user, "tag_search", query="tag")
        assert found["count"] == 1
        assert [tag["name"] for tag in found["results"]] == ["open-tag"]
        assert set(found["results"][0]) == {"id", "name", "vocabulary_id"}

    @pytest.mark.parametrize("user", INSIDERS)
    def test_tag_search_control_with_pages(self, catalogue, user):
        first = call(user, "tag_search", query="tag", limit=1)
        second = call(user, "tag_search", query="tag", limit=1, offset=1)
        both = names(first["results"] + second["results"])
        assert first["count"] == second["count"] >= 2 and len(both) == 2
        assert "secret-tag" in names(call(user, "tag_search", query="tag")["results"])

    @pytest.mark.parametrize("user", STRANGERS)
    def test_tag_autocomplete(self, catalogue, user):
        assert call(user, "tag_autocomplete", q="tag") == ["open-tag"]

    @pytest.mark.parametrize("user", INSIDERS)
    def test_tag_autocomplete_control(self, catalogue, user):
        assert call(user, "tag_autocomplete", q="secret") == ["secret-tag"]

    def test_bad_paging_is_a_validation_error(self, catalogue):
        with pytest.raises(ValidationError):
            call("", "tag_search", query="tag", limit="many")
        with pytest.raises(ValidationError):
            call("", "tag_search", query="tag", offset=-1)


class TestFormats:
    @pytest.mark.parametrize("user", STRANGERS)
    def test_format_autocomplete(self, catalogue, user):
        assert call(user, "format_autocomplete", q="fmt") == ["openfmt"]

    @pytest.mark.parametrize("user", INSIDERS)
    def test_format_autocomplete_control(self, catalogue, user):
        assert sorted(call(user, "format_autocomplete", q="FMT", limit=5)) == ["openfmt", "secretfmt"]
        assert len(call(user, "format_autocomplete", q="fmt", limit=1)) == 1

    def test_bad_requests_are_validation_errors(self, catalogue):
        for bad in ({}, {"q": "fmt", "limit": "many"}, {"q": "fmt", "limit": -1}):
            with pytest.raises(ValidationError):
                call("", "format_autocomplete", **bad)


class TestMembers:
    @pytest.mark.parametrize("user", STRANGERS)
    def test_member_list_of_packages(self, catalogue, user):
        members = call(user, "member_list", id="owner", object_type="package")
        assert [member[0] for member in members] == [catalogue["open"]["id"]]

    def test_member_list_control(self, catalogue):
        members = call("insider", "member_list", id="owner", object_type="package")
        assert {member[0] for member in members} == {catalogue["open"]["id"], catalogue["secret"]["id"]}


class TestNotFound:
    @pytest.mark.parametrize("user", STRANGERS)
    @pytest.mark.parametrize("kind", HIDDEN)
    def test_package_show_by_name_and_id(self, catalogue, user, kind):
        with pytest.raises(ObjectNotFound) as missing:
            call(user, "package_show", id="no-such-entry")
        for id_ in (f"{kind}-entry", catalogue[kind]["id"]):
            with pytest.raises(ObjectNotFound) as hidden:
                call(user, "package_show", id=id_)
            assert str(hidden.value) == str(missing.value)

    @pytest.mark.parametrize("user", INSIDERS)
    def test_package_show_control(self, catalogue, user):
        assert call(user, "package_show", id="secret-entry")["private"] is True

    @pytest.mark.parametrize("user", STRANGERS)
    def test_resource_show(self, catalogue, user):
        with pytest.raises(ObjectNotFound):
            call(user, "resource_show", id=catalogue["secret"]["resources"][0]["id"])

    def test_resource_show_control(self, catalogue):
        resource_id = catalogue["secret"]["resources"][0]["id"]
        assert call("insider", "resource_show", id=resource_id)["format"] == "SECRETFMT"

    @pytest.mark.parametrize("user", STRANGERS)
    def test_update_of_a_hidden_entry(self, catalogue, user):
        with pytest.raises(ObjectNotFound):
            call(user, "package_patch", id="secret-entry", title="Taken")

    def test_update_of_a_readable_entry_is_still_not_authorized(self, catalogue):
        with pytest.raises(NotAuthorized):
            call("outsider", "package_patch", id="open-entry", title="Taken")


class TestPages:
    def urls(self, catalogue: dict[str, Any]) -> list[tuple[str, str]]:
        """Addresses of the private entry, each with what it must not reveal."""
        secret = catalogue["secret"]
        resource_id = secret["resources"][0]["id"]
        return [
            ("/api/3/action/package_show?id=secret-entry", secret["id"]),
            (f"/api/3/action/package_show?id={secret['id']}", "secret-entry"),
            (f"/api/3/action/resource_show?id={resource_id}", secret["id"]),
            ("/dataset/secret-entry", secret["id"]),
            (f"/dataset/{secret['id']}", "secret-entry"),
            # the file's page links its dataset by name (no id is shown on it)
            (f"/dataset/{secret['id']}/resource/{resource_id}", "secret-entry"),
        ]

    @pytest.mark.parametrize("user", STRANGERS)
    def test_hidden_entry_is_not_found(self, app, catalogue, user):
        headers = {}
        if user:
            token = helpers.call_action("api_token_create", user=user, name="probe")["token"]
            headers = {"Authorization": token}
        for url, unsaid in self.urls(catalogue):
            response = app.get(url, headers=headers, status=404)
            assert unsaid not in response.body, url

    def test_control_sees_it(self, app, catalogue):
        token = helpers.call_action("api_token_create", user="insider", name="probe")["token"]
        for url, said in self.urls(catalogue):
            assert said in app.get(url, headers={"Authorization": token}, status=200).body, url


@pytest.fixture
def references(catalogue: dict[str, Any]) -> dict[str, Any]:
    """A conference of ``owner`` and reference entries: public, private, draft, deleted."""
    entries = {}
    for kind in ("open",) + HIDDEN:
        entries[kind] = factories.Dataset(
            type="reference", name=f"{kind}-ref", title=f"{kind} reference",
            document_kind="survey", owner_org="owner", private=kind == "secret",
            state="draft" if kind == "draft" else "active",
        )
    agenda_references = ["open-ref", "secret-ref", "draft-ref", "gone-ref"]
    data = conference_data("owner", references=agenda_references)
    data["agenda"][0]["references"] = agenda_references
    helpers.call_action("group_create", as_user("admin"), **data)
    helpers.call_action("package_delete", id=entries["gone"]["id"])
    return entries


def write_entry(user: str, **fields: Any) -> dict[str, Any]:
    organisation = "owner" if user in INSIDERS else "elsewhere"
    return call(user, "package_create", name=f"entry-of-{user}", license_id="cc-by",
                owner_org=organisation, conference="odc-test-2025", **fields)


class TestReferenceValidator:
    def test_error_names_only_readable_references(self, references):
        with pytest.raises(ValidationError) as raised:
            write_entry("outsider", references=["no-such-ref"])
        assert raised.value.error_dict["references"] == [
            'Reference "no-such-ref" is neither a web address nor the name of a reference '
            "entry. Reference entries: open-ref"
        ]

    @pytest.mark.parametrize("kind", HIDDEN)
    def test_hidden_reference_is_refused(self, references, kind):
        with pytest.raises(ValidationError) as raised:
            write_entry("outsider", references=[f"{kind}-ref"])
        assert raised.value.error_dict["references"] == [
            f'Reference "{kind}-ref" is neither a web address nor the name of a reference '
            "entry. Reference entries: open-ref"
        ]

    def test_error_stays_small_whatever_is_sent(self, references):
        sent = [f"{n}-" + "x" * 50_000 for n in range(200)]
        with pytest.raises(ValidationError) as raised:
            write_entry("outsider", references=sent)
        messages = raised.value.error_dict["references"]
        assert len(messages) == 5
        assert all(len(message) < 300 for message in messages)
        assert messages[0].startswith('Reference "0-xxx')

    def test_control_may_refer_to_the_private_reference(self, references):
        with pytest.raises(ValidationError) as raised:
            write_entry("insider", references=["no-such-ref"])
        assert raised.value.error_dict["references"][0].endswith(
            "Reference entries: open-ref, secret-ref")
        assert write_entry("insider", references=["secret-ref"])["references"] == ["secret-ref"]


class TestConferences:
    @pytest.mark.parametrize("user", ("outsider", "insider"))
    def test_only_sysadmins_create_editions(self, catalogue, user):
        with pytest.raises(NotAuthorized):
            call(user, "group_create", **conference_data("owner", name=f"edition-of-{user}"))
        assert call("", "odconf_conference_list") == []
        assert call("admin", "group_create", **conference_data("owner"))["name"] == "odc-test-2025"
        assert [edition["edition"] for edition in call("", "odconf_conference_list")] == [
            "odc-test-2025"]

    def test_plain_groups_keep_core_rules(self, catalogue):
        assert call("outsider", "group_create", name="reading-club")["name"] == "reading-club"

    def test_group_admins_do_not_edit_or_delete_editions(self, catalogue):
        data = conference_data("owner", users=[{"name": "insider", "capacity": "admin"}])
        helpers.call_action("group_create", as_user("admin"), **data)
        with pytest.raises(NotAuthorized):
            call("insider", "group_patch", id="odc-test-2025", venue="Elsewhere")
        with pytest.raises(NotAuthorized):
            call("insider", "group_delete", id="odc-test-2025")
        call("admin", "group_patch", id="odc-test-2025", venue="Siem Reap")
        assert call("", "group_show", id="odc-test-2025")["venue"] == "Siem Reap"

    @pytest.mark.parametrize("user", STRANGERS + INSIDERS)
    def test_deleted_edition_is_not_listed(self, catalogue, user):
        helpers.call_action("group_create", as_user("admin"), **conference_data("owner"))
        helpers.call_action("group_delete", id="odc-test-2025")
        assert call(user, "odconf_conference_list") == []
        with pytest.raises(ObjectNotFound):
            call(user, "odconf_conference_show", id="odc-test-2025")

    @staticmethod
    def shown_references(user: str) -> tuple[list[str], list[str]]:
        shown = call(user, "odconf_conference_show", id="odc-test-2025")
        opening = shown["programme"][0]["sessions"][0]
        return [reference["name"] for reference in shown["references"]], opening["references"]

    @pytest.mark.parametrize("user", STRANGERS)
    def test_programme_shows_only_readable_references(self, references, user):
        assert self.shown_references(user) == (["open-ref"], ["open-ref"])

    @pytest.mark.parametrize("user", INSIDERS)
    def test_programme_control(self, references, user):
        readable = ["open-ref", "secret-ref"]
        assert self.shown_references(user) == (readable, readable)

    @pytest.mark.parametrize("user", STRANGERS)
    def test_group_show_names_only_readable_references(self, references, user):
        group = call(user, "group_show", id="odc-test-2025")
        assert (group["references"], group["agenda"][0]["references"]) == (["open-ref"], ["open-ref"])

    def test_group_show_control(self, references):
        group = call("insider", "group_show", id="odc-test-2025")
        assert group["agenda"][0]["references"] == ["open-ref", "secret-ref"]
        everything = call("admin", "group_show", id="odc-test-2025")
        assert everything["references"] == ["open-ref", "secret-ref", "draft-ref", "gone-ref"]

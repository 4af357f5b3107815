"""A public entry never names a reference entry its reader may not read.

A public dataset cites ``open-ref`` (public), ``secret-ref`` (private, of
another organisation), ``later-ref`` (made private after the citation) and a
web address. An anonymous visitor and an editor of another organisation see
only ``open-ref`` and the address, in every answer that carries the dataset;
a member of the references' organisation and a sysadmin are the controls that
must see the hidden names.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from ckan.tests import factories, helpers
from rdflib.namespace import DCTERMS as DCT

from ckanext.odconf.search_hooks import MULTI_VALUED
from tests.conftest import statements_run

ADDRESS = "https://example.org/study.pdf"
HIDDEN = {"secret-ref", "later-ref"}
FACET = MULTI_VALUED["references"]
#: Who must not see the hidden references, and who must (the controls).
STRANGERS = ("", "outsider")
INSIDERS = ("insider", "admin")


def call(user: str, action: str, **data: Any) -> Any:
    """``action`` as ``user`` ("" is an anonymous visitor), with auth checked."""
    return helpers.call_action(action, {"user": user, "ignore_auth": False}, **data)


@pytest.fixture
def citing(clean_db: Any, clean_index: Any, with_plugins: Any) -> dict[str, Any]:
    """The public dataset ``citing-data`` of ``publisher`` (which ``outsider``
    edits) and the reference entries it cites, the hidden ones of ``keeper``
    (of which ``insider`` is a member)."""
    factories.Sysadmin(name="admin")
    factories.User(name="insider")
    factories.User(name="outsider")
    publisher = factories.Organization(
        name="publisher", users=[{"name": "outsider", "capacity": "editor"}])
    keeper = factories.Organization(
        name="keeper", users=[{"name": "insider", "capacity": "member"}])
    references = {
        name: call("admin", "package_create", type="reference", name=name, license_id="cc-by",
                   title_translated={"en": name.replace("-", " ").title()},
                   document_kind="report", owner_org=owner["id"], private=name == "secret-ref")
        for name, owner in (("open-ref", publisher), ("secret-ref", keeper), ("later-ref", keeper))
    }
    dataset = call("admin", "package_create", name="citing-data", owner_org=publisher["id"],
                   title_translated={"en": "Citing data"}, license_id="cc-by",
                   references=["open-ref", "secret-ref", "later-ref", ADDRESS])
    call("admin", "package_patch", id="later-ref", private=True)
    return {"dataset": dataset, "references": references}


def token(user: str) -> dict[str, str]:
    """Request headers that sign in as ``user`` (none for an anonymous visitor)."""
    if not user:
        return {}
    created = helpers.call_action("api_token_create", {"user": user}, user=user, name="t")
    return {"Authorization": created["token"]}


def facet_names(found: dict[str, Any]) -> set[str]:
    assert set(found["facets"][FACET]) == {item["name"] for item in found["search_facets"][FACET]["items"]}
    return set(found["facets"][FACET])


def search(user: str, **data: Any) -> dict[str, Any]:
    return call(user, "package_search", fq="name:citing-data", **{"facet.field": [FACET], **data})


class TestPackageShow:
    @pytest.mark.parametrize("user", STRANGERS)
    def test_hidden_references_are_withheld(self, citing, user):
        assert call(user, "package_show", id="citing-data")["references"] == ["open-ref", ADDRESS]

    @pytest.mark.parametrize("user", INSIDERS)
    def test_control_sees_every_reference(self, citing, user):
        assert call(user, "package_show", id="citing-data")["references"] == [
            "open-ref", "secret-ref", "later-ref", ADDRESS]

    def test_a_deleted_or_draft_reference_is_withheld_from_its_team_too(self, citing):
        call("admin", "package_delete", id="later-ref")
        call("admin", "package_patch", id="secret-ref", state="draft")
        assert call("insider", "package_show", id="citing-data")["references"] == ["open-ref", ADDRESS]
        # internal readers (indexing, ignore_auth) keep the stored list
        shown = helpers.call_action("package_show", {"ignore_auth": True}, id="citing-data")
        assert set(shown["references"]) == {"open-ref", ADDRESS} | HIDDEN

    def test_a_patch_by_an_editor_who_cannot_read_them_keeps_the_citations(self, citing):
        patched = call("outsider", "package_patch", id="citing-data", notes="Edited")
        assert patched["notes"] == "Edited"
        assert patched["references"] == ["open-ref", ADDRESS]  # still not named to them
        # what the editor saw keeps its order; the hidden citations follow it
        shown = call("admin", "package_show", id="citing-data")["references"]
        assert shown == ["open-ref", ADDRESS, "secret-ref", "later-ref"]

    def test_saving_what_the_editor_sees_keeps_the_hidden_citations(self, citing):
        # the edit form shows the editor only what they may read, and sends it back
        seen = call("outsider", "package_show", id="citing-data")
        call("outsider", "package_update", **dict(seen, references=["open-ref"]))
        shown = call("admin", "package_show", id="citing-data")["references"]
        assert shown == ["open-ref", "secret-ref", "later-ref"]

    def test_an_editor_cannot_add_a_citation_they_cannot_read(self, citing):
        factories.Dataset(name="other-data", owner_org="publisher", license_id="cc-by")
        with pytest.raises(helpers.logic.ValidationError) as refused:
            call("outsider", "package_patch", id="other-data", references=["secret-ref"])
        assert "secret-ref" in str(refused.value.error_dict)  # the name they typed, nothing more
        assert "later-ref" not in str(refused.value.error_dict)


class TestPackageSearch:
    @pytest.mark.parametrize("user", STRANGERS)
    def test_results_and_facet_withhold_hidden_references(self, citing, user):
        found = search(user)
        assert [result["references"] for result in found["results"]] == [["open-ref", ADDRESS]]
        assert facet_names(found) == {"open-ref", ADDRESS}

    @pytest.mark.parametrize("user", STRANGERS)
    def test_a_counts_only_search_withholds_them_from_the_facet(self, citing, user):
        assert facet_names(search(user, rows=0)) == {"open-ref", ADDRESS}

    @pytest.mark.parametrize("user", INSIDERS)
    @pytest.mark.parametrize("rows", [10, 0])
    def test_control_sees_every_reference(self, citing, user, rows):
        found = search(user, rows=rows)
        assert facet_names(found) == {"open-ref", ADDRESS} | HIDDEN
        assert [result["references"] for result in found["results"]] == [
            ["open-ref", "secret-ref", "later-ref", ADDRESS]] * min(rows, 1)

    @pytest.mark.parametrize("user", STRANGERS + INSIDERS)
    @pytest.mark.parametrize("fl", [["name", FACET], ["extras_references"], ["validated_data_dict"],
                                    ["data_dict"]])
    def test_stored_fields_asked_for_with_fl(self, citing, user, fl):
        (result,) = search(user, fl=fl)["results"]
        shown = json.dumps(result)
        assert "open-ref" in shown and ADDRESS in shown
        assert all((name in shown) is (user in INSIDERS) for name in HIDDEN)

    @pytest.mark.parametrize("user", INSIDERS)
    def test_the_index_keeps_every_name(self, citing, user):
        found = call(user, "package_search", fq=f'{FACET}:"secret-ref"')
        assert [result["name"] for result in found["results"]] == ["citing-data"]

    def test_a_filter_of_the_callers_own_naming_labels_reveals_nothing(self, citing):
        found = search("outsider", fq_list=['+permission_labels:("member-x" OR "public")'])
        assert facet_names(found) == {"open-ref", ADDRESS}

    def test_one_query_at_most_and_none_without_reference_names(self, citing):
        call("admin", "package_create", name="plain-data", owner_org=citing["dataset"]["owner_org"],
             title_translated={"en": "Plain data"}, license_id="cc-by", references=[ADDRESS])
        plain = {"fq": "name:plain-data", "facet.field": [FACET]}
        cited = {"fq": "name:(plain-data OR citing-data)", "facet.field": [FACET]}
        without = statements_run(lambda: call("outsider", "package_search", **plain))
        with_names = statements_run(lambda: call("outsider", "package_search", **cited))
        assert with_names - without == 1


class TestPages:
    @pytest.mark.parametrize("user", STRANGERS)
    def test_the_dataset_page_withholds_hidden_references(self, citing, app, user):
        page = app.get("/dataset/citing-data", headers=token(user))
        assert page.status_code == 200
        assert "open-ref" in page.body and ADDRESS in page.body
        assert not any(name in page.body for name in HIDDEN)

    @pytest.mark.parametrize("user", INSIDERS)
    def test_control_sees_them_on_the_dataset_page(self, citing, app, user):
        page = app.get("/dataset/citing-data", headers=token(user)).body
        assert all(name in page for name in HIDDEN | {"open-ref"})

    @pytest.mark.parametrize("user", STRANGERS + INSIDERS)
    @pytest.mark.parametrize("path", ["/catalog.ttl", "/dataset/citing-data.ttl"])
    def test_dcat_names_public_references_only(self, citing, app, user, path):
        """ckanext-dcat reads the dataset through package_show or
        package_search as the caller; the odconf profile itself names only
        public entries, to everyone (so the controls here are package_show's)."""
        answer = app.get(path, headers=token(user))
        assert answer.status_code == 200, answer.body[:300]
        graph = rdflib.Graph().parse(data=answer.body, format="turtle")
        dataset = rdflib.URIRef(f"http://test.ckan.net/dataset/{citing['dataset']['id']}")
        cited = {str(uri) for uri in graph.objects(dataset, DCT.references)}
        open_ref = f"http://test.ckan.net/dataset/{citing['references']['open-ref']['id']}"
        assert cited == {open_ref, ADDRESS}
        for name in HIDDEN:
            assert name not in answer.body and citing["references"][name]["id"] not in answer.body

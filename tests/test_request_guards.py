"""Requests refused before CKAN reads them: NUL and unpaired surrogates in the
address or the query string answer 4xx on every page and action, never 500."""
from __future__ import annotations

import json
from typing import Any

import pytest
from ckan.tests import factories

NUL = "Contains a NUL character, which cannot be stored"
SURROGATE = "Contains an unpaired surrogate, which is not a character"


@pytest.fixture
def organisation(clean_db: Any, with_plugins: Any) -> dict[str, Any]:
    return factories.Organization(name="odc", title="Open Development Cambodia")


@pytest.mark.parametrize("action", ["group_show", "organization_show", "user_show",
                                    "package_show", "resource_show"])
@pytest.mark.parametrize("value, message", [("odc%00", NUL), ("%ED%A0%80odc", None)])
def test_action_with_a_bad_character_in_the_query_string(app, organisation, action, value,
                                                         message):
    response = app.get(f"/api/3/action/{action}?id={value}")
    if message is None:
        # Werkzeug keeps invalid UTF-8 percent-encoded: an id like any other, not found
        assert response.status_code == 404
    else:
        assert response.status_code == 409
        assert response.json["error"] == {"__type": "Validation Error", "id": [message]}


def test_control_the_same_action_answers_a_valid_id(app, organisation):
    response = app.get("/api/3/action/organization_show?id=odc")
    assert response.status_code == 200
    assert response.json["result"]["title"] == "Open Development Cambodia"


@pytest.mark.parametrize("url", ["/organization/odc%00", "/group/%00", "/dataset/x%00",
                                 "/user/%00", "/organization/?q=%00", "/dataset/?sort=%00"])
def test_page_with_a_nul_answers_400(app, organisation, url):
    response = app.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.body


def test_control_the_organisation_page(app, organisation):
    assert "Open Development Cambodia" in app.get("/organization/odc", status=200).body


def test_nul_in_a_parameter_name_is_refused_too(app, organisation):
    response = app.get("/api/3/action/organization_show?id=odc&x%00=1")
    assert response.status_code == 409
    assert response.json["error"] == {"__type": "Validation Error", "x\x00": [NUL]}


@pytest.mark.ckan_config("odconf.api.max_body_size", "1")
def test_an_action_body_over_the_limit_answers_413_and_writes_nothing(app, organisation):
    sysadmin = factories.Sysadmin()
    headers = {"Authorization": factories.APIToken(user=sysadmin["name"])["token"]}
    body = {"name": "too-large", "owner_org": "odc", "license_id": "cc-by", "notes": "x" * (1024 * 1024)}
    response = app.post("/api/3/action/package_create", json=body, headers=headers)
    assert response.status_code == 413
    assert response.json["error"] == {"__type": "Request Entity Too Large",
                                      "message": "The request body is larger than 1 MB"}
    assert app.get("/api/3/action/package_show?id=too-large", headers=headers).status_code == 404
    # control: the same entry with a body under the limit is created
    body["notes"] = "A large entry."
    body["resources"] = [{"url": f"https://example.org/{number}.csv", "description": "x" * 90_000}
                         for number in range(11)]
    assert 990_000 < len(json.dumps(body)) < 1024 * 1024
    response = app.post("/api/3/action/package_create", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["result"]["name"] == "too-large"

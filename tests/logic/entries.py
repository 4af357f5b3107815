"""Helpers of the catalogue entry tests: an editor calling the action API over
HTTP, and what a refused write may not leave behind."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers


@dataclass
class Answer:
    """An API answer as a client sees it."""

    status: int
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def errors(self) -> dict[str, Any]:
        return self.json["error"]


class Editor:
    """An editor of organisation ``odc-test`` calling the action API over HTTP."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.user = factories.User()
        helpers.call_action(
            "organization_member_create", {"ignore_auth": True},
            id="odc-test", username=self.user["name"], role="editor",
        )
        self.token = factories.APIToken(user=self.user["name"])["token"]

    def post(self, action: str, body: Any = None, raw: Optional[bytes] = None,
             **kwargs: Any) -> Answer:
        """POST ``body`` as JSON (or the bytes ``raw``) to ``action``."""
        if "data" not in kwargs:
            kwargs["data"] = raw if raw is not None else json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = self.app.post(f"/api/3/action/{action}",
                                 headers={"Authorization": self.token}, **kwargs)
        return Answer(response.status_code, response.get_data())


def valid_dataset(**overrides: Any) -> dict[str, Any]:
    """A dataset of the ``conference`` fixture's edition with every field of
    this extension filled in."""
    data: dict[str, Any] = {
        "name": "schools-2023",
        "title_translated": {"en": "Schools 2023", "km": "សាលារៀន ២០២៣"},
        "notes_translated": {"en": "Enrolment by province."},
        "license_id": "cc-by",
        "owner_org": "odc-test",
        "conference": "odc-test-2025",
        "theme": "education",
        "topic": "schools",
        "session": "breakout",
        "language": ["km", "en"],
        "spatial_coverage": ["KH", "KH-12"],
        "temporal_start": "2020-01-01",
        "temporal_end": "2023-12-31",
        "contact_name": "Data team",
        "contact_email": "data@example.org",
        "url": "https://example.org/schools",
        "version": "1.0",
        "tag_string": "education,schools",
        "resources": [{"url": "https://example.org/schools.csv", "format": "CSV",
                       "name": "Schools"}],
    }
    data.update(overrides)
    return data


def stored_files() -> list[str]:
    """Every file under CKAN's storage path."""
    root = tk.config.get("ckan.storage_path") or ""
    return sorted(os.path.join(folder, name)
                  for folder, _folders, names in os.walk(root) for name in names)


def footprint() -> dict[str, Any]:
    """What a write leaves: rows of datasets and resources (any state), the
    datasets the search index holds, the stored files."""
    model.Session.remove()
    site_user = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    return {
        "packages": model.Session.query(model.Package).count(),
        "resources": model.Session.query(model.Resource).count(),
        "indexed": helpers.call_action(
            "package_search", {"user": site_user}, rows=0, include_private=True,
            include_drafts=True, include_deleted=True)["count"],
        "files": stored_files(),
    }

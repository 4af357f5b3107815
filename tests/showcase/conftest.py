"""Fixtures of the showcase pages' tests: a small conference with datasets
public, private and draft, and people who may or may not read them."""
from __future__ import annotations

import re
from typing import Any, Optional

import pytest
from ckan.tests import factories, helpers

from tests.logic.entries import valid_dataset


def dataset(name: str, **fields: Any) -> dict[str, Any]:
    """A dataset of the ``conference`` fixture's edition, created by a sysadmin."""
    sysadmin = factories.Sysadmin()
    data = valid_dataset(name=name, **fields)
    return helpers.call_action("package_create", {"user": sysadmin["name"]}, **data)


@pytest.fixture
def catalogue(conference: dict[str, Any]) -> dict[str, Any]:
    """Theme ``education`` of ``odc-test-2025`` with three public datasets, a
    private one and a draft (both on topic ``schools``), and a dataset of
    another theme; a member (editor) of the publisher and an outsider."""
    member = factories.User()
    outsider = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True},
                        id="odc-test", username=member["name"], role="editor")
    dataset("schools-2023")
    dataset("teachers-2022", title_translated={"en": "Teachers 2022"}, topic="teachers",
            license_id="odc-odbl", language=["en"],
            resources=[{"url": "https://example.org/teachers.pdf", "format": "PDF"}])
    dataset("education-budget", title_translated={"en": "Education budget", "km": "ថវិកាអប់រំ"},
            topic=None, license_id="cc-by-sa")
    dataset("private-schools", title_translated={"en": "Private schools survey"}, private=True)
    dataset("draft-schools", title_translated={"en": "Draft schools list"}, state="draft")
    dataset("clinics-2021", title_translated={"en": "Clinics 2021"}, theme="health", topic="clinics")
    return {"member": member, "outsider": outsider, "conference": conference}


def get(app: Any, url: str, user: Optional[dict[str, Any]] = None, status: int = 200) -> str:
    """The page at ``url`` as ``user`` sees it (anonymous when None)."""
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    response = app.get(url, headers=headers, status=status)
    return response.body


def entry_links(body: str) -> list[str]:
    """The names of the entries listed as result cards, in order."""
    headings = re.findall(r'<h2 class="dataset-heading">(.*?)</h2>', body, flags=re.S)
    return [re.findall(r'href="/(?:km/)?[\w-]+/([\w-]+)"', heading)[0] for heading in headings]


def facet_items(body: str, title: str) -> dict[str, int]:
    """The values of the facet titled ``title``: label -> count."""
    section = re.search(
        r'<h2 class="module-heading">\s*<i class="fa fa-filter"></i>\s*' + re.escape(title)
        + r'\s*</h2>(.*?)</section>', body, flags=re.S)
    if section is None:
        return {}
    return {
        label.strip(): int(count)
        for label, count in re.findall(
            r'<span class="item-label">(.*?)</span>.*?<span class="item-count badge">(\d+)</span>',
            section.group(1), flags=re.S)
    }

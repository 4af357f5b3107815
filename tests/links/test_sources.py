"""Which links of an entry are checked: the schema's link fields and the
resources that are not uploads, of public entries only."""
from __future__ import annotations

from typing import Any

import pytest

from ckanext.odconf.links.sources import Link, entry_links, link_fields

pytestmark = pytest.mark.usefixtures("with_plugins")


def entry(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "entry-id", "type": "reference", "state": "active", "private": False,
        "url": "https://example.org/report ",
        "resources": [
            {"id": "r1", "url": "https://example.org/report.pdf"},
            {"id": "r2", "url": "report.pdf", "url_type": "upload"},
            {"id": "r3", "url": "ftp://example.org/data.csv"},
            {"id": "r4", "url": "https://example.org/" + "x" * 3000},
        ],
    }
    data.update(overrides)
    return data


def test_the_link_fields_come_from_the_schemas() -> None:
    # fields validated with url_validator: a later type's link fields need no code here
    assert link_fields("reference") == ["url"]
    assert link_fields("dataset") == ["url"]
    assert link_fields("no-such-type") == ["url"]


def test_a_public_entry_has_its_landing_page_and_linked_documents() -> None:
    assert entry_links(entry()) == [
        Link("url", "https://example.org/report"),
        Link("resource", "https://example.org/report.pdf", "r1"),
    ]


@pytest.mark.parametrize("overrides", [{"private": True}, {"state": "draft"},
                                       {"state": "deleted"}])
def test_entries_that_are_not_public_have_none(overrides: dict[str, Any]) -> None:
    assert entry_links(entry(**overrides)) == []
    # the control: the same entry, public
    assert len(entry_links(entry())) == 2

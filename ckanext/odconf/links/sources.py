"""Which outside links an entry carries.

An entry's outside links are the fields its ckanext-scheming schema validates
with ``url_validator`` (a reference's landing page, a dataset's source, and
so any later type's link fields, such as a hackathon project's repository and
demo, without code here) and the URLs of its resources that are not uploads.
Only public, active entries are checked.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Mapping, Optional

from ckanext.scheming.helpers import scheming_get_dataset_schema

RESOURCE_FIELD = "resource"
# Longer addresses are not checked (and cannot be keys of the result table).
MAX_URL_LENGTH = 2048


@dataclasses.dataclass(frozen=True)
class Link:
    """One outside link of an entry: a dataset field, or a resource's URL."""

    field: str
    url: str
    resource_id: str = ""


def link_fields(dataset_type: str) -> list[str]:
    """The dataset fields of ``dataset_type`` that hold an outside link."""
    schema = scheming_get_dataset_schema(dataset_type) or {}
    return [
        field["field_name"]
        for field in schema.get("dataset_fields", [])
        if "url_validator" in str(field.get("validators", "")).split()
    ] or ["url"]


def checkable_url(value: Any) -> Optional[str]:
    """``value`` as an address the checker takes (http or https, not too long), else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if url.startswith(("http://", "https://")) and len(url) <= MAX_URL_LENGTH else None


def is_public(pkg_dict: Mapping[str, Any]) -> bool:
    """Whether anyone may read the entry (only those are checked)."""
    return pkg_dict.get("state", "active") == "active" and not pkg_dict.get("private")


def entry_links(pkg_dict: Mapping[str, Any]) -> list[Link]:
    """The outside links of an entry (none when it is not public)."""
    if not is_public(pkg_dict):
        return []
    links = []
    for field in link_fields(pkg_dict.get("type") or "dataset"):
        url = checkable_url(pkg_dict.get(field))
        if url:
            links.append(Link(field, url))
    for resource in pkg_dict.get("resources") or []:
        url = checkable_url(resource.get("url"))
        if url and resource.get("url_type") != "upload" and resource.get("id") \
                and resource.get("state", "active") == "active":
            links.append(Link(RESOURCE_FIELD, url, resource["id"]))
    return links

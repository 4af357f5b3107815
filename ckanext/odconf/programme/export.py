"""A conference edition written back as a programme file (``ckan odconf export``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.odconf.logic import conference as conferences
from ckanext.odconf.programme import format as yaml_format, mapping


def _active_references(context: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    references = []
    for name in names:
        try:
            reference = tk.get_action("package_show")(dict(context), {"id": name})
        except tk.ObjectNotFound:
            continue
        # drafts and deleted entries are not part of the programme: a file
        # loads everything active, so writing them would publish them
        if reference["state"] == "active":
            references.append(reference)
    return references


def programme_data(edition: str) -> dict[str, Any]:
    """The content of the programme file of ``edition``, read from the catalogue.

    :raises ckan.plugins.toolkit.ObjectNotFound: when ``edition`` is not an
        active conference
    """
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    group = tk.get_action("group_show")(dict(context), {"id": edition, "include_datasets": False})
    if group.get("type") != conferences.CONFERENCE_TYPE or group.get("state") != "active":
        raise tk.ObjectNotFound(f'"{edition}" is not an active conference')
    references = _active_references(context, group.get("references") or [])
    without_organisations = mapping.programme_from_catalogue(group, [], references)
    organisations = [
        tk.get_action("organization_show")(dict(context), {"id": name, "include_datasets": False})
        for name in mapping.named_organisations(without_organisations)
    ]
    return mapping.programme_from_catalogue(group, organisations, references)


def programme_text(edition: str) -> str:
    """The programme file of ``edition`` as YAML text (see :func:`programme_data`)."""
    return (
        f"# Programme of {edition}, exported from the catalogue by `ckan odconf export`.\n"
        + yaml_format.dump(programme_data(edition))
    )

"""Plugin ``odconf_harvest``, for a portal that harvests a catalogue with ``dcat_rdf_harvester``.

ckanext-dcat's RDF harvester updates every dataset it finds again at each
harvest, changed or not: each one gets a new ``metadata_modified`` and a new
activity, and the job reports every entry as updated. With this plugin next
to ``harvest`` and ``dcat_rdf_harvester``, an entry whose harvested record is
the same as at the previous harvest is left as it is and reported as not
modified, so that only the entries that changed at the source are updated.

A project's "datasets used" are the entries of this site harvested from the
URIs it was derived from. The source lists them in any order, on any page, so
they are looked up when the project is imported, not when its page was read,
and a dataset arriving after a project that used it is added to that project
then: the first harvest links them all, and the next one finds nothing changed.

A hackathon project arrives without its award: on this site only publishing
its own results sets one (the award validator refuses any other write), and a
project refused would not arrive at all.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.odconf.dcat.profile import DERIVED_FROM, harvested_entry_name
from ckanext.odconf.hackathon.projects import PROJECT_TYPE
from ckanext.odconf.logic import values


def _record(content: Optional[str]) -> Optional[dict[str, Any]]:
    """A harvested record without its ``name``, which the harvester makes up anew each
    time from the title (a different one while the first one is taken), and without
    the datasets used as found when the page was read (see :func:`_link_used`)."""
    if not content:
        return None
    record = json.loads(content)
    record.pop("name", None)
    record.pop("datasets_used", None)
    return record


def _derived_from(dataset_dict: dict[str, Any]) -> list[str]:
    """The URIs a parsed or stored project was derived from."""
    extras = dataset_dict.get("extras") or []
    value = next((extra["value"] for extra in extras if extra.get("key") == DERIVED_FROM), None)
    uris = values.parse_json(value) if value else None
    return [uri for uri in uris if isinstance(uri, str)] if isinstance(uris, list) else []


def _link_used(dataset_dict: dict[str, Any]) -> None:
    """A project's datasets used: those of its sources harvested here by now."""
    if dataset_dict.get("type") == PROJECT_TYPE:
        names = (harvested_entry_name(uri) for uri in _derived_from(dataset_dict))
        dataset_dict["datasets_used"] = sorted({name for name in names if name})


def _link_to_projects(guid: str, name: str) -> None:
    """Add a dataset just harvested to the projects harvested before it that used it."""
    waiting = (
        model.Session.query(model.Package.id)
        .join(model.PackageExtra, model.PackageExtra.package_id == model.Package.id)
        .filter(model.Package.type == PROJECT_TYPE, model.Package.state == "active",
                model.PackageExtra.key == DERIVED_FROM, model.PackageExtra.state == "active",
                model.PackageExtra.value.contains(json.dumps(guid)))
    )
    for (project_id,) in waiting:
        project = tk.get_action("package_show")({"ignore_auth": True}, {"id": project_id})
        used = list(project.get("datasets_used") or [])
        if guid in _derived_from(project) and name not in used:
            site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
            tk.get_action("package_patch")(
                {"ignore_auth": True, "user": site_user["name"]},
                {"id": project_id, "datasets_used": sorted(used + [name])})


def previous_record(harvest_object: Any) -> Optional[dict[str, Any]]:
    """The record this object's entry had when it was last imported, if it was."""
    from ckanext.harvest.model import HarvestObject  # only where ckanext-harvest runs

    previous = (
        model.Session.query(HarvestObject.content)
        .filter(HarvestObject.guid == harvest_object.guid,
                HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
                HarvestObject.id != harvest_object.id,
                HarvestObject.state == "COMPLETE",
                HarvestObject.import_finished.isnot(None))
        .order_by(HarvestObject.import_finished.desc())
        .first()
    )
    return _record(previous.content) if previous else None


def _without_award(dataset_dict: dict[str, Any]) -> None:
    if dataset_dict.get("type") == PROJECT_TYPE:
        dataset_dict.pop("award", None)


class OdconfHarvestPlugin(p.SingletonPlugin):
    """Skip updates of harvested entries that did not change at the source."""

    p.implements(IDCATRDFHarvester, inherit=True)

    def before_create(self, harvest_object: Any, dataset_dict: dict[str, Any],
                      temp_dict: dict[str, Any]) -> None:
        """A project without its award, with its datasets used found now (see the
        module's docstring)."""
        _without_award(dataset_dict)
        _link_used(dataset_dict)

    def after_create(self, harvest_object: Any, dataset_dict: dict[str, Any],
                     temp_dict: dict[str, Any]) -> None:
        """Link the new entry to the projects harvested before it that used it."""
        _link_to_projects(harvest_object.guid, dataset_dict["name"])

    def before_update(self, harvest_object: Any, dataset_dict: dict[str, Any],
                      temp_dict: dict[str, Any]) -> None:
        """Empty ``dataset_dict`` (ckanext-dcat then skips the update) when nothing changed."""
        _without_award(dataset_dict)
        _link_used(dataset_dict)
        if _record(harvest_object.content) != previous_record(harvest_object):
            return
        # the harvester keeps the object's dataset only when it updates it
        harvest_object.package_id = dataset_dict["id"]
        harvest_object.add()
        dataset_dict.clear()

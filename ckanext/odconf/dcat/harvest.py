"""Plugin ``odconf_harvest``, for a portal that harvests a catalogue with ``dcat_rdf_harvester``.

ckanext-dcat's RDF harvester updates every dataset it finds again at each
harvest, changed or not: each one gets a new ``metadata_modified`` and a new
activity, and the job reports every entry as updated. With this plugin next
to ``harvest`` and ``dcat_rdf_harvester``, an entry whose harvested record is
the same as at the previous harvest is left as it is and reported as not
modified, so that only the entries that changed at the source are updated.

A hackathon project arrives without its award: on this site only publishing
its own results sets one (the award validator refuses any other write), and a
project refused would not arrive at all.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.model as model
import ckan.plugins as p
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.odconf.hackathon.projects import PROJECT_TYPE


def _record(content: Optional[str]) -> Optional[dict[str, Any]]:
    """A harvested record without its ``name``, which the harvester makes up anew each
    time from the title (a different one while the first one is taken)."""
    if not content:
        return None
    record = json.loads(content)
    record.pop("name", None)
    return record


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
        """A project without its award (see the module's docstring)."""
        _without_award(dataset_dict)

    def before_update(self, harvest_object: Any, dataset_dict: dict[str, Any],
                      temp_dict: dict[str, Any]) -> None:
        """Empty ``dataset_dict`` (ckanext-dcat then skips the update) when nothing changed."""
        _without_award(dataset_dict)
        if _record(harvest_object.content) != previous_record(harvest_object):
            return
        # the harvester keeps the object's dataset only when it updates it
        harvest_object.package_id = dataset_dict["id"]
        harvest_object.add()
        dataset_dict.clear()

"""Template helpers of the catalogue in RDF."""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.odconf.dcat import cache
from ckanext.odconf.dcat.catalogue import Serializer


@tk.chained_helper
def structured_data(next_helper: Callable[..., str], dataset_dict: dict[str, Any],
                    profiles: Optional[list[str]] = None) -> str:
    """The schema.org JSON-LD of a dataset page, as ckanext-dcat's helper writes it.

    Stock ckanext-dcat builds a serializer that looks its profile classes up in
    the installed packages' entry points on every page view (about 50 ms on a
    2-core machine); this one keeps them for the process (see ``Serializer``),
    and keeps what it wrote in the cache of serialisations, under a key that
    names all it was made from (see ``cache``).
    """
    if not profiles:
        profiles = tk.aslist(tk.config.get("ckanext.dcat.structured_data.profiles")) or ["schemaorg"]

    def write() -> str:
        output: str = Serializer(profiles=profiles).serialize_dataset(dataset_dict, _format="jsonld")
        try:
            # the same layout as ckanext-dcat's, escaped for a <script> element
            return json.dumps(json.loads(output), sort_keys=True, indent=4,
                              separators=(",", ": "), cls=_ForHTML)
        except ValueError:
            return output

    return cache.kept_or_written(dataset_dict, "structured_data", profiles, write)


class _ForHTML(json.JSONEncoder):
    """JSON safe inside an HTML ``<script>``: ``<``, ``>`` and ``&`` escaped."""

    def iterencode(self, o: Any, _one_shot: bool = False) -> Any:
        for chunk in super().iterencode(o, _one_shot):
            yield chunk.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def get_helpers() -> dict[str, Any]:
    """The helpers to register; ``structured_data`` only beside the plugin that has it."""
    return {"structured_data": structured_data} if p.plugin_loaded("structured_data") else {}

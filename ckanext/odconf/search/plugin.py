"""Wiring of the ``odconf_search`` plugin: the embedded PostgreSQL search."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins as p
import yaml

from . import backend, cli
from .connection import collapse_filter_list


class OdconfSearchPlugin(p.SingletonPlugin):
    """CKAN's dataset search, served by PostgreSQL instead of Solr."""

    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration)
    p.implements(p.IClick)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: "p.toolkit.CKANConfig") -> None:
        # Runs before CKAN validates its configuration and checks the Solr
        # schema at start-up. CKAN declares solr_url as required; with the
        # embedded search nothing connects to it, so a marker fills it.
        if not config.get("solr_url"):
            config["solr_url"] = backend.NO_SOLR_URL
        backend.install()

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return collapse_filter_list(search_params)

    def get_commands(self) -> list[Any]:
        return [cli.odconf_search]

    def declare_config_options(self, declaration: Any, key: Any) -> None:
        path = os.path.join(os.path.dirname(__file__), "config_declaration.yaml")
        with open(path, encoding="utf-8") as source:
            declaration.load_dict(yaml.safe_load(source))

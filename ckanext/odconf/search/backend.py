"""Put the embedded index in the place of Solr inside ``ckan.lib.search``.

CKAN 2.11 has no interface for search backends; its search modules obtain
their Solr client from ``make_connection`` and check the Solr schema once at
start-up. Those two names are the whole seam: the modules that bound them at
import time get functions that answer with :class:`PostgresConnection` while
the ``odconf_search`` plugin is loaded, and with CKAN's own otherwise. A site
that does not list the plugin never imports this module, so stock CKAN with
Solr runs with nothing of it in the path.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.lib.search as ckan_search
import ckan.lib.search.common as ckan_common
import ckan.lib.search.index as ckan_index
import ckan.lib.search.query as ckan_query
from ckan.common import config

from . import transaction
from .connection import PostgresConnection

PLUGIN_NAME = "odconf_search"
NO_SOLR_URL = "http://127.0.0.1:8983/solr/not-used-by-odconf_search"
_MODULES_USING_CONNECTION = (ckan_search, ckan_common, ckan_index, ckan_query)
_solr_make_connection = ckan_common.make_connection
_solr_check_schema_version = ckan_search.check_solr_schema_version


def active() -> bool:
    """True while the site's configuration enables ``odconf_search``."""
    return PLUGIN_NAME in config.get("ckan.plugins", [])


def make_connection(decode_dates: bool = True) -> Any:
    """The search connection: PostgreSQL while the plugin is enabled, else Solr."""
    if active():
        return PostgresConnection(decode_dates=decode_dates)
    return _solr_make_connection(decode_dates)


def check_solr_schema_version(schema_file: Optional[str] = None) -> bool:
    """The embedded index has no Solr schema to check; a given file still is."""
    if active() and schema_file is None:
        return True
    return _solr_check_schema_version(schema_file)


def install() -> None:
    """Route ``ckan.lib.search`` to the embedded index (idempotent)."""
    for module in _MODULES_USING_CONNECTION:
        module.make_connection = make_connection
    ckan_search.check_solr_schema_version = check_solr_schema_version
    transaction.listen()

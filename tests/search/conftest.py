"""Shared set-up of the embedded search tests.

These tests run the ``odconf_search`` plugin alone, next to CKAN's default
plugins: the backend is a self-contained sub-package and must give CKAN's
search behaviour whatever else is enabled. Each module sets
``pytestmark = SEARCH_ONLY``.
"""
from __future__ import annotations

import pytest

SEARCH_ONLY = [
    pytest.mark.ckan_config("ckan.plugins", "odconf_search"),
    pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", "true"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

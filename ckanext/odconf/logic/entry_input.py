"""Catalogue entries checked before they are written.

``package_create`` / ``package_update`` chained: malformed or oversized input
answers a ``ValidationError`` and leaves nothing half-written.
"""
from __future__ import annotations

from typing import Any


def get_actions() -> dict[str, Any]:
    """Chained actions registered by the plugin (IActions)."""
    return {}

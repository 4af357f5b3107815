"""Result cache of the embedded search, shared by every CKAN worker through Redis.

Like Solr's queryResultCache, a search result is kept for the state of the
index it was computed on: the key holds the name of that state (see
``transaction.index_state``) and every search parameter, the permission
labels among them (they are in ``fq``). A change committed to the index
gives it a new name, never used before by this database or any other, so no
one is served a result older than what they could see, nor one computed on
another database that shares the Redis and the ``ckan.site_id``.
Redis being unavailable only costs the cache, never the search.
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Optional

from ckan.common import config
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)

_PREFIX = "odconf_search:result"


def ttl() -> int:
    """Seconds a result is kept; 0 turns the cache off."""
    value = config.get("odconf_search.result_cache_ttl")
    return 600 if value is None else int(value)


def key(index_state: str, params: dict[str, Any]) -> str:
    """The cache key of a search with ``params`` on the index in ``index_state``."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    return f"{_PREFIX}:{config.get('ckan.site_id')}:{index_state}:{digest}"


def get(cache_key: str) -> Optional[Any]:
    try:
        value = connect_to_redis().get(cache_key)
    except Exception as error:  # the search goes on without its cache
        log.warning("odconf_search result cache unavailable: %s", error)
        return None
    return None if value is None else json.loads(value)


def put(cache_key: str, value: Any) -> None:
    try:
        connect_to_redis().set(cache_key, json.dumps(value), ex=ttl())
    except Exception as error:
        log.warning("odconf_search result cache unavailable: %s", error)

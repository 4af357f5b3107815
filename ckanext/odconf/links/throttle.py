"""Per-host rate limit shared by every worker: Redis keeps, per host, the time
from which the next request may start."""
from __future__ import annotations

import time

from ckan.lib.redis import connect_to_redis

# Reserves the next free slot of a host atomically; Redis's own clock is used
# so that workers on different machines agree. Returns the seconds to wait.
_RESERVE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local interval = tonumber(ARGV[1])
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, next_free)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.ceil((slot + interval - now) * 1000) + 1000)
return tostring(slot - now)
"""


class HostThrottle:
    """Spaces requests to one host ``60 / per_minute`` seconds apart (0: no limit)."""

    def __init__(self, per_minute: int, prefix: str) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.prefix = prefix
        self._redis = connect_to_redis()
        self._reserve = self._redis.register_script(_RESERVE)

    def wait(self, host: str) -> None:
        """Block until a request to ``host`` may start."""
        if not self.interval:
            return
        delay = float(self._reserve(keys=[f"{self.prefix}:{host.lower()}"], args=[self.interval]))
        if delay > 0:
            time.sleep(delay)

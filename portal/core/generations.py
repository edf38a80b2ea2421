"""A generation: a token in the shared cache that any process replaces when something changes,
so that every worker's memo keyed by it (the page cache, admin sidebars) is out of date at once.

Each worker keeps the token it last read for `refresh_seconds`, which saves a cache round trip
per request: another worker's change is seen within that time, this worker's at once.
"""

import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction


class Generation:
    """The generation stored under `key`; `on_new` (optional) runs in this worker whenever it
    starts a new one (to empty a memo kept beside it)."""

    def __init__(self, key: str, *, refresh_seconds: float = 1.0, on_new: Callable[[], None] | None = None):
        self.key, self.refresh_seconds, self.on_new = key, refresh_seconds, on_new
        self._value, self._read_at = None, 0.0

    def current(self) -> str:
        """The shared token, as this worker last read it (at most `refresh_seconds` ago)."""
        now = time.monotonic()
        if self._value and now - self._read_at < self.refresh_seconds:
            return self._value
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            value = cache.get(self.key)
        self._value, self._read_at = value, now
        return value

    def forget(self) -> None:
        """Drop this worker's copy, so the next `current` reads the shared one (the tests do when
        they empty the cache, which a copy up to `refresh_seconds` old would outlive)."""
        self._value, self._read_at = None, 0.0

    def new(self) -> None:
        """Start a new generation now."""
        value = uuid.uuid4().hex
        cache.set(self.key, value, None)
        self._value, self._read_at = value, time.monotonic()
        if self.on_new:
            self.on_new()

    def invalidate(self, **kwargs) -> None:
        """Start a new generation now and again when the current transaction commits, so that
        what another request builds between the change and its commit is not kept. A signal
        receiver."""
        self.new()
        transaction.on_commit(self.new)

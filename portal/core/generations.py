"""A generation: a token in the shared cache that any process replaces when something changes,
so that every worker's memo keyed by it (the page cache, admin sidebars, `Memo`s) is out of
date at once.

Each worker keeps the token it last read for `refresh_seconds`, which saves a cache round trip
per request: another worker's change is seen within that time, this worker's at once.
"""

import pickle
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import transaction

# How many of a transaction's latest commit callbacks `Generation.invalidate` looks through for
# its own renewal before registering another.
RECENT_CALLBACKS = 32

# Every Generation and Memo of the process, for `forget_all`.
_generations: list["Generation"] = []
_memos: list["Memo"] = []


class Generation:
    """The generation stored under `key`; `on_new` (optional) runs in this worker whenever it
    starts a new one (to empty a memo kept beside it)."""

    def __init__(self, key: str, *, refresh_seconds: float = 1.0, on_new: Callable[[], None] | None = None):
        self.key, self.refresh_seconds, self.on_new = key, refresh_seconds, on_new
        self._value, self._read_at = None, 0.0
        _generations.append(self)

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
        what another request builds between the change and its commit is not kept; once at
        commit however many rows the transaction changes (`_renewed_at_commit`), and only now
        outside a transaction. A signal receiver."""
        self.new()
        connection = transaction.get_connection()
        # Outside a transaction the change is committed already: once is enough.
        if connection.in_atomic_block and not self._renewed_at_commit(connection):
            transaction.on_commit(self.new)

    def _renewed_at_commit(self, connection) -> bool:
        """Whether this generation's renewal is already among the transaction's latest commit
        callbacks (Django's `run_on_commit`). One there runs at commit unless a savepoint still
        open rolls back — which undoes the change at hand too, savepoints being nested — as
        Django drops the callbacks of a rolled-back savepoint: so an import saving 10,000 rows in
        one transaction renews once at commit, not 10,000 times (two cache writes a row were
        0.3–0.4 ms). Only the latest few are looked at; a renewal further back is registered
        again, which is harmless."""
        return any(func == self.new for _, func, _ in connection.run_on_commit[-RECENT_CALLBACKS:])


def shared_tokens(generations: list[Generation]) -> tuple[str, ...]:
    """The shared tokens of `generations` as they are now, read in one cache round trip (not
    each worker's copy, which may be up to `refresh_seconds` old): for what must show another
    worker's change on the very next request."""
    found = cache.get_many([generation.key for generation in generations])
    tokens = []
    for generation in generations:
        token = found.get(generation.key)
        if token is None:  # none yet (an emptied cache): made now, as `current` makes one
            generation.forget()
            token = generation.current()
        tokens.append(token)
    return tuple(tokens)


class Memo:
    """Rows read from the database that every request of a worker needs and that rarely
    change (the request's site and settings, the filing batches): kept in the worker's memory
    per key under `generation`, which the code that changes them starts anew (a signal receiver
    calling `generation.invalidate`). Kept pickled, and each `get` returns a fresh copy, so
    that nothing one request sets on an object reaches another."""

    def __init__(self, generation: Generation, *, max_entries: int = 32):
        self.generation, self.max_entries = generation, max_entries
        self._entries: dict[Hashable, tuple[str, bytes]] = {}
        _memos.append(self)

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A fresh copy of `build()`'s value for `key`: built once per generation."""
        generation = self.generation.current()
        entry = self._entries.get(key)
        if entry is None or entry[0] != generation:
            value = build()
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            entry = self._entries[key] = (generation, pickle.dumps(value))
        return pickle.loads(entry[1])  # noqa: S301 - bytes this worker pickled itself, just above

    def forget(self) -> None:
        """Empties this worker's entries."""
        self._entries.clear()


class Tokens:
    """A generation for each of many owners (an account, an enterprise) in the shared cache,
    for what is kept per owner and changes with the owner's own rows only: `current(owner)`
    reads the owner's token (one cache read; nothing is kept in the worker), `renew(*owners)`
    replaces theirs now and again when the current transaction commits — what a request built
    from rows read before the commit is kept under the old token, which nobody reads again."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def _key(self, owner) -> str:
        return f"{self.prefix}:{owner}:token"

    def current(self, owner) -> str:
        key = self._key(owner)
        token = cache.get(key)
        if token is None:
            cache.add(key, uuid.uuid4().hex, None)
            token = cache.get(key)
        return token

    def renew(self, *owners) -> None:
        def renew():
            cache.set_many({self._key(owner): uuid.uuid4().hex for owner in owners}, None)

        if owners:
            renew()
            transaction.on_commit(renew)


# "app_label.model" -> the generation of that model's rows (`rows_of`).
_rows: dict[str, Generation] = {}


def rows_of(label: str) -> Generation:
    """The generation of the rows of model `label` ("app_label.Model"): a new one whenever a
    row of it is saved or deleted through the ORM, in any process (`renew_rows`). A change made
    with `QuerySet.update`, `bulk_create` or COPY is not seen: the code making it calls
    `rows_of(label).invalidate()` itself."""
    key = label.lower()
    generation = _rows.get(key)
    if generation is None:
        generation = _rows[key] = Generation(f"rows:{key}:generation")
    return generation


def renew_rows(sender, **kwargs) -> None:
    """post_save and post_delete of every model (connected by portal.core.apps in every
    process): a new generation of the rows of the model saved or deleted, of the concrete model
    behind a proxy, and of every model it inherits from (a page's row is a wagtailcore.Page row
    too). Every model, not only those some list keeps things under: a process that saves a row
    before it ever reads its generation — a background worker, a web worker whose first request
    is a POST — must renew it all the same."""
    meta = sender._meta
    labels = {meta.label, meta.concrete_model._meta.label, *(parent._meta.label for parent in meta.get_parent_list())}
    for label in labels:
        rows_of(label).invalidate()


def on_change(receiver, *senders, uid: str) -> None:
    """Connects `receiver` to post_save and post_delete of each of `senders` (a model class or
    "app_label.Model"), once however often this runs (`uid` names the purpose)."""
    from django.db.models.signals import post_delete, post_save

    for sender in senders:
        name = (sender if isinstance(sender, str) else sender._meta.label).lower()
        for signal, verb in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(receiver, sender=sender, weak=False, dispatch_uid=f"{uid}-{verb}-{name}")


def forget_all() -> None:
    """Empties every memo of this worker and drops its copy of every generation: the tests do
    between tests, whose rows are rolled back without a commit that would start a new one."""
    for memo in _memos:
        memo.forget()
    for generation in _generations:
        generation.forget()
        if generation.on_new:
            generation.on_new()

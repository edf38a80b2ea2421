"""A web worker's memory and Python's cyclic garbage collector.

A worker keeps for its whole life what Django, Wagtail and the portal load (apps, models, URL
patterns, templates, the workers' memos): 250,000 objects that every full collection walks
again, about 130 ms each, in the middle of some request. `gc.freeze` (Python's documented
remedy) moves what is alive into a generation the collector no longer visits; done after the
worker's first requests, when what stays has been loaded, and after a `gc.collect` so that no
garbage of those requests is kept.
"""

import gc

# After how many finished requests of the worker what is alive is frozen again (templates and
# memos of pages read later are loaded then).
FREEZE_AFTER = (1, 10, 100, 1000)


class FreezeLongLived:
    """A `request_finished` receiver: `gc.collect()` then `gc.freeze()` when the worker has
    finished a number of requests in `after`."""

    def __init__(self, after=FREEZE_AFTER):
        self.after, self.finished = frozenset(after), 0

    def __call__(self, **kwargs):
        self.finished += 1
        if self.finished in self.after:
            gc.collect()
            gc.freeze()


def freeze_long_lived() -> None:
    """Connects `FreezeLongLived` for this process (a web worker's WSGI entry point calls it)."""
    from django.core.signals import request_finished

    request_finished.connect(FreezeLongLived(), weak=False, dispatch_uid="freeze-long-lived")

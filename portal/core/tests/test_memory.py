"""portal.core.memory: a web worker moves what it keeps for life out of the collector's way
after its first requests, and only then."""

import gc
import importlib

import pytest
from django.core.signals import request_finished

from portal.core.memory import FreezeLongLived


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_is_alive_is_frozen_after_the_requests_named_and_not_between(unfrozen):
    freeze = FreezeLongLived(after=(1, 3))
    kept = [object() for _ in range(10)]
    freeze()
    assert gc.get_freeze_count() >= len(kept)
    gc.unfreeze()
    freeze()  # the second request: nothing
    assert gc.get_freeze_count() == 0
    freeze()
    assert gc.get_freeze_count() >= len(kept)


def test_garbage_of_the_first_requests_is_collected_not_frozen(unfrozen):
    class Cycle:
        pass

    cycle = Cycle()
    cycle.me = cycle
    del cycle
    garbage = [o for o in gc.get_objects() if type(o) is Cycle]
    assert garbage
    del garbage
    FreezeLongLived(after=(1,))()
    assert not [o for o in gc.get_objects() if type(o) is Cycle]
    assert not [o for o in gc.get_objects(generation=None) if type(o) is Cycle]


def test_the_wsgi_entry_point_connects_it():
    importlib.reload(importlib.import_module("portal.wsgi"))

    # Connected (disconnect says so), and no longer for the rest of the tests.
    assert request_finished.disconnect(dispatch_uid="freeze-long-lived")

"""portal.core.generations: a Memo builds once per generation, hands out copies, and is out of
date in every worker as soon as its generation is started anew."""

import pytest
from django.core.cache import cache

from portal.core import generations
from portal.core.generations import Generation, Memo, forget_all


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_a_memo_builds_once_per_generation_and_again_after_a_change():
    memo = Memo(Generation("test:memo"))
    build, calls = counting({"name": "2025年度"})
    assert memo.get("k", build) == {"name": "2025年度"} and memo.get("k", build) == {"name": "2025年度"}
    assert len(calls) == 1
    memo.generation.new()
    memo.get("k", build)
    assert len(calls) == 2


def test_another_worker_sees_the_change_once_it_reads_the_generation_again():
    mine, theirs = Generation("test:shared", refresh_seconds=0), Generation("test:shared", refresh_seconds=0)
    memo = Memo(mine)
    build, calls = counting([1])
    memo.get("k", build)
    theirs.new()  # another process changed something
    memo.get("k", build)
    assert len(calls) == 2


def test_each_get_is_a_copy_of_its_own():
    memo = Memo(Generation("test:copies"))
    first = memo.get("k", lambda: {"rows": [1, 2]})
    first["rows"].append(3)
    assert memo.get("k", lambda: {"rows": []}) == {"rows": [1, 2]}


def test_a_full_memo_starts_again():
    memo = Memo(Generation("test:full"), max_entries=2)
    for key in "abc":
        memo.get(key, lambda key=key: key)
    build, calls = counting("a")
    memo.get("a", build)
    assert calls == [1]


def test_forget_all_empties_every_memo():
    memo = Memo(Generation("test:forget"))
    memo.get("k", lambda: "old")
    forget_all()
    assert memo.get("k", lambda: "new") == "new"


@pytest.mark.django_db
def test_a_saved_or_deleted_row_renews_its_models_rows_where_nothing_read_them_before(
        django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    # As in a background worker, or a web worker whose first request is a POST: this process
    # never read the generation of auth.Group's rows, yet its change must reach the ones that did.
    generations._rows.pop("auth.group", None)
    key = "rows:auth.group:generation"
    cache.set(key, "read by another worker", None)
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.create(name="某部门")
    saved = cache.get(key)
    assert saved not in (None, "read by another worker")
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    assert cache.get(key) != saved


@pytest.mark.django_db
def test_a_row_of_a_child_model_is_a_row_of_its_parents_too(django_capture_on_commit_callbacks):
    from wagtail.models import GroupApprovalTask

    keys = ("rows:wagtailcore.groupapprovaltask:generation", "rows:wagtailcore.task:generation")
    cache.set_many(dict.fromkeys(keys, "before"), None)
    with django_capture_on_commit_callbacks(execute=True):
        GroupApprovalTask.objects.create(name="部门审核")
    assert all(cache.get(key) != "before" for key in keys)


@pytest.mark.django_db
def test_a_proxy_models_change_renews_the_rows_of_the_model_it_stands_for():
    from django.contrib.auth.models import Group

    proxy = type("RenamedGroup", (Group,), {
        "__module__": __name__, "Meta": type("Meta", (), {"proxy": True, "app_label": "core"})})
    cache.set("rows:auth.group:generation", "before", None)
    generations.renew_rows(sender=proxy)
    assert cache.get("rows:auth.group:generation") != "before"


@pytest.mark.django_db
def test_a_transaction_renews_a_generation_once_at_commit_however_many_rows_it_changes(
        django_capture_on_commit_callbacks):
    from django.db import transaction

    generation = Generation("test:once")
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(100):
            token = generation.current()
            generation.invalidate()
            assert generation.current() != token  # renewed at once too, every time
    assert callbacks.count(generation.new) == 1

    generation = Generation("test:rolled-back")
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                generation.invalidate()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        # The renewal registered in the rolled-back savepoint went with it: registered again.
        generation.invalidate()
    assert callbacks.count(generation.new) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_change_renews_its_generation_once(monkeypatch):
    generation = Generation("test:autocommit")
    renewals = []
    renew = generation.new
    monkeypatch.setattr(generation, "new", lambda: renewals.append(1) or renew())
    token = generation.current()
    generation.invalidate()
    assert len(renewals) == 1 and generation.current() != token


@pytest.mark.django_db
def test_a_change_to_any_installed_model_renews_its_rows_and_its_parents_rows():
    """Every model the platform or a library installs, not only those a list keeps things under
    today: the next list, count or filter kept under any of them sees the change."""
    from django.apps import apps

    for model in apps.get_models():
        labels = {model._meta.concrete_model._meta.label.lower(),
                  *(parent._meta.label.lower() for parent in model._meta.get_parent_list())}
        cache.set_many({f"rows:{label}:generation": "before" for label in labels}, None)
        generations.renew_rows(sender=model)
        assert all(cache.get(f"rows:{label}:generation") != "before" for label in labels), model._meta.label

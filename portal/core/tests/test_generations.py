"""portal.core.generations: a Memo builds once per generation, hands out copies, and is out of
date in every worker as soon as its generation is started anew."""

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

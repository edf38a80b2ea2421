"""portal.core.redis_cache: Django's Redis cache, one redis-py client per server for the process,
against the Redis on loopback."""

import threading

import pytest
import redis

from portal.core.redis_cache import RedisCache

URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = RedisCache(URL, {"KEY_PREFIX": "test-redis-cache"})
    yield backend
    backend.clear()


def test_every_operation_goes_through_one_client(cache):
    cache.set("企业", {"积分": 87.5}, 30)
    assert cache.get("企业") == {"积分": 87.5}
    assert cache.get_many(["企业", "missing"]) == {"企业": {"积分": 87.5}}
    assert cache.add("count", 1) and cache.incr("count") == 2
    assert cache._cache.get_client(write=True) is cache._cache.get_client() is cache._cache.get_client(write=True)


def test_threads_share_the_client_and_see_each_others_writes(cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set(f"t{n}:{i}", i)
                assert cache.get(f"t{n}:{i}") == i
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get_many([f"t{n}:49" for n in range(4)]) == {f"t{n}:49": 49 for n in range(4)}

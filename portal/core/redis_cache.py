"""Django's Redis cache backend with one redis-py client per server kept for the process.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the server's
connection pool for every cache operation; redis-py 8 fills some 170 response callbacks in
each new client, 0.16 ms — more than the GET it then sends on loopback. A logged-in page makes
one to four cache reads (the session, generations, a fragment), so that was up to 0.6 ms of
each (issue 21). A `redis.Redis` is safe to share between threads (each command takes a
connection from the pool), so each server's is built once.

Settings: `"BACKEND": "portal.core.redis_cache.RedisCache"`, otherwise as Django's.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    """`get_client` returns the same `redis.Redis` for each server (pool) every time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache over `ReusedClientRedisCacheClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

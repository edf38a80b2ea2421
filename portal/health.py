"""`/health/`: 200 when the database and every media storage answer, 503 naming what failed."""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

PROBE_NAME = "health/probe.txt"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage(alias: str) -> None:
    # A write and a delete prove the storage is reachable and writable, which a bare
    # existence check on local disk or S3 would not.
    storage = storages[alias]
    name = storage.save(PROBE_NAME, ContentFile(b"ok"))
    storage.delete(name)


CHECKS = {
    "database": check_database,
    "storage": lambda: check_storage("default"),
    "private_storage": lambda: check_storage("private"),
}


@never_cache
@require_GET
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a dependency means "not healthy", never a 500
            logger.exception("Health check %s failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )

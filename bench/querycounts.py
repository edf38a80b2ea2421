"""SQL queries of an uncached render of each benchmarked URL, for `make bench`.

Run with DJANGO_SETTINGS_MODULE=bench.settings from the project directory. Prints one
line per URL, "<url>\t<queries>", which bench/run.sh turns into the SQL column; the URLs
themselves are chosen here (home, the notice list, one notice, one policy), so run.sh
benchmarks exactly the pages counted. `--sql` also prints every query to stderr.

Each URL is requested once first, so that per-process caches (Wagtail's site root paths,
content types) are warm as they are in a running server; then the page cache generation
is cleared and the counted request renders the page from the database.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from home import cache as page_cache  # noqa: E402
from home.demo import content  # noqa: E402
from notices.models import NoticePage  # noqa: E402
from policies.models import PolicyPage  # noqa: E402

HOST = "127.0.0.1"


def benchmarked_urls() -> list[str]:
    # A real demo notice with attachments and a table, not one of the 500 bench fillers.
    demo_slugs = [item["slug"] for item in content.NOTICES if item.get("attachments")]
    notice = NoticePage.objects.live().public().filter(slug__in=demo_slugs).order_by("-date").first()
    policy = PolicyPage.objects.live().public().order_by("-date", "-pk").first()
    if notice is None or policy is None:
        raise SystemExit("querycounts.py: no published demo notice or policy; run load_demo_content first")
    return ["/", "/notices/", notice.get_url(), policy.get_url()]


def count_queries(client: Client, url: str, show_sql: bool) -> int:
    warm = client.get(url, secure=False)
    if warm.status_code != 200:
        raise SystemExit(f"querycounts.py: {url} answered {warm.status_code}")
    page_cache.invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=False)
    if response.status_code != 200:
        raise SystemExit(f"querycounts.py: {url} answered {response.status_code}")
    if show_sql:
        print(f"--- {url}: {len(captured.captured_queries)} queries", file=sys.stderr)
        for query in captured.captured_queries:
            print(f"  {query['sql'][:300]}", file=sys.stderr)
    return len(captured.captured_queries)


def main() -> None:
    show_sql = "--sql" in sys.argv[1:]
    client = Client(SERVER_NAME=HOST, HTTP_HOST=HOST)
    with override_settings(PAGE_CACHE_SECONDS=0):
        cache.clear()
        for url in benchmarked_urls():
            print(f"{url}\t{count_queries(client, url, show_sql)}")


if __name__ == "__main__":
    main()

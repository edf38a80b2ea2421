"""SQL queries of an uncached render of each benchmarked URL, for `make bench`.

Run with DJANGO_SETTINGS_MODULE=bench.settings from the project directory. Prints one
line per URL, "<url>\t<queries>\t<who>", which bench/run.sh turns into the SQL column; the
URLs themselves are chosen here, so run.sh benchmarks exactly the pages counted:

- anonymous: home, the notice list, one notice, one policy;
- enterprise (the demo enterprise of LOGINS): its filings list and its 2025 points filing;
- reviewer (the demo reviewer): the points review queue of the 2025 batch, which
  bench/seed_filings.py fills with 10,000 submitted filings.

`who` names the account run.sh logs in as (bench/sessions.py), or "anonymous". `--sql` also
prints every query to stderr.

Each URL is requested once first, so that per-process caches (Wagtail's site root paths,
content types) are warm as they are in a running server; then the page cache generation
is cleared and the counted request renders the page from the database. Logged-in pages
are never page-cached; their count includes the session's SELECT and its UPDATE
(SESSION_SAVE_EVERY_REQUEST).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from enterprise_business.models import Batch  # noqa: E402
from home import cache as page_cache  # noqa: E402
from home.demo.build import read  # noqa: E402
from notices.models import NoticePage  # noqa: E402
from policies.models import PolicyPage  # noqa: E402

HOST = "127.0.0.1"
ANONYMOUS = "anonymous"
# who -> username of the demo account (load_demo_content) the logged-in pages are seen as.
LOGINS = {"enterprise": "91210231MA0QX7LK1Q", "reviewer": "reviewer"}
BACKEND = "django.contrib.auth.backends.ModelBackend"


def public_urls() -> list[str]:
    # A real demo notice with attachments and a table, not one of the 500 bench fillers.
    notices = read(Path(NoticePage._meta.app_config.path) / "demo" / "notices.yaml")["articles"]
    demo_slugs = [item["slug"] for item in notices if item.get("attachments")]
    notice = NoticePage.objects.live().public().filter(slug__in=demo_slugs).order_by("-date").first()
    policy = PolicyPage.objects.live().public().order_by("-date", "-pk").first()
    if notice is None or policy is None:
        raise SystemExit("querycounts.py: no published demo notice or policy; run load_demo_content first")
    return ["/", "/notices/", notice.get_url(), policy.get_url()]


def benchmarked_urls() -> list[tuple[str, str]]:
    """(url, who) of every benchmarked page."""
    batch = Batch.objects.filter(data_year=2025).first()
    if batch is None:
        raise SystemExit("querycounts.py: no 2025 batch; run load_demo_content first")
    return [
        *((url, ANONYMOUS) for url in public_urls()),
        ("/enterprise/filings/", "enterprise"),
        (f"/enterprise/filings/{batch.pk}/", "enterprise"),
        (f"/admin/points/?batch={batch.pk}", "reviewer"),
    ]


def client_for(who: str) -> Client:
    client = Client(SERVER_NAME=HOST, HTTP_HOST=HOST)
    if who != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=LOGINS[who]), backend=BACKEND)
    return client


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
    clients = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        cache.clear()
        for url, who in benchmarked_urls():
            if who not in clients:
                clients[who] = client_for(who)
            print(f"{url}\t{count_queries(clients[who], url, show_sql)}\t{who}")


if __name__ == "__main__":
    main()

"""SQL queries of an uncached render of each benchmarked URL, for `make bench`.

Run with DJANGO_SETTINGS_MODULE=bench.settings from the project directory. Prints one
line per URL, "<url>\t<queries>\t<who>", which bench/run.sh turns into the SQL column; the
URLs themselves are chosen here, so run.sh benchmarks exactly the pages counted:

- anonymous: home, the notice list, one notice, one policy;
- every logged-in page of the walk (tests/e2e/test_whole_walk.py) that a person reads, as the
  account of LOGINS that reads it: the enterprise's home, its 企业业务 pages (basic info, the
  filings, the 2025 points filing and its 相关资质填报, results, loan applications) and the
  金融超市 it sees logged in; the reviewer's dashboard, queues and filings, among them the points
  review queue of the 2025 batch, which bench/seed_filings.py fills with 10,000 submitted
  filings (`QUEUE` marks it: run.sh measures it again after seeding 100,000); the scoring
  admin's runs, publication, schemes and batches; the bank's applications and totals; the
  department's records.

`who` names the account run.sh logs in as (bench/sessions.py), or "anonymous". `--sql` also
prints every query to stderr; `--only WHO` counts only that account's pages.

Each URL is requested once first, so that per-process caches (Wagtail's site root paths,
content types, the site and settings of home.sites, the admin sidebar of portal.core.sidebar)
are warm as they are in a running server, and the session has been written once this minute;
for an anonymous page the page cache generation is then cleared, so that the counted request
renders the page from the database. Logged-in pages are never page-cached; their count is a
running server's, with the session's SELECT but not its UPDATE, which portal.core.sessions
makes at most once a minute (and not the site's two queries, made again only after a
publication or a change of the site or its settings).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from enterprise_business.models import BasicInfo, Batch, Enterprise, PointsFiling  # noqa: E402
from finance_products.models import FinanceProductPage, LoanApplication  # noqa: E402
from home import cache as page_cache  # noqa: E402
from home.demo.build import read  # noqa: E402
from notices.models import NoticePage  # noqa: E402
from policies.models import PolicyPage  # noqa: E402
from portal.core import roles  # noqa: E402

HOST = "127.0.0.1"
ANONYMOUS = "anonymous"
# who -> username of the account the logged-in pages are seen as: the demo accounts of
# load_demo_content, and a scoring admin of the bench's own (SCORER, made by `user_for`).
LOGINS = {"enterprise": "91210231MA0QX7LK1Q", "reviewer": "reviewer", "scorer": "scorer", "bank": "bank",
          "department": "keji"}
SCORER = "scorer"
BACKEND = settings.AUTHENTICATION_BACKENDS[-1]
# The review queue of the batch bench/seed_filings.py fills (run.sh measures it at two sizes).
QUEUE = "/admin/points/?batch={batch}"


def user_for(who: str):
    """The account of LOGINS[who]; the bench's scoring admin is made the first time (the demo
    has none: its `admin` is a superuser, who skips every permission check)."""
    User = get_user_model()
    if who == SCORER:
        user, created = User.objects.get_or_create(username=LOGINS[who], defaults={"is_staff": True,
                                                                                   "display_name": "积分管理员"})
        if created:
            user.groups.set(Group.objects.filter(name=roles.SCORING_ADMIN))
        return user
    return User.objects.get(username=LOGINS[who])


def public_urls() -> list[str]:
    # A real demo notice with attachments and a table, not one of the 500 bench fillers.
    notices = read(Path(NoticePage._meta.app_config.path) / "demo" / "notices.yaml")["articles"]
    demo_slugs = [item["slug"] for item in notices if item.get("attachments")]
    notice = NoticePage.objects.live().public().filter(slug__in=demo_slugs).order_by("-date").first()
    policy = PolicyPage.objects.live().public().order_by("-date", "-pk").first()
    if notice is None or policy is None:
        raise SystemExit("querycounts.py: no published demo notice or policy; run load_demo_content first")
    return ["/", "/notices/", notice.get_url(), policy.get_url()]


def logged_in_urls(batch) -> list[tuple[str, str]]:
    """(url, who) of the walk's logged-in pages, on the demo content's own records."""
    enterprise = user_for("enterprise").enterprise
    filing = PointsFiling.objects.get(enterprise=enterprise, batch=batch)
    basic_info = BasicInfo.objects.filter(submitted_at__isnull=False).order_by("-submitted_at").first()
    registration = Enterprise.objects.filter(status=Enterprise.Status.PENDING).first()
    product = FinanceProductPage.objects.live().public().first()
    application = LoanApplication.objects.filter(bank__staff_group__user=user_for("bank")).first()
    if None in (basic_info, registration, product, application):
        raise SystemExit("querycounts.py: demo filings, registrations or loans missing; run load_demo_content")
    return [
        ("/", "enterprise"),
        ("/enterprise/", "enterprise"),
        ("/enterprise/basic-info/", "enterprise"),
        ("/enterprise/filings/", "enterprise"),
        (f"/enterprise/filings/{batch.pk}/", "enterprise"),
        (f"/enterprise/filings/{batch.pk}/qualifications/", "enterprise"),
        ("/enterprise/results/", "enterprise"),
        ("/finance/", "enterprise"),
        (product.get_url(), "enterprise"),
        ("/enterprise/applications/", "enterprise"),
        ("/admin/", "reviewer"),
        ("/admin/registrations/?status=pending", "reviewer"),
        (f"/admin/registrations/inspect/{registration.pk}/", "reviewer"),
        ("/admin/basic-info/?status=submitted", "reviewer"),
        (f"/admin/basic-info/inspect/{basic_info.pk}/", "reviewer"),
        (QUEUE.format(batch=batch.pk), "reviewer"),
        (f"/admin/points/inspect/{filing.pk}/", "reviewer"),
        ("/admin/scoring/runs/", "scorer"),
        ("/admin/scoring/runs/start/", "scorer"),
        ("/admin/scoring/publication/", "scorer"),
        ("/admin/scoring/schemes/", "scorer"),
        ("/admin/batches/", "scorer"),
        # 统计 (issue 18): every figure of the batch's 10,003 filings in a fixed number of queries.
        (f"/admin/desk/?batch={batch.pk}", "scorer"),
        ("/admin/loan-applications/", "bank"),
        (f"/admin/loan-applications/inspect/{application.pk}/", "bank"),
        ("/admin/loan-application-totals/", "bank"),
        ("/admin/qualification-records/", "department"),
    ]


def benchmarked_urls() -> list[tuple[str, str]]:
    """(url, who) of every benchmarked page."""
    batch = Batch.objects.filter(data_year=2025).first()
    if batch is None:
        raise SystemExit("querycounts.py: no 2025 batch; run load_demo_content first")
    return [*((url, ANONYMOUS) for url in public_urls()), *logged_in_urls(batch)]


def client_for(who: str) -> Client:
    client = Client(SERVER_NAME=HOST, HTTP_HOST=HOST)
    if who != ANONYMOUS:
        client.force_login(user_for(who), backend=BACKEND)
    return client


def count_queries(client: Client, url: str, show_sql: bool, anonymous: bool) -> int:
    warm = client.get(url, secure=False)
    if warm.status_code != 200:
        raise SystemExit(f"querycounts.py: {url} answered {warm.status_code}")
    if anonymous:
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
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv[1:] else None
    clients = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        cache.clear()
        for url, who in benchmarked_urls():
            if only and who != only:
                continue
            if who not in clients:
                clients[who] = client_for(who)
            print(f"{url}\t{count_queries(clients[who], url, show_sql, who == ANONYMOUS)}\t{who}")


if __name__ == "__main__":
    main()

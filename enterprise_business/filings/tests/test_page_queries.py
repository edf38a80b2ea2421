"""The enterprise's pages of 积分数据填报 in a fixed, small number of queries (issue 21): the
account with its enterprise in one, the batches from the worker's memo — never stale after a
batch changes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprise_business.filings import selectors
from enterprise_business.models import Batch
from enterprise_business.tests.factories import approved_enterprise, make_batch
from portal.core.models import Message

pytestmark = pytest.mark.django_db

# Session (database row in the tests; Redis under production settings), the account with its
# enterprise, then the page's own.
LIMITS = {"/enterprise/": 5, "/enterprise/filings/": 4, "form": 5}


@pytest.fixture
def owner(client):
    enterprise = approved_enterprise()
    client.force_login(enterprise.user)
    client.enterprise = enterprise
    return client


def queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("page", sorted(LIMITS))
def test_enterprise_pages_take_the_same_few_queries_however_much_there_is(owner, page):
    batch = make_batch(2025)
    path = f"/enterprise/filings/{batch.pk}/" if page == "form" else page
    queries(owner, path)  # the memos of this worker are filled
    few = queries(owner, path)
    for year in range(2015, 2025):
        make_batch(year, open_=year % 2 == 0)
    Message.objects.bulk_create([Message(recipient=owner.enterprise.user, title=f"消息{n}", body="正文")
                                 for n in range(30)])
    queries(owner, path)
    many = queries(owner, path)
    assert len(many) == len(few) <= LIMITS[page], many


def test_the_account_comes_with_its_enterprise_in_one_query(owner):
    sql = queries(owner, "/enterprise/filings/")
    assert not any(query.lstrip().startswith('SELECT "enterprise_business_enterprise"') for query in sql)
    account = [query for query in sql if 'FROM "enterprise_business_user"' in query]
    assert len(account) == 1 and '"enterprise_business_enterprise"' in account[0]


def test_batches_are_read_once_until_one_changes(owner):
    batch = make_batch(2025)
    queries(owner, "/enterprise/filings/")
    assert not any("enterprise_business_batch" in q and "pointsfiling" not in q
                   for q in queries(owner, "/enterprise/filings/"))
    batch.closes_on = timezone.localdate() + timedelta(days=40)
    batch.name = "2025年度创新积分数据填报（延期）"
    batch.save()
    html = owner.get("/enterprise/filings/").content.decode()
    assert "2025年度创新积分数据填报（延期）" in html and f"{batch.closes_on:%Y-%m-%d}" in html
    path = f"/enterprise/filings/{batch.pk}/"
    assert owner.get(path).status_code == 200
    batch.delete()
    assert owner.get(path).status_code == 404
    assert "（延期）" not in owner.get("/enterprise/filings/").content.decode()


def test_each_call_gets_its_own_copies_of_the_batches():
    make_batch(2025)
    first, second = selectors.visible_batches(), selectors.visible_batches()
    first[0].name = "改过的名字"
    assert second[0].name != "改过的名字" and selectors.visible_batches()[0].name == Batch.objects.get().name


def test_a_batch_not_open_yet_is_not_visible(owner):
    today = timezone.localdate()
    later = Batch.objects.create(name="2026年度创新积分数据填报", data_year=2026, opens_on=today + timedelta(days=3),
                                 closes_on=today + timedelta(days=30))
    assert later not in selectors.visible_batches()
    assert owner.get(f"/enterprise/filings/{later.pk}/").status_code == 404
    assert later in selectors.visible_batches(today + timedelta(days=3))


def test_with_cached_sessions_a_page_reads_no_session_row_and_logout_ends_it(client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    enterprise = approved_enterprise()
    client.force_login(enterprise.user)
    queries(client, "/enterprise/filings/")
    assert not any("django_session" in query for query in queries(client, "/enterprise/filings/"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert client.get("/enterprise/filings/").status_code == 302


def test_the_enterprise_home_reads_the_basic_informations_state_not_its_form(owner):
    sql = queries(owner, "/enterprise/")
    basic = [query for query in sql if 'FROM "enterprise_business_basicinfo"' in query]
    assert len(basic) == 1 and '"business_scope"' not in basic[0] and '"status"' in basic[0]
    # Its filings of open batches are for the 首页's panel, which /enterprise/ does not show.
    assert not any('FROM "enterprise_business_pointsfiling"' in query for query in sql)

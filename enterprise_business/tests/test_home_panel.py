"""The 首页 after login (issue 19): the manual sends a logged-in enterprise to the 平台首页, so
the home page shows it its current step and what waits for it, from the same overview as
/enterprise/, in a bounded number of queries, and never from or into the anonymous page cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprise_business.models import BasicInfo, PointsFiling
from enterprise_business.tests.factories import approved_enterprise, make_batch, make_enterprise
from portal.core.notifications.models import Message

pytestmark = pytest.mark.django_db

PANEL = "business-progress"
# The anonymous page's queries, less the site and its settings (home.sites), plus the session,
# the account and its enterprise, and the overview (five, whatever the number of batches and
# messages). The session is written at most once a minute (portal.core.sessions).
LOGGED_IN_HOME_MAX = 15


def test_a_new_enterprise_is_told_to_file_its_basic_information(client, site_tree):
    enterprise = make_enterprise()
    client.force_login(enterprise.user)
    html = client.get("/").content.decode()
    assert PANEL in html and enterprise.display_name in html
    assert "当前步骤：<strong>企业基本信息填报</strong>（未填报）" in html and "去填报企业基本信息" in html


def test_a_returned_basic_information_shows_its_reason(client, site_tree):
    enterprise = make_enterprise()
    BasicInfo.objects.create(enterprise=enterprise, status="returned", return_reason="主营产品请写具体")
    client.force_login(enterprise.user)
    html = client.get("/").content.decode()
    assert "退回原因：主营产品请写具体" in html and "修改后重新提交" in html


def test_an_approved_enterprise_sees_each_open_batch_and_its_messages(client, site_tree):
    enterprise = approved_enterprise()
    batch = make_batch()
    PointsFiling.objects.create(enterprise=enterprise, batch=batch, status="returned", return_reason="补充社保证明")
    Message.objects.create(recipient=enterprise.user, title="积分数据填报被退回", body="请修改",
                           link="/enterprise/filings/")
    client.force_login(enterprise.user)
    html = client.get("/").content.decode()
    assert "当前步骤：<strong>积分数据填报</strong>" in html
    assert batch.name in html and "退回修改" in html and "退回原因：补充社保证明" in html
    assert f'href="/enterprise/filings/{batch.pk}/"' in html and "积分数据填报被退回" in html


def test_visitors_and_staff_see_no_panel(client, site_tree, admin_user):
    assert PANEL not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert PANEL not in client.get("/").content.decode()


def test_the_panel_never_reaches_the_page_cache(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 600
    enterprise = make_enterprise()
    assert PANEL not in client.get("/").content.decode()
    client.force_login(enterprise.user)
    response = client.get("/")
    assert PANEL in response.content.decode() and "no-store" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert PANEL not in client.get("/").content.decode()


def test_the_logged_in_home_page_takes_a_bounded_number_of_queries(client, site_tree):
    enterprise = approved_enterprise()
    for year in (2024, 2025, 2026):
        make_batch(year=year)
    client.force_login(enterprise.user)
    client.get("/")  # the minute's session write, and the worker's first look at the site
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) <= LOGGED_IN_HOME_MAX, len(queries)

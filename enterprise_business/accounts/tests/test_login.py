from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprise_business.models import Enterprise
from enterprise_business.tests.factories import PASSWORD, make_enterprise, make_staff
from enterprise_business.tests.helpers import solve_slider
from portal.core import roles

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, token=True, **extra):
    data = {"username": username, "password": password, **extra}
    if token:
        data["captcha_token"] = solve_slider(client, "login")
    return client.post("/accounts/login/", data)


def test_login_page_has_labels_slider_and_links(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username" class="required">账号</label>' in html
    assert '<label for="id_password" class="required">密码</label>' in html
    assert "拖动滑块完成验证" in html and 'role="slider"' in html
    assert 'href="/accounts/register/">注册</a>' in html and "忘记密码" in html


def test_approved_enterprise_logs_in_with_the_slider(client):
    enterprise = make_enterprise()
    before = client.session.session_key
    response = login(client, enterprise.credit_code.lower())
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != before
    assert enterprise.display_name in client.get("/enterprise/").content.decode()


def test_login_without_a_slider_pass_is_refused(client):
    enterprise = make_enterprise()
    response = login(client, enterprise.credit_code, token=False, captcha_token="client-side-success")
    assert "请先拖动滑块完成验证" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_slider_pass_works_once(client):
    enterprise = make_enterprise()
    token = solve_slider(client, "login")
    client.post("/accounts/login/",
                {"username": enterprise.credit_code, "password": "wrong-1234", "captcha_token": token})
    response = client.post("/accounts/login/", {"username": enterprise.credit_code, "password": PASSWORD,
                                                "captcha_token": token})
    assert "请先拖动滑块完成验证" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_and_unknown_account_get_the_same_answer(client):
    enterprise = make_enterprise()
    wrong_password = login(client, enterprise.credit_code, "Wrong2025x")
    unknown = login(client, "91350100M000100Y43", "Wrong2025x")
    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert "账号或密码错误，请重新输入。" in response.content.decode()


@pytest.mark.parametrize("status,expected", [
    (Enterprise.Status.PENDING, "正在审核中"),
    (Enterprise.Status.REJECTED, "未通过原因：执照模糊"),
])
def test_unapproved_accounts_get_their_status_not_a_session(client, status, expected):
    enterprise = make_enterprise(status, reason="执照模糊" if status == "rejected" else "")
    response = login(client, enterprise.credit_code)
    assert expected in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_rejected_enterprise_corrects_and_resubmits(client):
    from enterprise_business.tests.helpers import licence_upload

    enterprise = make_enterprise(Enterprise.Status.REJECTED, reason="执照模糊")
    make_id, make_phone = enterprise.contact_id_number, enterprise.phone
    login(client, enterprise.credit_code)
    page = client.get("/accounts/register/resubmit/")
    html = page.content.decode()
    assert page.status_code == 200 and "上次未通过原因：执照模糊" in html
    assert enterprise.contact_id_number not in html and enterprise.phone not in html
    assert f"当前：{enterprise.masked_id_number}" in html and f"当前：{enterprise.masked_phone}" in html
    response = client.post("/accounts/register/resubmit/", {
        "contact_name": "新联系人", "contact_id_number": "", "email": enterprise.email,
        "phone": "", "consent": "on", "licence": licence_upload(),
    })
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.PENDING and enterprise.contact_name == "新联系人"
    assert enterprise.contact_id_number == make_id and enterprise.phone == make_phone
    assert enterprise.reviews.last().action == "resubmitted"


def test_resubmission_needs_the_owner_password_first(client):
    enterprise = make_enterprise(Enterprise.Status.REJECTED, reason="执照模糊")
    make_enterprise(Enterprise.Status.REJECTED, reason="另一家企业")

    def resubmit_page():
        return client.get("/accounts/register/resubmit/")

    assert resubmit_page()["Location"] == "/accounts/login/"
    login(client, enterprise.credit_code, "Wrong2025x")
    assert resubmit_page()["Location"] == "/accounts/login/"
    posted = client.post("/accounts/register/resubmit/", {"contact_name": "冒名者", "consent": "on"})
    assert posted["Location"] == "/accounts/login/"
    enterprise.refresh_from_db()
    assert enterprise.contact_name != "冒名者" and enterprise.status == Enterprise.Status.REJECTED

    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        login(client, enterprise.credit_code)
        page = resubmit_page()
        assert page.status_code == 200
        html = page.content.decode()
        assert "上次未通过原因：执照模糊" in html and "另一家企业" not in html
        # The password opens the form for 30 minutes, however active the session stays.
        clock.shift(timedelta(minutes=29))
        assert resubmit_page().status_code == 200
        clock.shift(timedelta(minutes=2))
        assert resubmit_page()["Location"] == "/accounts/login/"


def test_five_failures_lock_the_account(client):
    enterprise = make_enterprise()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, enterprise.credit_code, "Wrong2025x")
    locked = login(client, enterprise.credit_code)
    assert locked.status_code == 429
    assert "15分钟后再试" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_applies_to_the_admin_login_too(client):
    make_staff("editor1", roles.CONTENT_EDITOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "editor1", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "editor1", "password": PASSWORD})
    assert response.status_code == 429


def test_sessions_expire_after_30_idle_minutes(client):
    enterprise = make_enterprise()
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        login(client, enterprise.credit_code)
        # Each request starts the 30 idle minutes again: 58 minutes after login, still signed in.
        for _ in range(2):
            clock.shift(timedelta(minutes=29))
            assert client.get("/enterprise/").status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/enterprise/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session


def session_writes(client, path="/enterprise/"):
    """The UPDATEs and INSERTs of django_session made by one GET of `path`."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().startswith(("UPDATE", "INSERT"))]


def test_sessions_are_written_at_most_once_a_minute(client):
    enterprise = make_enterprise()
    login_time = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(login_time, tick=False) as clock:
        login(client, enterprise.credit_code)
        key = client.session.session_key
        written = Session.objects.get(session_key=key).expire_date
        for seconds in (1, 30, 59):
            clock.move_to(login_time + timedelta(seconds=seconds))
            assert session_writes(client) == []
        assert Session.objects.get(session_key=key).expire_date == written
        clock.move_to(login_time + timedelta(seconds=60))
        assert len(session_writes(client)) == 1
        assert Session.objects.get(session_key=key).expire_date == timezone.now() + timedelta(
            seconds=settings.SESSION_COOKIE_AGE)
        assert session_writes(client) == []


@pytest.mark.parametrize("since_write", [0, 30, 59])
def test_an_idle_session_ends_30_minutes_after_its_last_request_or_sooner(client, since_write):
    enterprise = make_enterprise()
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        login(client, enterprise.credit_code)
        # Active for 40 minutes, a request every 50 seconds: each one within a minute of the
        # last, yet the session is written every other one and stays open.
        for _ in range(48):
            clock.shift(timedelta(seconds=50))
            assert client.get("/enterprise/").status_code == 200
        clock.shift(timedelta(seconds=61))
        assert client.get("/enterprise/").status_code == 200  # written now
        clock.shift(timedelta(seconds=since_write))
        assert client.get("/enterprise/").status_code == 200  # the last request, written or not
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/enterprise/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_visitors_without_a_session_get_no_session_row(client):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "stale0000000000000000000000000000"
    client.get("/enterprise/")
    assert not Session.objects.exists()


def test_logout_ends_the_session_now(client):
    enterprise = make_enterprise()
    login(client, enterprise.credit_code)
    assert client.get("/accounts/logout/").status_code == 200
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert client.get("/enterprise/").status_code == 302


def test_enterprise_area_requires_an_approved_enterprise(client):
    response = client.get("/enterprise/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/enterprise/")
    client.force_login(make_staff("boss", superuser=True))
    assert client.get("/enterprise/").status_code == 302
    client.force_login(make_enterprise(Enterprise.Status.PENDING).user)
    assert client.get("/enterprise/").status_code == 302


def test_enterprise_users_never_reach_the_admin(client):
    client.force_login(make_enterprise().user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_enterprise_home_masks_the_phone_and_shows_the_steps(client):
    enterprise = make_enterprise()
    client.force_login(enterprise.user)
    response = client.get("/enterprise/")
    html = response.content.decode()
    assert enterprise.masked_phone in html and enterprise.phone not in html
    for step in ("企业基本信息填报", "积分数据填报", "积分结果查询"):
        assert step in html
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_login_comes_back_to_the_protected_page_it_started_from(client):
    enterprise = make_enterprise()
    response = client.get("/enterprise/filings/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/enterprise/filings/"
    assert login(client, enterprise.credit_code, next="/enterprise/filings/")["Location"] == "/enterprise/filings/"


def test_next_parameter_is_only_followed_within_the_site(client):
    enterprise = make_enterprise()
    response = login(client, enterprise.credit_code, next="https://evil.example.com/")
    assert response["Location"] == "/"


def test_a_pending_account_is_told_the_working_day_its_review_is_due(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    enterprise = make_enterprise(Enterprise.Status.PENDING)
    Enterprise.objects.filter(pk=enterprise.pk).update(
        submitted_at=datetime(2025, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    # Two working days after 30 September skip the 国庆节 and 中秋节 holiday (1–8 October).
    assert "预计10月10日前完成" in login(client, enterprise.credit_code).content.decode()

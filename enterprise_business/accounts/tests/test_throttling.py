"""Floods answer 429: password guessing (django-axes, after five failures), SMS codes (per
phone and address), and any flood of POSTs from one address to the login, SMS or slider
endpoints (flood_guard, before any slider, password or SMS work is done)."""

import types

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from enterprise_business.accounts import views as accounts
from enterprise_business.tests.factories import PASSWORD, make_enterprise
from enterprise_business.tests.helpers import send_code, solve_slider
from portal.core.models import SmsMessage

pytestmark = pytest.mark.django_db

FLOOD_MESSAGE = "操作过于频繁，请稍后再试。"


@pytest.fixture
def small_limits(settings):
    settings.FLOOD_LIMITS = {"login": 3, "sms": 2, "captcha": 4}
    return settings.FLOOD_LIMITS


@pytest.fixture
def clock(monkeypatch):
    """accounts.time.time() under the test's control (the flood window is per minute)."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(accounts, "time", types.SimpleNamespace(time=lambda: now[0]))
    return now


def test_password_guessing_is_locked_out_with_429(client):
    enterprise = make_enterprise()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": enterprise.credit_code, "password": "Wrong2025x",
                                                    "captcha_token": solve_slider(client, "login")})
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 200 and "账号或密码错误" in response.content.decode()
    assert response.status_code == 429  # the fifth failure locks
    locked = client.post("/accounts/login/", {"username": enterprise.credit_code, "password": PASSWORD,
                                              "captcha_token": solve_slider(client, "login")})
    assert locked.status_code == 429 and "15分钟后再试" in locked.content.decode()


def test_repeated_sms_codes_answer_429():
    from django.test import Client

    client = Client()
    assert send_code(client, "13940114444").status_code == 200
    again = send_code(client, "13940114444")
    assert again.status_code == 429 and "秒后再试" in again.json()["message"]


def test_a_login_flood_answers_429_before_any_check(client, small_limits, clock):
    for _ in range(small_limits["login"]):
        response = client.post("/accounts/login/", {"username": "91210231MA0QX7LK1Q", "password": "x"})
        assert response.status_code == 200  # refused for the missing slider, as always
    flooded = client.post("/accounts/login/", {"username": "91210231MA0QX7LK1Q", "password": "x"})
    assert flooded.status_code == 429 and int(flooded["Retry-After"]) <= 60
    html = flooded.content.decode()
    assert FLOOD_MESSAGE in html and 'value="91210231MA0QX7LK1Q"' in html  # the login page, its account kept
    assert not AccessAttempt.objects.exists()  # no password was checked


def test_a_flooding_address_cannot_log_in_even_with_the_right_password(client, small_limits, clock):
    enterprise = make_enterprise()
    for _ in range(small_limits["login"]):
        client.post("/accounts/login/", {"username": enterprise.credit_code, "password": "x"})
    token = solve_slider(client, "login")
    response = client.post("/accounts/login/", {"username": enterprise.credit_code, "password": PASSWORD,
                                                "captcha_token": token})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_limit_is_per_address_and_per_minute(client, small_limits, clock):
    for _ in range(small_limits["login"] + 1):
        client.post("/accounts/login/", {"username": "a", "password": "x"})
    assert client.post("/accounts/login/", {"username": "a", "password": "x"}).status_code == 429
    other = client.post("/accounts/login/", {"username": "a", "password": "x"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    clock[0] += 60
    assert client.post("/accounts/login/", {"username": "a", "password": "x"}).status_code == 200


def test_pages_are_never_throttled(client, small_limits, clock):
    for _ in range(small_limits["login"] * 3):
        assert client.get("/accounts/login/").status_code == 200


def test_an_sms_flood_answers_429_in_chinese_json(client, small_limits, clock):
    for _ in range(small_limits["sms"]):
        response = client.post("/accounts/sms/", {"purpose": "register", "phone": "13940114444", "captcha_token": "x"})
        assert response.status_code == 400
    flooded = client.post("/accounts/sms/", {"purpose": "register", "phone": "13940114444", "captcha_token": "x"})
    assert flooded.status_code == 429 and flooded.json()["message"] == FLOOD_MESSAGE
    assert flooded["Retry-After"] and not SmsMessage.objects.exists()


def test_a_slider_flood_answers_429_without_drawing_puzzles(client, small_limits, clock, monkeypatch):
    for _ in range(small_limits["captcha"]):
        assert client.post("/accounts/captcha/", {"purpose": "login"}).status_code == 200
    drawn = []
    monkeypatch.setattr(accounts.captcha, "new_challenge", lambda purpose: drawn.append(purpose))
    flooded = client.post("/accounts/captcha/", {"purpose": "login"})
    assert flooded.status_code == 429 and flooded.json()["message"] == FLOOD_MESSAGE and drawn == []


def test_the_default_limits_leave_room_for_people():
    assert accounts.FLOOD_LIMITS == {"login": 30, "sms": 10, "captcha": 60}
    assert accounts.FLOOD_WINDOW == 60

import json
import time

import pytest
from django.core.cache import cache

from enterprise_business.accounts import captcha
from enterprise_business.tests.helpers import new_challenge, verify

pytestmark = pytest.mark.django_db


def test_correct_answer_passes_and_gives_a_token(client):
    data, left = new_challenge(client, "login")
    response = verify(client, data["id"], left + 3, "login")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert client.session[captcha.SESSION_KEY]["login"]["token"] == response.json()["token"]


def test_the_answer_never_leaves_the_server(client):
    response = client.post("/accounts/captcha/", {"purpose": "login"})
    data = response.json()
    left = cache.get(f"captcha:{data['id']}")["left"]
    # No value of the answer is the gap's position (the image size may equal it by chance).
    fixed = {"pieceTop", "width", "height", "pieceWidth"}
    assert "left" not in data and str(left) not in json.dumps({k: v for k, v in data.items() if k not in fixed})
    image = client.get(data["background"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert str(left).encode() not in data["background"].encode()
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(image.content)).info == {}


def test_wrong_offset_fails(client):
    data, left = new_challenge(client, "login")
    response = verify(client, data["id"], left + captcha.TOLERANCE + 5, "login")
    assert response.status_code == 400 and response.json()["ok"] is False
    assert captcha.SESSION_KEY not in client.session or "login" not in client.session[captcha.SESSION_KEY]


def test_one_try_per_puzzle(client):
    data, left = new_challenge(client, "login")
    verify(client, data["id"], left + 40, "login")
    assert verify(client, data["id"], left, "login").status_code == 400


def test_a_solved_puzzle_cannot_be_replayed(client):
    data, left = new_challenge(client, "login")
    assert verify(client, data["id"], left, "login").status_code == 200
    assert verify(client, data["id"], left, "login").status_code == 400


def test_expired_puzzle_fails(client):
    data, left = new_challenge(client, "login")
    key = f"captcha:{data['id']}"
    stored = cache.get(key)
    stored["created"] = time.time() - captcha.CHALLENGE_SECONDS - 1
    cache.set(key, stored)
    assert verify(client, data["id"], left, "login").status_code == 400


@pytest.mark.parametrize("trail", [
    [],
    [[0, 0], [10, 50]],
    "not a list",
    [[0, 0], [1, 10], [2, 20], [3, 30], [4, 40]],
])
def test_answer_without_a_plausible_drag_fails(client, trail):
    data, left = new_challenge(client, "login")
    if isinstance(trail, list) and trail:
        trail = [[t, round(left * i / (len(trail) - 1))] for i, (t, _) in enumerate(trail)]
    assert verify(client, data["id"], left, "login", trail=trail).status_code == 400


def test_a_puzzle_is_bound_to_its_purpose(client):
    data, left = new_challenge(client, "sms")
    assert verify(client, data["id"], left, "login").status_code == 400


def test_pass_is_single_use_and_bound_to_the_session(client, django_user_model):
    data, left = new_challenge(client, "login")
    token = verify(client, data["id"], left, "login").json()["token"]
    session = client.session
    assert captcha.consume_pass(session, "login", token) is True
    assert captcha.consume_pass(session, "login", token) is False

    from django.test import Client

    other = Client()
    other.get("/accounts/login/")
    assert captcha.consume_pass(other.session, "login", token) is False


def test_keyboard_trail_is_accepted(client):
    data, left = new_challenge(client, "login")
    trail = [[0, 0]] + [[120 * i, min(2 * i, left)] for i in range(1, left // 2 + 2)]
    trail[-1] = [trail[-1][0], left]
    assert verify(client, data["id"], left, "login", trail=trail).status_code == 200


def test_new_puzzle_is_one_click_away_and_differs(client):
    assert '<button type="button" class="link-button slider-refresh">换一张</button>' in (
        client.get("/accounts/login/").content.decode())
    first, first_left = new_challenge(client, "login")
    second, second_left = new_challenge(client, "login")
    assert first["id"] != second["id"]
    assert client.get(first["background"]).content != client.get(second["background"]).content
    # Asking for a new one leaves the first puzzle answerable: each is its own.
    assert verify(client, first["id"], first_left, "login").status_code == 200
    assert verify(client, second["id"], second_left, "login").status_code == 200

"""Helpers for the accounts tests: solving the slider as a person would, valid identifiers,
licence images and the SMS outbox."""

import io
import json
import re

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.core.identifiers import credit_code_check_char, id_number_check_char
from portal.core.models import SmsMessage


def credit_code(first17="91210231MA0QX7LK1"):
    return first17 + credit_code_check_char(first17)


def id_number(first17="21020319850612001"):
    return first17 + id_number_check_char(first17)


def human_trail(left, steps=12, duration_ms=900):
    return [[round(duration_ms * i / steps), round(left * i / steps)] for i in range(steps + 1)]


def new_challenge(client, purpose):
    data = client.post("/accounts/captcha/", {"purpose": purpose}).json()
    return data, cache.get(f"captcha:{data['id']}")["left"]


def verify(client, challenge_id, left, purpose, trail=None):
    body = {"id": challenge_id, "left": left, "trail": human_trail(left) if trail is None else trail,
            "purpose": purpose}
    return client.post("/accounts/captcha/verify/", json.dumps(body), content_type="application/json")


def solve_slider(client, purpose):
    data, left = new_challenge(client, purpose)
    return verify(client, data["id"], left, purpose).json()["token"]


def png_bytes(size=(400, 300), color=(200, 40, 40), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def licence_upload(name="licence.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)


def last_sms(phone_tail=None):
    messages = SmsMessage.objects.order_by("-pk")
    if phone_tail:
        messages = [m for m in messages if m.phone.endswith(phone_tail)]
    return messages[0] if messages else None


def sms_code_from_outbox(phone):
    message = next(m for m in SmsMessage.objects.order_by("-pk") if m.phone == phone)
    return re.search(r"验证码为(\d{6})", message.text).group(1)


def send_code(client, phone, purpose="register", username=None):
    token = solve_slider(client, "sms")
    data = {"purpose": purpose, "phone": phone, "captcha_token": token}
    if username is not None:
        data["username"] = username
    return client.post("/accounts/sms/", data)


def race(first, second, refused, model, hold_seconds=2.0):
    """Two staff deciding on the same `model` row at once, interleaved on purpose: `first` runs
    until it is about to save the row inside its transaction (its lock taken, its status check
    passed) and is held there until `second` has finished or has waited `hold_seconds` for it.
    Each runs in its own thread and database connection. Returns the outcome of each, in order:
    "won", or "told" when it raised `refused`."""
    import threading

    from django.db import connection
    from django.db.models.signals import pre_save

    first_holds, second_done = threading.Event(), threading.Event()
    outcomes = {}

    def hold(sender, **kwargs):
        if threading.current_thread().name == "first" and not first_holds.is_set():
            first_holds.set()
            second_done.wait(hold_seconds)

    def run(name, action, after=None):
        try:
            if after is not None:
                after.wait(30)
            action()
            outcomes[name] = "won"
        except refused:
            outcomes[name] = "told"
        finally:
            first_holds.set()
            second_done.set()
            connection.close()

    pre_save.connect(hold, sender=model, weak=False)
    try:
        threads = [threading.Thread(target=run, name="first", args=("first", first)),
                   threading.Thread(target=run, name="second", args=("second", second, first_holds))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pre_save.disconnect(hold, sender=model)
    return outcomes.get("first"), outcomes.get("second")

"""The flood run of `make bench`: the real /accounts/login/ and /accounts/sms/ POSTs (and the
slider's /accounts/captcha/) hammered from one address each, against the running gunicorn.
Each scenario comes from a loopback address of its own (127.0.0.2, .3, …), so the server's
per-address limits of one do not spill into the next, nor into the rest of the bench.

- password guessing: the slider passed each time, a wrong password: django-axes locks the
  account and the address after five failures (429);
- a bot posting the login form without the slider: 429 once over the per-address limit;
- SMS codes for one phone, the slider passed each time: 429 within the 60-second interval;
- a bot posting to /accounts/sms/ without the slider, and one asking for slider puzzles.

Prints what each answered and writes it to BENCH_FLOOD_RESULT (JSON); exits 1 when a flood is
never answered 429, or anything is answered 5xx.
Usage: python bench/flood.py <base URL> <account> <phone>
"""

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from bench.client import Browser  # noqa: E402
from enterprise_business.accounts.views import FLOOD_LIMITS, FLOOD_WINDOW  # noqa: E402


def fresh_window(needed=20):
    """Start where the per-minute window has `needed` seconds left, so a flood is not split."""
    left = FLOOD_WINDOW - time.time() % FLOOD_WINDOW
    if left < needed:
        time.sleep(left + 0.2)


def run(name, address, attempts, send, expect_first_429):
    fresh_window()
    statuses, started = [], time.monotonic()
    for _ in range(attempts):
        statuses.append(send())
    seconds = time.monotonic() - started
    first = statuses.index(429) + 1 if 429 in statuses else None
    counts = Counter(statuses)
    ok = first is not None and not any(status >= 500 for status in statuses) and first <= expect_first_429
    return {"scenario": name, "address": address, "requests": attempts, "seconds": round(seconds, 1),
            "statuses": dict(sorted(counts.items())), "first_429": first, "expected_429_by": expect_first_429,
            "passed": ok}


def main() -> None:
    base, account, phone = sys.argv[1:4]
    results = []

    guesser = Browser(base, "127.0.0.2")
    guesser.get("/accounts/login/")

    def guess():
        token = guesser.solve_slider("login")
        return guesser.post("/accounts/login/", {"username": account, "password": "Wrong2025x",
                                                 "captcha_token": token}).status_code

    results.append(run("登录：猜密码（每次通过滑块）", "127.0.0.2", 8, guess, expect_first_429=5))

    bot = Browser(base, "127.0.0.3")
    bot.get("/accounts/login/")
    results.append(run("登录：不过滑块直接提交", "127.0.0.3", 100,
                       lambda: bot.post("/accounts/login/", {"username": account, "password": "x"}).status_code,
                       expect_first_429=FLOOD_LIMITS["login"] + 1))

    texter = Browser(base, "127.0.0.4")
    texter.get("/accounts/register/")

    def ask_code():
        token = texter.solve_slider("sms")
        data = {"purpose": "register", "phone": phone, "captcha_token": token}
        return texter.post("/accounts/sms/", data).status_code

    results.append(run("短信：同一手机号反复获取（每次通过滑块）", "127.0.0.4", 3, ask_code, expect_first_429=2))

    sms_bot = Browser(base, "127.0.0.5")
    sms_bot.get("/accounts/register/")
    results.append(run("短信：不过滑块直接提交", "127.0.0.5", 50,
                       lambda: sms_bot.post("/accounts/sms/", {"purpose": "register", "phone": phone,
                                                               "captcha_token": "x"}).status_code,
                       expect_first_429=FLOOD_LIMITS["sms"] + 1))

    puzzles = Browser(base, "127.0.0.6")
    puzzles.get("/accounts/login/")
    results.append(run("滑块：反复获取验证图片", "127.0.0.6", 100,
                       lambda: puzzles.post("/accounts/captcha/", {"purpose": "login"}).status_code,
                       expect_first_429=FLOOD_LIMITS["captcha"] + 1))

    print(f"{'address':<11}{'requests':>9}{'seconds':>8}{'first 429':>10}  {'statuses':<22}scenario")
    for row in results:
        statuses = ", ".join(f"{status}×{count}" for status, count in row["statuses"].items())
        print(f"{row['address']:<11}{row['requests']:>9}{row['seconds']:>8}{row['first_429'] or '-':>10}  "
              f"{statuses:<22}{row['scenario']}{'' if row['passed'] else '  FAIL'}")
    if os.environ.get("BENCH_FLOOD_RESULT"):
        Path(os.environ["BENCH_FLOOD_RESULT"]).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    if not all(row["passed"] for row in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""An HTTP client for the bench scripts (flood.py, faults.py): one browser-like session
(requests) bound to a loopback address of its own, so that each scenario is one "address"
to the server's per-address limits; it sends the Secure cookies of the production settings
back over plain HTTP; and it can pass the slider check, reading the answer from the shared
cache as the tests do (enterprise_business/tests/helpers.solve_slider). Needs Django set up
with the server's settings (bench.settings and the same REDIS_URL).
"""

import http.cookiejar
import json
import re

import requests
from requests.adapters import HTTPAdapter
from requests.cookies import get_cookie_header

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What an enterprise posts (locustfile.py, faults.py): its figures, and six proofs as it scans
# them, PDFs of about 60 KB (the server checks the magic bytes).
PDF = b"%PDF-1.4\n" + b"% scanned page\n" * 4000 + b"%%EOF\n"
FILES = ("balance_sheet", "tax_return", "tax_return_prev", "social_security_proof", "social_security_prev_proof",
         "staff_proof")
FIGURES = {
    "filler_name": "王工", "filler_phone": "13940111111", "equity_begin": "800", "equity_end": "960.50",
    "rd_expense": "150", "rd_expense_prev": "120", "revenue": "2100", "revenue_prev": "1800", "tax_paid": "130",
    "tax_paid_prev": "110", "rd_tax_deduction": "22", "social_security": "45", "social_security_prev": "40",
    "bachelor_count": "20", "postgraduate_count": "6", "staff_total": "50", "graduates_hired": "3", "rd_staff": "15",
}


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class LoopbackAdapter(HTTPAdapter):
    """Sends the session's cookies itself, the Secure ones of the production settings included
    (requests would leave them out over plain HTTP), optionally from a given source address."""

    def __init__(self, jar, address=None, **kwargs):
        jar.set_policy(LoopbackCookies())
        self.jar, self.address = jar, address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        if self.address:
            kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)

    def send(self, request, **kwargs):
        request.headers.pop("Cookie", None)
        header = get_cookie_header(self.jar, request)
        if header:
            request.headers["Cookie"] = header
        return super().send(request, **kwargs)


def sign_in(jar, session_key, host="127.0.0.1"):
    """Log a client in with a session made by bench/load_users.py."""
    jar.set("sessionid", session_key, domain=host, path="/")


class Browser:
    def __init__(self, base: str, address: str = "127.0.0.1", timeout: float = 15):
        self.base, self.timeout = base, timeout
        self.http = requests.Session()
        self.http.mount("http://", LoopbackAdapter(self.http.cookies, address))
        self.csrf = ""

    def sign_in(self, session_key: str):
        sign_in(self.http.cookies, session_key)

    def get(self, path, **kwargs):
        response = self.http.get(self.base + path, timeout=self.timeout, **kwargs)
        found = CSRF_INPUT.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path, data=None, **kwargs):
        headers = {"X-CSRFToken": self.csrf, "Referer": self.base + path, **kwargs.pop("headers", {})}
        if isinstance(data, dict) and "csrfmiddlewaretoken" not in data and "json" not in kwargs:
            data = {"csrfmiddlewaretoken": self.csrf, **data}
        return self.http.post(self.base + path, data=data, headers=headers, timeout=self.timeout, **kwargs)

    def solve_slider(self, purpose: str) -> str:
        """A pass for `purpose` bound to this session, as a person dragging the piece gets it."""
        from django.core.cache import cache

        challenge = self.post("/accounts/captcha/", {"purpose": purpose})
        challenge.raise_for_status()
        challenge_id = challenge.json()["id"]
        left = cache.get(f"captcha:{challenge_id}")["left"]
        trail = [[round(900 * i / 12), round(left * i / 12)] for i in range(13)]
        body = json.dumps({"id": challenge_id, "left": left, "trail": trail, "purpose": purpose})
        answer = self.post("/accounts/captcha/verify/", body, headers={"Content-Type": "application/json"})
        answer.raise_for_status()
        return answer.json()["token"]

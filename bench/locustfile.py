"""The filing-deadline peak, for Locust (headless; `make bench` runs it, see bench/README.md).

Virtual users, by weight:
- 80 % visitors reading public pages: the home page, the section lists, notices and policies
  (anonymous: served from the page cache after a page's first render);
- 15 % enterprises filing their points data: the filings list, the form, 暂存 with a proof,
  then 提交 with every field and six proof files (PDF), each enterprise account once;
- 5 % reviewers: the review queue of the 2025 batch (10,000 filings), one filing, then a
  decision (审核通过, or 退回修改 with a reason), each filing once.

Sessions come from bench/load_users.py (`BENCH_LOAD_DATA`, a JSON file), not from the login
form; bench/flood.py checks the login and SMS endpoints. The run fails (exit code 1) when more
than 1 % of requests fail or the 95th percentile of all requests is above `BENCH_P95_MS`
(default 2000 ms), and writes its figures to `BENCH_LOAD_RESULT` (JSON) besides printing them.
With `BENCH_REQUEST_LOG` set, every request is also appended to that file as a line
"<finished, Unix seconds>\t<name>\t<response time, ms>\t<1 if it failed>", so that
bench/run_under_load.py can judge the requests of a time window (while a run is calculated).
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.client import CSRF_INPUT, FIGURES, FILES, PDF, LoopbackAdapter, sign_in  # noqa: E402

DATA = json.loads(Path(os.environ["BENCH_LOAD_DATA"]).read_text())
P95_TARGET_MS = int(os.environ.get("BENCH_P95_MS", "2000"))
MAX_ERROR_RATIO = 0.01
GROUPS = {"公开": "visitors", "企业": "enterprises", "审核": "reviewers"}

RNG = random.Random(7)  # noqa: S311 -- which page next, not a secret
ENTERPRISES = iter(DATA["enterprises"])
FILINGS = iter(DATA["submitted_filings"])
REVIEWERS = itertools.cycle(DATA["reviewers"])


if os.environ.get("BENCH_REQUEST_LOG"):
    REQUEST_LOG = open(os.environ["BENCH_REQUEST_LOG"], "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - the run's

    @events.request.add_listener
    def log_request(name, response_time, exception, **kwargs):
        REQUEST_LOG.write(f"{time.time():.3f}\t{name}\t{response_time:.1f}\t{int(exception is not None)}\n")


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 4)

    def on_start(self):
        self.client.mount("http://", LoopbackAdapter(self.client.cookies))

    def sign_in(self, session_key):
        self.client.cookies.clear()
        sign_in(self.client.cookies, session_key)

    def page(self, url, name, expect=None):
        """GET a page; returns its CSRF token ('' if it has no form), keeps its text."""
        self.last_page = ""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{response.status_code} {response.url}")
                return ""
            if expect and expect not in response.text:
                response.failure(f"没有“{expect}”")
                return ""
            self.last_page = response.text
            found = CSRF_INPUT.search(response.text)
            return found.group(1) if found else ""

    def post(self, url, name, data, expect, files=None):
        """POST a form (following its redirect); a failure unless the page then says `expect`."""
        with self.client.post(url, name=name, data=data, files=files, catch_response=True,
                              headers={"Referer": self.host + url}) as response:
            if response.status_code != 200 or expect not in response.text:
                response.failure(f"{response.status_code}: 没有“{expect}”")
                return False
            return True


class Visitor(PortalUser):
    weight = 80

    @task(3)
    def home(self):
        self.page("/", "公开 首页")

    @task(2)
    def section(self):
        self.page(RNG.choice(DATA["public_urls"][1:3]), "公开 栏目列表")

    @task(5)
    def article(self):
        self.page(RNG.choice(DATA["public_urls"][3:]), "公开 通知/政策")


class Enterprise(PortalUser):
    """One account per filing: list, form, 暂存 with one proof, form again, 提交 with all."""

    weight = 15

    def on_start(self):
        super().on_start()
        self.next_account()

    def next_account(self):
        account = next(ENTERPRISES, None)
        if account is None:
            raise StopUser()  # every bench account has filed
        self.sign_in(account["session"])
        self.step = 0

    @task
    def file_points(self):
        url = f"/enterprise/filings/{DATA['batch']}/"
        if self.step == 0:
            self.page("/enterprise/filings/", "企业 填报列表", expect="积分数据填报")
        elif self.step == 1:
            token = self.page(url, "企业 填报表单")
            if 'name="submit"' not in self.last_page:
                self.next_account()  # filed by an earlier run on this database (or the page failed)
                return
            draft = {"csrfmiddlewaretoken": token, **{k: FIGURES[k] for k in ("filler_name", "filler_phone")}}
            self.post(url, "企业 暂存", draft, "已暂存", files={"balance_sheet": ("资产负债表.pdf", PDF)})
        elif self.step == 2:
            token = self.page(url, "企业 填报表单")
            files = {name: (f"{name}.pdf", PDF) for name in FILES}
            data = {"csrfmiddlewaretoken": token, **FIGURES, "records_confirmed": "on", "submit": ""}
            self.post(url, "企业 提交", data, "已提交，请等待管理员审核", files=files)
        self.step += 1
        if self.step == 3:
            self.next_account()


class Reviewer(PortalUser):
    """The queue, one submitted filing, a decision: 审核通过 (3 in 4) or 退回修改."""

    weight = 5

    def on_start(self):
        super().on_start()
        self.sign_in(next(REVIEWERS)["session"])

    @task
    def review_one(self):
        self.page(f"/admin/points/?batch={DATA['batch']}", "审核 审核队列", expect="积分数据填报")
        filing = next(FILINGS, None)
        if filing is None:
            raise StopUser()
        token = self.page(f"/admin/points/inspect/{filing}/", "审核 填报详情", expect="审核通过")
        if 'name="decision" value="approve"' not in self.last_page:
            # Decided already (an approved filing offers only 退回更正), or the page failed
            # (counted above): the next one.
            return
        if RNG.random() < 0.75:
            decision, expect = {"decision": "approve"}, "已审核通过"
        else:
            decision, expect = {"decision": "return", "reason": "社保人数证明文件未盖章，请重新上传。"}, "已退回修改"
        self.post(f"/admin/points/decide/{filing}/", "审核 审核决定", {"csrfmiddlewaretoken": token, **decision},
                  expect)


def _summary(entry, **extra):
    return {
        "requests": entry.num_requests, "failures": entry.num_failures,
        "error_percent": round(100 * entry.fail_ratio, 2), "rps": round(entry.total_rps, 1),
        "p50_ms": entry.get_response_time_percentile(0.50), "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99), **extra,
    }


@events.quitting.add_listener
def judge(environment, **kwargs):
    """Print the figures of the run, write them as JSON, and fail it on its two limits."""
    stats = environment.stats
    groups = {key: StatsEntry(stats, key, "", use_response_times_cache=False) for key in GROUPS.values()}
    for entry in stats.entries.values():
        groups[GROUPS[entry.name.split()[0]]].extend(entry)
    total = stats.total
    result = {
        "total": _summary(total, users=getattr(environment.parsed_options, "num_users", None)),
        **{key: _summary(group) for key, group in groups.items()},
        "by_request": {name: _summary(entry) for (name, _method), entry in sorted(stats.entries.items())},
        "p95_target_ms": P95_TARGET_MS, "max_error_percent": 100 * MAX_ERROR_RATIO,
    }
    verdict = []
    if total.fail_ratio > MAX_ERROR_RATIO:
        verdict.append(f"errors {100 * total.fail_ratio:.2f} % > {100 * MAX_ERROR_RATIO:.0f} %")
    if total.get_response_time_percentile(0.95) > P95_TARGET_MS:
        verdict.append(f"p95 {total.get_response_time_percentile(0.95)} ms > {P95_TARGET_MS} ms")
    result["passed"] = not verdict
    environment.process_exit_code = 1 if verdict else 0
    print(f"\n{'':<12}{'requests':>9}{'req/s':>8}{'errors':>9}{'p50':>8}{'p95':>8}{'p99':>8}")
    for key in ("total", *GROUPS.values()):
        row = result[key]
        print(f"{key:<12}{row['requests']:>9}{row['rps']:>8}{row['error_percent']:>8}%{row['p50_ms']:>6}ms"
              f"{row['p95_ms']:>6}ms{row['p99_ms']:>6}ms")
    print("PASS" if not verdict else "FAIL: " + "; ".join(verdict),
          f"(limits: errors ≤ {100 * MAX_ERROR_RATIO:.0f} %, p95 ≤ {P95_TARGET_MS} ms)")
    if os.environ.get("BENCH_LOAD_RESULT"):
        Path(os.environ["BENCH_LOAD_RESULT"]).write_text(json.dumps(result, ensure_ascii=False, indent=1))

"""The fault runs of `make bench`, on a PostgreSQL cluster of their own that they may restart:

1. **PostgreSQL restarted mid-load.** A throwaway cluster (initdb, a free port, under /tmp)
   gets a copy of the bench database; a second gunicorn (2 workers) serves it while threads
   read public pages, fill and submit points filings (six proof files each) and decide
   filings as reviewers; ten seconds in, the cluster is restarted (`pg_ctl restart -m fast`).
   Reported: what was answered during the outage (expected: our generic 500 page, nothing
   leaked), how soon every kind of request succeeded again with the same gunicorn and workers
   (CONN_HEALTH_CHECKS reconnects), and the database afterwards: no half-saved filing (every
   submitted one complete, with its submit event; state and event log agree) and no proof
   row without its file.
2. **S3 endpoint down, SMS gateway down.** A third gunicorn with both media storages on an
   S3 endpoint where nothing listens and SMS_BACKEND = bench.sms_gateways.DownGateway: a
   submission with six files is answered with 文件存储服务暂时不可用 and records nothing; an
   SMS code and a reviewer's decision still succeed, their messages queued; once the gateway
   is back, `manage.py retry_sms` sends them.

Run by bench/run.sh after the load run, with its environment (bench.settings, the bench
database as DATABASE_URL). Prints the figures, writes them to BENCH_FAULTS_RESULT (JSON), and
exits 1 when a check fails. Usage: python bench/faults.py <source database name>
"""

import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
OUT = Path(os.environ.get("BENCH_OUTPUT", ROOT / "bench" / "output"))
FAULT_DB = "portal_fault"
FAULT_REDIS = "redis://127.0.0.1:6379/14"
LOAD_SECONDS, RESTART_AT = 30, 10
LEAKS = re.compile(r"Traceback|OperationalError|psycopg|django\.db|File \"/")
STORAGE_DOWN = "文件存储服务暂时不可用，请稍后重试。"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PG_PORT = free_port()
# This process talks to the throwaway cluster and its own Redis DB from here on.
os.environ.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/{FAULT_DB}", REDIS_URL=FAULT_REDIS,
                  DATABASE_CONN_MAX_AGE="0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402
import requests  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.client import FIGURES, FILES, PDF, Browser  # noqa: E402
from enterprise_business.filings.forms import BUSINESS_FILES, OPTIONAL_FILES, STAFF_FILES  # noqa: E402
from enterprise_business.models import FilingEvent, FilingStatus, PointsFiling  # noqa: E402
from portal.core.models import PrivateFile, SmsMessage  # noqa: E402

RNG = random.Random(7)  # noqa: S311 -- which page next, not a secret


def run(command, **kwargs):
    """subprocess.run of a command built here (no user input reaches it)."""
    return subprocess.run(command, **kwargs)  # noqa: S603


def pg_bin(name: str) -> str:
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
    return f"/usr/lib/postgresql/{version}/bin/{name}"


class Cluster:
    """A PostgreSQL cluster of this run only (trust auth, loopback, a free port)."""

    def __init__(self, port: int):
        self.port, self.dir = port, Path(tempfile.mkdtemp(prefix="portal-bench-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "postgresql.log"
        self.sudo = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.sudo:
            shutil.chown(self.dir, "postgres", "postgres")

    def pg_ctl(self, *args):
        run([*self.sudo, pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", *args], check=True,
            capture_output=True)

    def start(self):
        run([*self.sudo, pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
        self.pg_ctl("-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")

    def restart(self):
        self.pg_ctl("-m", "fast", "restart")

    def destroy(self):
        with suppress(subprocess.CalledProcessError):
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def copy_database(source: str):
    psql = [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    run([*psql, "-c", f"CREATE DATABASE {FAULT_DB}"], check=True)
    dump = subprocess.Popen([pg_bin("pg_dump"), "-Fc", "-h", "127.0.0.1", "-U", "postgres", source],  # noqa: S603
                            stdout=subprocess.PIPE)
    run([pg_bin("pg_restore"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", FAULT_DB,
         "--no-owner", "--no-privileges"], stdin=dump.stdout, check=True)
    if dump.wait() != 0:
        raise SystemExit("faults.py: pg_dump failed")


class Gunicorn:
    def __init__(self, port: int, name: str, **env):
        self.base, self.log = f"http://127.0.0.1:{port}", OUT / f"gunicorn-{name}.log"
        self.process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "portal.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning"],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )

    def wait_until(self, path: str, status: int):
        for _ in range(120):
            with suppress(requests.RequestException):
                if requests.get(self.base + path, timeout=5).status_code == status:
                    return
            if self.process.poll() is not None:
                raise SystemExit(f"faults.py: gunicorn died, see {self.log}")
            time.sleep(0.5)
        raise SystemExit(f"faults.py: {self.base}{path} never answered {status}")

    def workers(self) -> list[int]:
        import psutil

        return sorted(child.pid for child in psutil.Process(self.process.pid).children())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


def make_accounts(count: int, offset: int) -> dict:
    out = OUT / f"fault-users-{offset}.json"
    run([str(BIN / "python"), "bench/load_users.py", "--enterprises", str(count), "--offset", str(offset),
         "--reviewers", "2", "--out", str(out)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


# --- 1. PostgreSQL restarted mid-load -------------------------------------------------------

class Load:
    """Threads of visitors, enterprises and a reviewer; every request recorded with its time."""

    def __init__(self, base: str, data: dict):
        self.base, self.data = base, data
        self.accounts, self.filings = iter(data["enterprises"]), iter(data["submitted_filings"])
        self.lock, self.rows, self.submits = threading.Lock(), [], {}
        self.t0, self.stop = time.monotonic(), threading.Event()

    def record(self, kind, call, expect=None):
        started = time.monotonic() - self.t0
        response, status, body = None, None, ""
        try:
            response = call()
            status, body = response.status_code, response.text
        except requests.RequestException as error:
            status = type(error).__name__
        ok = status == 200 and (expect is None or expect in body)
        # Failing cleanly: an HTTP error page that gives nothing away, not a dropped connection.
        clean = ok or (isinstance(status, int) and status >= 400 and not LEAKS.search(body))
        page = ("our 500 page" if "系统繁忙，请稍后再试" in body else
                "Django's 400 page (session not saved)" if "Bad Request (400)" in body else "other")
        with self.lock:
            self.rows.append({"kind": kind, "start": started, "end": time.monotonic() - self.t0, "status": status,
                              "ok": ok, "clean": clean, "page": page})
        return ok, body

    def visitor(self):
        browser = Browser(self.base)
        while not self.stop.is_set():
            url = RNG.choice(self.data["public_urls"])
            self.record("public", lambda url=url: browser.get(url))
            time.sleep(0.05)

    def enterprise(self):
        url = f"/enterprise/filings/{self.data['batch']}/"
        while not self.stop.is_set():
            with self.lock:
                account = next(self.accounts)
            browser = Browser(self.base)
            browser.sign_in(account["session"])
            outcomes = self.submits.setdefault(account["username"], [])
            step = 0
            while step < 3 and not self.stop.is_set():
                if step == 0:
                    ok, _ = self.record("enterprise", lambda b=browser: b.get(url), expect="企业经营信息")
                elif step == 1:
                    ok, _ = self.record("enterprise", lambda b=browser: b.post(
                        url, {k: FIGURES[k] for k in ("filler_name", "filler_phone")},
                        files={"balance_sheet": ("资产负债表.pdf", PDF)}), expect="已暂存")
                else:
                    ok, body = self.record("enterprise", lambda b=browser: b.post(
                        url, {**FIGURES, "records_confirmed": "on", "submit": ""},
                        files={name: (f"{name}.pdf", PDF) for name in FILES}), expect="已提交，请等待管理员审核")
                    # A retry after an answer lost in the outage finds the filing already submitted.
                    already = "已提交或不在填报时间内" in body
                    outcomes.append("ok" if ok else "already submitted" if already else "error")
                    ok = ok or already
                step += ok
                time.sleep(0.1 if ok else 0.3)

    def reviewer(self):
        browser = Browser(self.base)
        browser.sign_in(self.data["reviewers"][0]["session"])
        filing = next(self.filings)
        while not self.stop.is_set():
            ok, _ = self.record("reviewer", lambda pk=filing: browser.get(f"/admin/points/inspect/{pk}/"))
            if ok:
                ok, body = self.record("reviewer", lambda pk=filing: browser.post(
                    f"/admin/points/decide/{pk}/", {"decision": "approve"}))
                if ok and ("已审核通过" in body or "已被其他审核员处理" in body):
                    filing = next(self.filings)
            time.sleep(0.3)

    def run(self, restart):
        threads = [threading.Thread(target=target, daemon=True)
                   for target in (self.visitor, self.visitor, self.enterprise, self.enterprise, self.enterprise,
                                  self.enterprise, self.reviewer)]
        for thread in threads:
            thread.start()
        time.sleep(RESTART_AT)
        down = time.monotonic() - self.t0
        restart()
        up = time.monotonic() - self.t0
        time.sleep(LOAD_SECONDS - up)
        self.stop.set()
        for thread in threads:
            thread.join(60)
        return down, up


def half_saved(usernames) -> dict:
    """The database after the restart: each filing of the run whole, its log agreeing with it."""
    ct_filter = {"filing_type__app_label": "enterprise_business", "filing_type__model": "pointsfiling"}
    required = [name for name in (*BUSINESS_FILES, *STAFF_FILES) if name not in OPTIONAL_FILES]
    filings = PointsFiling.objects.filter(enterprise__credit_code__in=usernames)
    problems = Counter()
    for filing in filings:
        events = list(FilingEvent.objects.filter(filing_id=filing.pk, **ct_filter).order_by("created_at", "pk"))
        if not events or events[-1].to_status != filing.status:
            problems["state and event log disagree"] += 1
        if filing.status == FilingStatus.SUBMITTED:
            if any(getattr(filing, f"{name}_id") is None for name in required) or filing.staff_total is None:
                problems["submitted without all its data"] += 1
            if not any(e.to_status == FilingStatus.SUBMITTED for e in events):
                problems["submitted without its submit event"] += 1
    missing_files = sum(1 for proof in PrivateFile.objects.all().iterator() if not proof.file.storage.exists(
        proof.file.name))
    return {"filings": filings.count(), "submitted": filings.filter(status=FilingStatus.SUBMITTED).count(),
            "drafts": filings.filter(status=FilingStatus.DRAFT).count(), "problems": dict(problems),
            "proof rows without their file": missing_files}


def postgres_restart(cluster: Cluster) -> dict:
    data = make_accounts(400, offset=200_000)
    server = Gunicorn(free_port(), "pg-restart")
    try:
        server.wait_until("/health/", 200)
        for url in data["public_urls"]:  # the page cache warm, as on a live site
            requests.get(server.base + url, timeout=30)
        master, workers = server.process.pid, server.workers()
        load = Load(server.base, data)
        down, up = load.run(cluster.restart)
        rows = load.rows
        alive = server.process.poll() is None
        same_workers = alive and server.workers() == workers
    finally:
        server.stop()
    connection.close()
    during = [r for r in rows if r["end"] >= down and r["start"] <= up]
    failed = [r for r in rows if not r["ok"]]
    after = [r for r in rows if r["start"] > up]
    recovered = {}
    for kind in ("public", "enterprise", "reviewer"):
        late_errors = [r["end"] for r in after if r["kind"] == kind and not r["ok"]]
        firsts = [r["end"] for r in after if r["kind"] == kind and r["ok"]]
        recovered[kind] = round(max([*late_errors, min(firsts, default=up)]) - up, 2) if firsts else None
    submits = Counter(outcome for outcomes in load.submits.values() for outcome in outcomes)
    state = half_saved(list(load.submits))
    result = {
        "seconds": LOAD_SECONDS, "restart_at": round(down, 1), "postgres_down_seconds": round(up - down, 2),
        "requests": len(rows), "requests_per_second": round(len(rows) / LOAD_SECONDS, 1),
        "failed": len(failed), "failed_statuses": dict(Counter(str(r["status"]) for r in failed)),
        "failed_by_kind": dict(Counter(r["kind"] for r in failed)),
        "failed_before_outage": sum(1 for r in failed if r["end"] < down),
        "failed_after_recovery": sum(1 for r in failed if r["start"] > up + 5),
        "unclean_failures": sum(1 for r in failed if not r["clean"]),
        "error_pages": dict(Counter(f"{r['status']} {r['page']}" for r in failed)),
        "public_ok_during_outage": sum(1 for r in during if r["kind"] == "public" and r["ok"]),
        "public_during_outage": sum(1 for r in during if r["kind"] == "public"),
        "recovered_after_seconds": recovered, "gunicorn_alive": alive, "same_workers": same_workers,
        "master_pid": master, "submit_outcomes": dict(submits), "database": state,
    }
    result["passed"] = (alive and result["unclean_failures"] == 0 and result["failed_after_recovery"] == 0
                        and result["failed_before_outage"] == 0
                        and not state["problems"] and state["proof rows without their file"] == 0
                        and all(seconds is not None for seconds in recovered.values()))
    return result


# --- 2. S3 endpoint and SMS gateway down -----------------------------------------------------

def dependencies_down() -> dict:
    data = make_accounts(5, offset=300_000)
    dead = f"http://127.0.0.1:{free_port()}"
    server = Gunicorn(
        free_port(), "s3-sms-down", AWS_STORAGE_BUCKET_NAME="portal-bench-media",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="portal-bench-private", AWS_S3_ENDPOINT_URL=dead,
        AWS_S3_REGION_NAME="us-east-1", AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench-secret",  # noqa: S106
        SMS_BACKEND="bench.sms_gateways.DownGateway",
    )
    result = {}
    try:
        server.wait_until("/accounts/login/", 200)
        health = requests.get(server.base + "/health/", timeout=60)
        result["health"] = {"status": health.status_code, "body": health.text[:200]}

        url = f"/enterprise/filings/{data['batch']}/"
        enterprise = Browser(server.base, timeout=120)
        enterprise.sign_in(data["enterprises"][0]["session"])
        enterprise.get(url)
        proofs_before = PrivateFile.objects.count()
        started = time.monotonic()
        response = enterprise.post(url, {**FIGURES, "records_confirmed": "on", "submit": ""},
                                   files={name: (f"{name}.pdf", PDF) for name in FILES})
        filing = PointsFiling.objects.filter(enterprise__credit_code=data["enterprises"][0]["username"]).first()
        result["upload"] = {
            "status": response.status_code, "seconds": round(time.monotonic() - started, 1),
            "fields_with_message": response.text.count(STORAGE_DOWN),
            "proof_rows_added": PrivateFile.objects.count() - proofs_before,
            "filing_status": filing.status if filing else "none",
        }

        queued_before = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).count()
        person = Browser(server.base, "127.0.0.7")
        person.get("/accounts/register/")
        answer = person.post("/accounts/sms/", {"purpose": "register", "phone": "13700000007",
                                                "captcha_token": person.solve_slider("sms")})
        reviewer = Browser(server.base)
        reviewer.sign_in(data["reviewers"][0]["session"])
        pk = data["submitted_filings"][-1]
        reviewer.get(f"/admin/points/inspect/{pk}/")
        decided = reviewer.post(f"/admin/points/decide/{pk}/", {"decision": "approve"})
        queued = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED)
        result["sms"] = {
            "code_status": answer.status_code, "code_message": answer.json().get("message"),
            "decision_status": decided.status_code, "decision_ok": "已审核通过" in decided.text,
            "queued": queued.count() - queued_before,
        }
    finally:
        server.stop()
    due = max(queued.values_list("next_attempt_at", flat=True), default=None)
    if due:  # the gateway is back: the next cron run of retry_sms, once the messages are due
        time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.5)
    retry = run([str(BIN / "python"), "manage.py", "retry_sms", "--now"], cwd=ROOT, capture_output=True, text=True,
                env={**os.environ, "SMS_BACKEND": "portal.core.notifications.sms.OutboxBackend"}, check=True)
    result["sms"]["retry_output"] = retry.stdout.strip()
    result["sms"]["still_queued"] = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).count()
    result["passed"] = (
        result["health"]["status"] == 503 and result["upload"]["status"] == 200
        and result["upload"]["fields_with_message"] >= len(FILES) and result["upload"]["proof_rows_added"] == 0
        and result["upload"]["filing_status"] != FilingStatus.SUBMITTED and result["sms"]["code_status"] == 200
        and "系统将自动重试" in (result["sms"]["code_message"] or "") and result["sms"]["decision_ok"]
        and result["sms"]["queued"] >= 2 and result["sms"]["still_queued"] == 0
    )
    return result


def report(pg: dict, deps: dict):
    db = pg["database"]
    print(f"PostgreSQL restarted {pg['restart_at']} s into a {pg['seconds']} s load "
          f"({pg['requests_per_second']} req/s, {pg['requests']} requests); down {pg['postgres_down_seconds']} s")
    print(f"  failed requests: {pg['failed']} {pg['failed_by_kind']}: {pg['error_pages']}; leaking anything or "
          f"dropped: {pg['unclean_failures']}; before the restart: {pg['failed_before_outage']}, after recovery: "
          f"{pg['failed_after_recovery']}")
    print(f"  public pages during the outage: {pg['public_ok_during_outage']} of {pg['public_during_outage']} "
          "served (page cache)")
    print(f"  all requests succeed again after (s): {pg['recovered_after_seconds']}; same gunicorn: "
          f"{pg['gunicorn_alive']}, same workers: {pg['same_workers']}")
    print(f"  submits: {pg['submit_outcomes']}; filings of the run: {db['filings']} ({db['submitted']} submitted, "
          f"{db['drafts']} drafts), half-saved: {sum(db['problems'].values())} {db['problems'] or ''}, "
          f"proof rows without their file: {db['proof rows without their file']}")
    print(f"  {'PASS' if pg['passed'] else 'FAIL'}")
    up, sms = deps["upload"], deps["sms"]
    print(f"S3 endpoint down: /health/ {deps['health']['status']}; a submission with {len(FILES)} files answered "
          f"{up['status']} in {up['seconds']} s, “{STORAGE_DOWN}” at {up['fields_with_message']} fields, proof rows "
          f"added: {up['proof_rows_added']}, filing: {up['filing_status']}")
    print(f"SMS gateway down: code request {sms['code_status']} “{sms['code_message']}”; reviewer decision ok: "
          f"{sms['decision_ok']}; messages queued: {sms['queued']}; gateway back: {sms['retry_output']} "
          f"still queued: {sms['still_queued']}")
    print(f"  {'PASS' if deps['passed'] else 'FAIL'}")


def main() -> None:
    source = sys.argv[1]
    run([shutil.which("redis-cli"), "-h", "127.0.0.1", "-n", FAULT_REDIS.rsplit("/", 1)[1], "flushdb"], check=True,
        stdout=subprocess.DEVNULL)
    cluster = Cluster(PG_PORT)
    try:
        cluster.start()
        copy_database(source)
        pg = postgres_restart(cluster)
        deps = dependencies_down()
    finally:
        connection.close()
        cluster.destroy()
    report(pg, deps)
    if os.environ.get("BENCH_FAULTS_RESULT"):
        Path(os.environ["BENCH_FAULTS_RESULT"]).write_text(
            json.dumps({"postgres_restart": pg, "s3_and_sms_down": deps}, ensure_ascii=False, indent=1, default=str))
    if not (pg["passed"] and deps["passed"]):
        sys.exit(1)


if __name__ == "__main__":
    main()

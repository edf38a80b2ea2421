"""`make bench`, a run under load: the 520,000-enterprise calculation run goes through a real
`db_worker` while the filing-deadline peak (bench/locustfile.py) is on the site, and the p95 of
every kind of request during the run is compared with the same load without it.

    python bench/run_under_load.py http://127.0.0.1:8765 --out bench/output

Needs the gunicorn of bench/run.sh on that address and the bench database after
bench/scoring.py has seeded its batches (the largest is calculated here). Steps:

1. Accounts (bench/load_users.py): two sets of approved enterprises that have not filed, one for
   each phase, so that every enterprise of either phase files once; reviewers; a scoring admin
   (积分管理员) with a session.
2. Without the run: one worker is started (`manage.py db_worker`, at nice 10 with
   JOBS_DATABASE_NICE=10 and JOBS_DUTY_CYCLE=`--duty-cycle` (10), as the README's deploy
   section advises when workers and PostgreSQL share a machine with the web processes) and idles;
   Locust, `--users` users for `--baseline` seconds.
3. With the run: Locust starts with the same users; after the warm-up the scoring admin
   POSTs 发起积分计算 for the batch to the real admin view (the answer's time is printed: it
   must be immediate); the job is followed in the database until it is finished; then Locust
   stops.

Judged over each phase's window after the warm-up (`--warmup` seconds): every request name with
at least `--min-samples` requests in both windows, and each group (公开, 企业, 审核, all), must keep
its p95 within `--limit` (1.5) times the p95 without the run, with no failed request; the run
must finish. Printed: the run's time in the worker, its wait in the queue, the worker's peak
resident memory (VmHWM), the admin's answer time, and the table; written to <out>/under_load.json.
Exit code 1 when a check fails.
"""

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from bench import load_users  # noqa: E402
from bench.client import CSRF_INPUT, LoopbackAdapter, sign_in  # noqa: E402
from bench.scoring import SIZES  # noqa: E402
from enterprise_business.models import Batch, FilingStatus, PointsFiling, User  # noqa: E402
from portal.core import roles  # noqa: E402
from portal.core.jobs import Job  # noqa: E402
from portal.core.sessions import session_for  # noqa: E402
from scoring_engine.services import JOB_KIND, default_scheme  # noqa: E402

GROUPS = {"公开": "visitors", "企业": "enterprises", "审核": "reviewers"}


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (ms); NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def accounts(out: Path, phase: str, enterprises: int, offset: int, filings: list[int]) -> Path:
    """bench/load_users.py's JSON for one phase: its own enterprises and filings to decide,
    the shared reviewers."""
    data = {
        "batch": Batch.objects.get(data_year=2025).pk,
        "public_urls": load_users.public_urls(),
        "enterprises": load_users.make_enterprises(enterprises, offset),
        "reviewers": load_users.make_reviewers(5),
        "submitted_filings": filings,
    }
    path = out / f"under_load_users_{phase}.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def scoring_admin_session() -> str:
    user, _ = User.objects.get_or_create(username="load_jifen", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=roles.SCORING_ADMIN))
    return session_for(user)


def locust(base: str, data: Path, log: Path, users: int, run_time: int, out: Path, phase: str) -> subprocess.Popen:
    log.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_LOAD_DATA": str(data), "BENCH_REQUEST_LOG": str(log),
           "BENCH_LOAD_RESULT": str(out / f"under_load_locust_{phase}.json"), "BENCH_P95_MS": "100000"}
    return subprocess.Popen(  # noqa: S603 - the bench's own Locust file
        [str(ROOT / ".venv/bin/locust"), "-f", "bench/locustfile.py", "--headless", "--users", str(users),
         "--spawn-rate", "20", "--run-time", f"{run_time}s", "--host", base, "--only-summary",
         "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=(out / f"under_load_locust_{phase}.log").open("w"), stderr=subprocess.STDOUT)


def window(log: Path, start: float, end: float) -> dict[str, list[tuple[float, int]]]:
    """{request name: [(ms, failed), …]} of the requests that finished in [start, end]."""
    requests_by_name: dict[str, list[tuple[float, int]]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        finished, name, ms, failed = line.split("\t")
        if start <= float(finished) <= end:
            requests_by_name.setdefault(name, []).append((float(ms), int(failed)))
    return requests_by_name


def kinds(requests_by_name: dict) -> dict[str, list[tuple[float, int]]]:
    """Each request name, each group (公开/企业/审核, named in English) and "all"."""
    grouped = dict(requests_by_name)
    for name, rows in requests_by_name.items():
        grouped.setdefault(GROUPS[name.split()[0]], []).extend(rows)
        grouped.setdefault("all", []).extend(rows)
    return grouped


def start_run(base: str, session_key: str, batch: Batch) -> tuple[int, float]:
    """POST 发起积分计算 as the scoring admin; (job id, seconds the admin took to answer)."""
    client = requests.Session()
    client.mount("http://", LoopbackAdapter(client.cookies))
    sign_in(client.cookies, session_key)
    url = f"{base}/admin/scoring/runs/start/"
    form = client.get(url, params={"batch": batch.pk}, timeout=30)
    token = CSRF_INPUT.search(form.text).group(1)
    scheme = default_scheme(batch)
    started = time.monotonic()
    answer = client.post(url, data={"csrfmiddlewaretoken": token, "batch": batch.pk, "scheme": scheme.pk},
                         headers={"Referer": url}, allow_redirects=False, timeout=30)
    answered = time.monotonic() - started
    if answer.status_code != 302 or "/jobs/" not in answer.headers.get("Location", ""):
        raise SystemExit(f"发起积分计算 answered {answer.status_code} {answer.headers.get('Location', '')}")
    job = Job.objects.filter(kind=JOB_KIND).order_by("-pk").first()
    return job.pk, answered


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--baseline", type=int, default=75, help="seconds of load without the run")
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument("--limit", type=float, default=1.5)
    parser.add_argument("--min-samples", type=int, default=30)
    parser.add_argument("--duty-cycle", type=int, default=10,
                        help="the worker's JOBS_DUTY_CYCLE (percent), as README's deploy section advises")
    parser.add_argument("--offset", type=int, default=600_000,
                        help="numbering of the phases' enterprises (another one to run again on the same database)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    out = args.out
    batch = Batch.objects.get(name=max(SIZES, key=SIZES.get))

    submitted = list(PointsFiling.objects.filter(batch__data_year=2025, status=FilingStatus.SUBMITTED)
                     .order_by("-pk").values_list("pk", flat=True))
    without = accounts(out, "without", 1500, args.offset, submitted[::2])
    during = accounts(out, "during", 3000, args.offset + 100_000, submitted[1::2])
    admin = scoring_admin_session()

    # The worker idles (polls the queue) through both phases, as a deployed one does.
    worker = subprocess.Popen(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.5"],
        preexec_fn=lambda: os.nice(10), cwd=ROOT,
        env={**os.environ, "JOBS_DATABASE_NICE": "10", "JOBS_DUTY_CYCLE": str(args.duty_cycle)},
        stdout=(out / "under_load_worker.log").open("w"),
        stderr=subprocess.STDOUT)
    print(f"- 无计算：Locust {args.users} 用户 {args.baseline} 秒（后台工作进程空闲）", flush=True)
    log_without = out / "under_load_requests_without.tsv"
    started = time.time()
    locust(base, without, log_without, args.users, args.baseline, out, "without").wait()
    baseline = kinds(window(log_without, started + args.warmup, time.time()))

    print(f"- 计算中：后台工作进程 + Locust {args.users} 用户，{batch.name}", flush=True)
    log_during = out / "under_load_requests_during.tsv"
    load = locust(base, during, log_during, args.users, 900, out, "during")
    time.sleep(args.warmup)
    job_id, answered = start_run(base, admin, batch)
    window_start = time.time()
    deadline = time.monotonic() + 1200  # at 10 % under this load the run takes about six minutes
    job = Job.objects.get(pk=job_id)
    while job.status in (Job.Status.QUEUED, Job.Status.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    window_end = time.time()
    peak = peak_rss_mib(worker.pid)
    load.send_signal(signal.SIGTERM)
    load.wait(timeout=60)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)
    if job.started_at:  # the run's own time in the worker, not its wait in the queue
        window_start = max(window_start, job.started_at.timestamp())
    loaded = kinds(window(log_during, window_start, window_end))

    checks = []
    if job.status != Job.Status.SUCCEEDED:
        checks.append(f"run job {job.pk} ended {job.status}: {job.error[:200]}")
    seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else math.nan
    queued = (job.started_at - job.created_at).total_seconds() if job.started_at else math.nan
    rows = []
    for kind in sorted(set(baseline) | set(loaded), key=lambda k: (k in GROUPS.values() or k == "all", k)):
        before, during_run = baseline.get(kind, []), loaded.get(kind, [])
        p95_before = percentile([ms for ms, _ in before], 0.95)
        p95_during = percentile([ms for ms, _ in during_run], 0.95)
        failed = sum(f for _, f in during_run)
        ratio = p95_during / p95_before if before and during_run else math.nan
        judged = min(len(before), len(during_run)) >= args.min_samples or kind in GROUPS.values() or kind == "all"
        verdict = "ok" if judged and ratio <= args.limit else ("too few" if not judged else "SLOWER")
        if failed:
            verdict = f"{failed} failed"
        if verdict not in ("ok", "too few"):
            checks.append(f"{kind}: {verdict} (p95 {p95_before:.0f} → {p95_during:.0f} ms)")
        rows.append({"kind": kind, "requests_without": len(before), "p95_without_ms": p95_before,
                     "requests_during": len(during_run), "p95_during_ms": p95_during, "ratio": round(ratio, 2),
                     "failed_during": failed, "verdict": verdict})

    print(f"积分计算 {job.result.get('enterprise_count', 0):,} 家企业（后台工作进程，工作占比 {args.duty_cycle}%，"
          f"站点负载 {args.users} 用户）："
          f"{seconds:.1f} 秒，排队 {queued:.1f} 秒，工作进程峰值内存 {peak:,.0f} MiB；"
          f"发起计算的请求 {answered * 1000:.0f} ms")
    print(f"{'kind':<16}{'n without':>10}{'p95 without':>12}{'n during':>10}{'p95 during':>12}{'ratio':>7}  verdict")
    for row in rows:
        print(f"{row['kind']:<16}{row['requests_without']:>10}{row['p95_without_ms']:>10.0f}ms"
              f"{row['requests_during']:>10}{row['p95_during_ms']:>10.0f}ms{row['ratio']:>7}  {row['verdict']}")
    print("PASS" if not checks else "FAIL: " + "; ".join(checks),
          f"(limit: p95 ≤ {args.limit}× without the run, no failed request; names with fewer than "
          f"{args.min_samples} requests are judged within their group)")
    (out / "under_load.json").write_text(json.dumps(
        {"enterprises": job.result.get("enterprise_count"), "seconds": seconds, "queued_seconds": queued,
         "worker_peak_mib": peak, "duty_cycle": args.duty_cycle, "start_answered_ms": round(answered * 1000),
         "users": args.users,
         "window_seconds": round(window_end - window_start, 1), "kinds": rows, "passed": not checks,
         "failures": checks}, ensure_ascii=False, indent=1))
    return 1 if checks else 0


if __name__ == "__main__":
    sys.exit(main())

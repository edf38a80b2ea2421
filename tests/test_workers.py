"""Real background workers (`manage.py db_worker` processes) on PostgreSQL: a calculation run of
a few hundred enterprises started from the admin is answered at once, its progress rises to
done, a worker killed in the middle is replaced by another that finishes the run, and the
results and the publication notices exist exactly once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from enterprise_business.models import Enterprise
from enterprise_business.qualifications.catalogue import ensure_default_catalogue
from enterprise_business.tests.factories import make_staff
from portal.core import roles
from portal.core.jobs import Job
from portal.core.jobs.services import recover_abandoned
from portal.core.notifications.models import Message, SmsMessage
from scoring_engine import publication
from scoring_engine.default_scheme import install_default_scheme
from scoring_engine.models import CalculationRun, EnterpriseResult, Scheme, SchemeIndicator
from tests.processes import wait_for

ROOT = Path(__file__).resolve().parents[1]
# Enough for two chunks of notices and a worker killed halfway through the SMS (sent one at a
# time, they dominate the test's run time); the kill in the calculation is made by a lock, not size.
ENTERPRISES = 600

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="several worker processes share the queue through PostgreSQL row locks; "
                              "the SQLite pass has one test database file and no concurrent writers"),
]


def worker_env() -> dict:
    """The environment of a worker on this test's database and media folders."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": url,
            "PORTAL_TEST_MEDIA": str(Path(settings.MEDIA_ROOT).parent), "JOBS_TASK_BACKEND": "database",
            "JOBS_HEARTBEAT_SECONDS": "1"}


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "db_worker", "--backend", "database", "--interval", "0.2",
         "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=worker_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def seeded_batch():
    import bench.scoring as seeding

    ensure_default_catalogue()
    if not Scheme.objects.exists():
        install_default_scheme(Scheme, SchemeIndicator)
    enterprises = seeding.seed_enterprises(ENTERPRISES)
    Enterprise.objects.update(phone="13912345678")  # the bench's rows carry no readable number
    return seeding.seed_batch("后台计算测试批次", enterprises, 7)


@pytest.fixture
def workers():
    started = []

    def start():
        started.append(start_worker())
        return started[-1]

    start.started = started
    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_run_goes_to_a_worker_survives_its_death_and_is_written_once(client, settings, seeded_batch, workers):
    settings.JOBS_TASK_BACKEND = "database"
    settings.JOBS_STALE_SECONDS = 3
    client.force_login(make_staff("jifen", roles.SCORING_ADMIN))
    scheme = Scheme.objects.order_by("pk").first()

    started = time.monotonic()
    response = client.post(reverse("scoring_runs:start"), {"batch": seeded_batch.pk, "scheme": scheme.pk})
    answered = time.monotonic() - started
    assert response.status_code == 302 and answered < 1.0, answered
    job = Job.objects.get(kind="scoring.calculate")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["status"] == "queued"  # nobody took it yet

    # The test holds a SHARE lock on the results table: the worker calculates, reports 70 %, and
    # waits inside its write transaction, where it is killed (SIGKILL: no chance to clean up).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {EnterpriseResult._meta.db_table} IN SHARE MODE")
        first = workers()
        seen = wait_for(lambda: (state := client.get(reverse("jobs:status", args=[job.pk])).json())["done"] >= 70
                        and state, what="the first worker to reach the writing of the results")
        assert seen["status"] == "running" and seen["total"] == 100
        time.sleep(0.5)
        first.kill()
        first.wait()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and not EnterpriseResult.objects.exists()
    assert CalculationRun.objects.get().status == CalculationRun.Status.RUNNING

    time.sleep(settings.JOBS_STALE_SECONDS + 1)
    assert recover_abandoned() == [job.pk]  # what cron's recover_jobs does every minute
    workers()
    percents = [seen["percent"]]

    def finished():
        state = client.get(reverse("jobs:status", args=[job.pk])).json()
        percents.append(state["percent"])
        return state["finished"] and state

    final = wait_for(finished, what="the second worker to finish the run")
    assert final["status"] == "succeeded" and final["done"] == final["total"] == 100, final
    # The second worker calculates the run afresh: from where it starts, the bar only rises, to the end.
    again = percents[percents.index(min(percents)):]
    assert again == sorted(again) and again[-1] == 100
    run = CalculationRun.objects.get()
    job.refresh_from_db()
    assert run.status == CalculationRun.Status.CALCULATED and job.attempt == 2
    assert run.enterprise_count == ENTERPRISES == EnterpriseResult.objects.filter(run=run).count()
    assert EnterpriseResult.objects.values("enterprise_id").distinct().count() == ENTERPRISES

    # Publication: the notices go to the workers; one is killed while sending, and every
    # enterprise still gets one 消息 and one SMS.
    today = timezone.localdate()
    publication.publish(run, None, today, today + timedelta(days=7), top_n=100)
    notice = Job.objects.get(kind="scoring.notify")
    standby = workers()  # two workers now: the one holding the notices is killed, the other finishes
    wait_for(lambda: SmsMessage.objects.filter(status=SmsMessage.Status.SENT).count() >= ENTERPRISES // 4
             or Job.objects.get(pk=notice.pk).is_finished, what="the notices' SMS to be on their way")
    notice.refresh_from_db()
    assert not notice.is_finished, notice.error
    holder = next(p for p in workers.started if p.pid == int(notice.worker.rsplit(":", 1)[1]))
    holder.kill()
    holder.wait()
    assert standby.poll() is None or holder is standby
    time.sleep(settings.JOBS_STALE_SECONDS + 1)
    notice.refresh_from_db()
    assert notice.status == Job.Status.RUNNING and recover_abandoned() == [notice.pk]
    if all(p.poll() is not None for p in workers.started):
        workers()
    wait_for(lambda: Job.objects.get(pk=notice.pk).is_finished, what="the notices to finish")
    notice.refresh_from_db()
    assert notice.status == Job.Status.SUCCEEDED, notice.error
    assert Message.objects.count() == ENTERPRISES
    assert Message.objects.values("recipient_id").distinct().count() == ENTERPRISES
    assert SmsMessage.objects.filter(job=notice).count() == ENTERPRISES
    # Sent once each; at most the one the killed worker held may stay 发送中 (never resent).
    assert SmsMessage.objects.filter(status=SmsMessage.Status.SENT).count() >= ENTERPRISES - 1
    assert SmsMessage.objects.exclude(status__in=(SmsMessage.Status.SENT, SmsMessage.Status.SENDING)).count() == 0

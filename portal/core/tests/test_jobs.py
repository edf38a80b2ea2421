"""The job machinery (portal.core.jobs) in one process: the tests' task backend runs a job as
soon as the transaction that queued it commits (`django_capture_on_commit_callbacks`)."""

import os
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from enterprise_business.tests.factories import make_batch, make_enterprise, make_reviewer, make_staff
from portal.core import roles
from portal.core.files.storage import private_storage
from portal.core.jobs import Job, JobRefused, enqueue, is_paced, pacing, register, services
from portal.core.notifications import services as notifications
from portal.core.notifications.models import Message, SmsMessage
from portal.core.notifications.sms import RETRY_JOB

pytestmark = pytest.mark.django_db
Status = Job.Status


class WorkerKilled(BaseException):
    """A worker process dying in the middle of a handler: not an error the runner records."""


@pytest.fixture
def kinds(monkeypatch):
    """A fresh registry of job kinds for the test (the project's kinds stay untouched)."""
    monkeypatch.setattr(services, "KINDS", dict(services.KINDS))
    return services.KINDS


@pytest.fixture
def calls(kinds):
    """A "tests.echo" kind whose handler records each call (attempt numbers) and succeeds."""
    seen = []

    @register("tests.echo", "测试任务")
    def echo(context):
        seen.append(context.job.attempt)
        context.progress(3, 3)
        return {"summary": "完成"}

    return seen


@pytest.fixture
def owner():
    return make_staff("jobowner", roles.SCORING_ADMIN)


def test_a_failed_job_is_retried_by_staff_and_then_succeeds(client, kinds, owner, django_capture_on_commit_callbacks):
    @register("tests.flaky", "测试任务")
    def flaky(context):
        if context.job.attempt == 1:
            raise ValueError("网关暂时不可用")
        return {"summary": "第二次成功"}

    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.flaky", "不稳定的任务", user=owner)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == "ValueError: 网关暂时不可用"
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "任务失败：ValueError: 网关暂时不可用" in page and "重试" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.attempt, job.error, job.result) == (Status.SUCCEEDED, 2, "", {"summary": "第二次成功"})
    page = client.get(response.url).content.decode()
    assert "第二次成功" in page and "任务失败" not in page and 'action="/admin/jobs/' not in page


def test_only_a_failed_job_can_be_retried(client, calls, owner):
    job = enqueue("tests.echo", "排队中的任务", user=owner)
    client.force_login(owner)
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code in (302, 403)
    job.refresh_from_db()
    assert job.status == Status.QUEUED and job.attempt == 1 and calls == []


def test_a_second_start_with_the_same_key_returns_the_existing_job(calls, owner, django_capture_on_commit_callbacks):
    first = enqueue("tests.echo", "计算", user=owner, key="tests:run:1")
    with pytest.raises(JobRefused) as refused:
        enqueue("tests.echo", "再次计算", user=owner, key="tests:run:1")
    assert refused.value.job == first and "已在排队或进行中" in str(refused.value)
    assert Job.objects.filter(key="tests:run:1").count() == 1
    # Once the first has finished, the same work may be started again.
    Job.objects.filter(pk=first.pk).update(status=Status.SUCCEEDED)
    with django_capture_on_commit_callbacks(execute=True):
        second = enqueue("tests.echo", "再次计算", user=owner, key="tests:run:1")
    second.refresh_from_db()
    assert second.pk != first.pk and second.status == Status.SUCCEEDED and calls == [1]


def test_a_second_start_from_a_screen_shows_the_existing_job(rf, calls, owner):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from portal.core.jobs.admin import start

    first = enqueue("tests.echo", "计算", user=owner, key="tests:run:2")
    request = rf.post("/")
    request.user, request.session = owner, {}
    request._messages = FallbackStorage(request)
    response = start(request, "tests.echo", "再次计算", key="tests:run:2")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[first.pk])
    assert [str(m) for m in request._messages] == ["相同的任务已在排队或进行中，请等待其完成。"]
    assert Job.objects.count() == 1


def test_a_stale_attempt_does_nothing(calls, owner):
    job = enqueue("tests.echo", "任务", user=owner)
    Job.objects.filter(pk=job.pk).update(attempt=2)  # requeued meanwhile: attempt 1's task is stale
    assert services.run_job.call(job.pk, 1) == "skipped"
    job.refresh_from_db()
    assert job.status == Status.QUEUED and job.started_at is None and calls == []
    # A finished job is not run again by its own (current) attempt either.
    assert services.run_job.call(job.pk, 2) == Status.SUCCEEDED
    assert services.run_job.call(job.pk, 2) == "skipped"
    assert calls == [2]


def test_recover_abandoned_requeues_a_job_whose_heartbeat_is_old(calls, owner, settings,
                                                                django_capture_on_commit_callbacks):
    now = timezone.now()
    old = now - timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    lost = enqueue("tests.echo", "工作进程已中断", user=owner)
    alive = enqueue("tests.echo", "工作进程仍在运行", user=owner)
    Job.objects.filter(pk=lost.pk).update(status=Status.RUNNING, heartbeat_at=old, worker="host:1")
    Job.objects.filter(pk=alive.pk).update(status=Status.RUNNING, heartbeat_at=now, worker="host:2")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_abandoned(now) == [lost.pk]
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert (lost.status, lost.attempt) == (Status.SUCCEEDED, 2) and calls == [2]
    assert (alive.status, alive.attempt) == (Status.RUNNING, 1)
    out = StringIO()
    call_command("recover_jobs", stdout=out)
    assert out.getvalue().strip() == "任务接续：重新排队 0 个。"


@pytest.fixture
def finished_with_file(owner):
    job = Job.objects.create(kind="tests.echo", title="导出", created_by=owner, status=Status.SUCCEEDED)
    job.result_file = private_storage().save("jobs/result/导出.xlsx", ContentFile(b"PK\x03\x04 workbook"))
    job.result_name = "导出.xlsx"
    job.save()
    return job


def test_the_job_file_download_works_for_the_owner(client, owner, finished_with_file):
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[finished_with_file.pk])).content.decode()
    url = reverse("jobs:download", args=[finished_with_file.pk])
    assert f'href="{url}"' in page and "下载 导出.xlsx" in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK\x03\x04 workbook"
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]


def test_another_staff_member_without_rights_cannot_see_the_job_or_its_file(client, owner, finished_with_file):
    client.force_login(make_reviewer("other"))
    for name in ("detail", "status", "download"):
        response = client.get(reverse(f"jobs:{name}", args=[finished_with_file.pk]))
        assert response.status_code in (403, 404), name
    assert client.post(reverse("jobs:retry", args=[finished_with_file.pk])).status_code in (403, 404)
    assert "导出" not in client.get(reverse("jobs:index")).content.decode()
    client.force_login(make_enterprise().user)  # and never an enterprise
    response = client.get(reverse("jobs:download", args=[finished_with_file.pk]))
    assert response.status_code in (302, 403, 404) and not response.get("Content-Disposition")


def test_retry_sms_queues_a_job_once():
    out = StringIO()
    call_command("retry_sms", stdout=out)
    job = Job.objects.get(kind=RETRY_JOB)
    assert job.status == Status.QUEUED and job.key == RETRY_JOB
    assert out.getvalue().strip() == f"短信重试：已提交后台任务（任务{job.pk}）。"
    call_command("retry_sms", stdout=out)  # the next minute's cron, the first still waiting
    assert Job.objects.filter(kind=RETRY_JOB).count() == 1
    assert out.getvalue().splitlines()[-1] == "短信重试：已有短信重试任务在排队或进行中。"
    assert services.run_job.call(job.pk, job.attempt) == Status.SUCCEEDED  # what a worker does
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.result["summary"].startswith("短信重试：发送成功 0 条")


def test_notices_resume_from_the_saved_cursor_exactly_once(kinds, monkeypatch, settings,
                                                           django_capture_on_commit_callbacks):
    """A worker dies after the first chunk of 消息 and SMS records committed; the next attempt
    goes on after the job's cursor: every enterprise gets one 消息 and one SMS."""
    enterprises = [make_enterprise() for _ in range(5)]
    monkeypatch.setattr(notifications, "CHUNK", 2)
    chunks = []
    bulk_create = Message.objects.bulk_create

    def dying_after_one_chunk(objs, *args, **kwargs):
        chunks.append([m.recipient_id for m in objs])
        if len(chunks) == 2:
            raise WorkerKilled
        return bulk_create(objs, *args, **kwargs)

    @register("tests.notify", "测试通知")
    def notify(context):
        from enterprise_business.models import Enterprise

        return notifications.notify_all(context, Enterprise.objects.all(), "results_final", batch="2026年度")

    monkeypatch.setattr(Message.objects, "bulk_create", dying_after_one_chunk)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.notify", "结果通知")
    job.refresh_from_db()
    assert job.status == Status.RUNNING and job.cursor == enterprises[1].pk and job.done == 2
    assert Message.objects.count() == 2 and SmsMessage.objects.filter(job=job).count() == 2

    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_abandoned() == [job.pk]
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.attempt == 2, job.error
    assert job.done == job.total == 10  # 消息 and SMS records, then the SMS sent
    users = [e.user_id for e in enterprises]
    assert chunks[2:] == [users[2:4], users[4:]]  # the second attempt began after the cursor
    assert sorted(Message.objects.values_list("recipient_id", flat=True)) == sorted(users)
    sms = SmsMessage.objects.filter(job=job)
    assert sorted(sms.values_list("phone", flat=True)) == sorted(e.phone for e in enterprises)
    assert set(sms.values_list("status", flat=True)) == {SmsMessage.Status.SENT}
    assert job.result == {"notified": 5, "sms_sent": 5, "sms_queued": 0}


@pytest.fixture
def database_queue(settings):
    """Every task backend is the real database queue (the tests' default runs tasks at once)."""
    queue = {"BACKEND": "django_tasks_db.DatabaseBackend"}
    settings.TASKS = {"default": queue, "database": queue}
    settings.JOBS_TASK_BACKEND = "database"


def queued_index_upkeep():
    """The (app label, model) of each reference-index task waiting in the queue."""
    from django_tasks_db.models import DBTaskResult

    return {tuple(task.args_kwargs["args"][:2]) for task in DBTaskResult.objects.ready()
            if task.task_path == "wagtail.tasks.update_reference_index_task"}


def test_saving_the_programme_s_records_queues_no_index_upkeep(database_queue, django_capture_on_commit_callbacks):
    from enterprise_business.models import PointsFiling
    from finance_products.models import Bank
    from portal.core import audit
    from portal.core.audit.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        enterprise = make_enterprise()
        batch = make_batch()
        PointsFiling.objects.create(enterprise=enterprise, batch=batch)
        audit.record(AuditEvent.Kind.LOGIN, username=enterprise.credit_code)
        notifications.notify(enterprise, "registration_approved", credit_code=enterprise.credit_code)
        Bank.objects.create(name="测试银行")  # content: indexed, so the test sees the signal work
    queued = queued_index_upkeep()
    assert ("finance_products", "bank") in queued
    assert not queued & {("enterprise_business", "pointsfiling"), ("core", "auditevent"), ("core", "smsmessage"),
                         ("core", "job")}, queued


def test_a_job_is_taken_before_index_upkeep_queued_ahead_of_it(database_queue, kinds,
                                                                django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from finance_products.models import Bank

    register("tests.wait", "等待")(lambda context: None)
    with django_capture_on_commit_callbacks(execute=True):
        Bank.objects.create(name="测试银行")
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.wait", "等待")
    assert DBTaskResult.objects.ready().count() == 2
    taken = DBTaskResult.objects.ready().get_locked()
    assert taken.task_path == "portal.core.jobs.services.run_job" and taken.args_kwargs["args"][0] == job.pk


@pytest.mark.skipif(connection.vendor != "postgresql" or os.geteuid() != 0,
                    reason="renicing PostgreSQL's server process needs it on this machine and the right to renice")
def test_a_job_s_database_process_leaves_the_cpu_to_the_site_then_gets_it_back(settings, kinds,
                                                                              django_capture_on_commit_callbacks):
    settings.JOBS_DATABASE_NICE = 7
    seen = {}

    def probe(context):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            seen["backend"] = cursor.fetchone()[0]
            cursor.execute("SHOW max_parallel_workers_per_gather")
            seen["parallel"] = cursor.fetchone()[0]
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, seen["backend"])

    register("tests.probe", "探测")(probe)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("tests.probe", "探测")
    assert seen["parallel"] == "0" and seen["nice"] == 7
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] != "0"
    assert os.getpriority(os.PRIO_PROCESS, seen["backend"]) == 0


def test_a_job_works_at_its_duty_cycle_and_a_request_is_never_paced(settings, kinds, owner, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    settings.JOBS_DUTY_CYCLE = 50
    # Whether the machine is quiet is left unknown, so the job rests whatever else runs (a
    # quiet machine would let it skip its rests: test_pacing tests that part).
    monkeypatch.setattr(pacing, "others_cpu_seconds", lambda database_pid=None: None)
    seen = {}

    def units(context):
        seen["paced"] = is_paced()
        started = time.monotonic()
        for done in range(5):
            busy_until = time.monotonic() + 0.02
            while time.monotonic() < busy_until:  # 20 ms of work per unit
                pass
            context.progress(done + 1, 5)
        seen["took"] = time.monotonic() - started

    register("tests.units", "分段任务")(units)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.units", "分段任务", user=owner)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.done == 5
    # 100 ms of work at 50 %: as much rest again (each progress report is a pacing point).
    assert seen["paced"] and seen["took"] >= 0.19
    assert not is_paced()  # outside the job: the web request that queued it is not paced


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="another connection reads the job while the handler's transaction is open (PostgreSQL)")
def test_progress_reported_inside_the_handler_s_transaction_shows_before_it_commits(kinds, owner):
    seen = {}

    def look(job_pk):
        try:
            deadline = time.monotonic() + 5
            job = Job.objects.get(pk=job_pk)
            while job.done != 3 and time.monotonic() < deadline:
                time.sleep(0.05)
                job.refresh_from_db()
            seen.update(done=job.done, total=job.total)
        finally:
            connection.close()

    def importing(context):
        with transaction.atomic():  # an import's all-or-nothing write
            context.progress(3, 10)
            staff_page = threading.Thread(target=look, args=(context.job.pk,))
            staff_page.start()
            staff_page.join()

    register("tests.importing", "导入")(importing)
    job = enqueue("tests.importing", "导入", user=owner)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and seen == {"done": 3, "total": 10}

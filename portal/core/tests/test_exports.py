"""Exports of more than JOBS_EXPORT_INLINE_ROWS rows from an admin listing (here the audit log)
are jobs: the request redirects to the job's page, which offers the file a worker wrote (the
tests' task backend runs it at once); smaller exports are answered at once."""

import csv
import io

import pytest
from django.urls import reverse

from enterprise_business.tests.factories import make_reviewer, make_staff
from portal.core import roles
from portal.core.audit.models import AuditEvent
from portal.core.jobs import Job
from portal.core.jobs.exports import EXPORT_JOB
from portal.core.jobs.services import run_job

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind


@pytest.fixture
def auditor(client, settings):
    settings.JOBS_EXPORT_INLINE_ROWS = 3
    for n in range(5):
        AuditEvent.objects.create(kind=Kind.LOGIN_FAILED, outcome="failure", username=f"failed-{n}")
    AuditEvent.objects.create(kind=Kind.LOGOUT, username="logged-out")
    user = make_staff("auditor", roles.AUDITOR)
    client.force_login(user)
    return user


def rows_of(content: bytes) -> list[list[str]]:
    """The rows of a CSV the export layer wrote: UTF-8 behind a byte-order mark (for Excel)."""
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_an_export_within_the_limit_is_answered_at_once(client, auditor):
    response = client.get(reverse("audit_log:index"), {"kind": "logout", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert [row[3] for row in rows_of(b"".join(response.streaming_content))[1:]] == ["logged-out"]
    assert not Job.objects.exists()


def test_a_large_export_is_a_job_whose_page_offers_the_file(client, auditor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("audit_log:index"), {"kind": "login_failed", "export": "csv"})
    job = Job.objects.get(kind=EXPORT_JOB)
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.created_by == auditor and job.title.startswith("导出 审计日志.csv")
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.SUCCEEDED, 5, 5), job.error

    page = client.get(response.url).content.decode()
    assert "已导出 5 行。" in page and "下载 审计日志.csv" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    rows = rows_of(b"".join(download.streaming_content))
    assert rows[0][:4] == ["时间", "事件", "结果", "账号"]
    # The listing's filter holds in the file: the five failed logins, not the logout.
    assert sorted(row[3] for row in rows[1:]) == [f"failed-{n}" for n in range(5)]


def test_the_same_large_export_asked_twice_is_one_job(client, auditor):
    first = client.get(reverse("audit_log:index"), {"export": "xlsx"})
    second = client.get(reverse("audit_log:index"), {"export": "xlsx"})
    job = Job.objects.get(kind=EXPORT_JOB)
    assert first.url == second.url == reverse("jobs:detail", args=[job.pk]) and job.status == Job.Status.QUEUED


def test_an_export_job_fails_when_its_owner_lost_the_right(client, auditor):
    """The worker exports with the rights its creator has when it runs, not when they asked."""
    client.get(reverse("audit_log:index"), {"export": "csv"})
    job = Job.objects.get(kind=EXPORT_JOB)
    auditor.groups.set(make_reviewer("r").groups.all())
    assert run_job.call(job.pk, job.attempt) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error.startswith("RuntimeError: 导出失败") and not job.result_file

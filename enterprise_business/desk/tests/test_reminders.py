"""填报提醒: the scoring admin sees who will receive which text, one job sends each selected
enterprise exactly one 消息 and one SMS and logs it, nobody else is told; the automatic
reminder before the close date is off by default and reminds each enterprise once per trigger."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprise_business.desk import reminders
from enterprise_business.models import PointsFiling, Reminder
from enterprise_business.tests.factories import approved_enterprise, make_batch, make_staff
from portal.core import roles, workdays
from portal.core.jobs import Job
from portal.core.notifications.models import Message, SmsMessage

pytestmark = pytest.mark.django_db


def drafts(batch, n):
    enterprises = [approved_enterprise() for _ in range(n)]
    for enterprise in enterprises:
        PointsFiling.objects.create(enterprise=enterprise, batch=batch, status="draft")
    return enterprises


def test_the_reminder_job_tells_each_selected_enterprise_once_and_logs_it(client, django_capture_on_commit_callbacks):
    batch = make_batch()
    chosen_one, chosen_two, left_out = drafts(batch, 3)
    submitted = approved_enterprise()
    PointsFiling.objects.create(enterprise=submitted, batch=batch, status="submitted", submitted_at=timezone.now())
    admin = make_staff("admin1", roles.SCORING_ADMIN)
    client.force_login(admin)
    # A forged id of an enterprise at another stage, and a duplicate, are dropped.
    picked = {"enterprise": [chosen_one.pk, chosen_two.pk, chosen_two.pk, submitted.pk]}
    preview = client.post(f"/admin/desk/{batch.pk}/draft/remind/", picked).content.decode()
    assert "以下 <strong>2</strong> 家企业" in preview and "暂存提醒" in preview
    assert chosen_one.name in preview and chosen_two.name in preview
    assert left_out.name not in preview and submitted.name not in preview
    assert f"您的{batch.name}积分数据已暂存但尚未提交" in preview
    assert not Message.objects.exists()  # the preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/desk/{batch.pk}/draft/remind/", {**picked, "confirm": "1"})
    job = Job.objects.get(kind=reminders.JOB_KIND)
    assert response.url == f"/admin/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["notified"] == 2
    for enterprise in (chosen_one, chosen_two):
        assert Message.objects.filter(recipient=enterprise.user, template="reminder_draft").count() == 1
        assert SmsMessage.objects.filter(phone_masked=enterprise.masked_phone, job=job).count() == 1
    assert Message.objects.count() == 2 and SmsMessage.objects.count() == 2
    log = Reminder.objects.filter(job=job)
    assert {(r.enterprise_id, r.template, r.stage, r.sent_by_id) for r in log} == {
        (chosen_one.pk, "reminder_draft", "draft", admin.pk), (chosen_two.pk, "reminder_draft", "draft", admin.pk)}
    listing = client.get(f"/admin/reminders/?trigger=manual:{job.pk}").content.decode()
    assert chosen_one.name in listing and left_out.name not in listing and f"手动发送（任务 {job.pk}）" in listing


def test_only_those_who_may_send_reminders_see_the_checkboxes_or_send(client):
    batch = make_batch()
    (enterprise,) = drafts(batch, 1)
    client.force_login(make_staff("r1", roles.REVIEWER))
    assert 'name="enterprise"' not in client.get(f"/admin/desk/{batch.pk}/draft/").content.decode()
    response = client.post(f"/admin/desk/{batch.pk}/draft/remind/", {"enterprise": [enterprise.pk], "confirm": "1"})
    assert response.status_code in (302, 403) and not Job.objects.exists()


def closing_batch(days):
    batch = make_batch()
    batch.closes_on = workdays.add_workdays(timezone.localdate(), days)
    batch.save()
    return batch


def test_automatic_reminders_are_off_by_default(django_capture_on_commit_callbacks):
    batch = closing_batch(1)
    drafts(batch, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.enqueue_due() == []
    assert not Message.objects.exists()


def test_automatic_reminders_start_n_working_days_before_close_and_remind_each_enterprise_once(
        django_capture_on_commit_callbacks):
    batch = closing_batch(3)
    batch.remind_workdays = 2
    batch.save()
    waiting = drafts(batch, 2)
    returned = approved_enterprise()
    PointsFiling.objects.create(enterprise=returned, batch=batch, status="returned")
    approved = approved_enterprise()
    PointsFiling.objects.create(enterprise=approved, batch=batch, status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.enqueue_due() == []  # three working days before the close: not yet
    tomorrow = workdays.add_workdays(timezone.localdate(), 1)
    with django_capture_on_commit_callbacks(execute=True):
        (job,) = reminders.enqueue_due(tomorrow)
    told = set(Message.objects.filter(template="reminder_deadline").values_list("recipient", flat=True))
    assert told == {waiting[0].user_id, waiting[1].user_id, returned.user_id}
    assert Reminder.objects.filter(batch=batch, trigger="auto:2").count() == 3
    with django_capture_on_commit_callbacks(execute=True):  # the next day's run: nobody twice
        assert reminders.enqueue_due(tomorrow + timedelta(days=1)) == []
    assert Message.objects.count() == 3

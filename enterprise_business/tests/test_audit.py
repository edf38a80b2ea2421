"""审计日志: every event SECURITY.md lists is written with who, when, what, from where and the
outcome; the log is append-only, browsable and exportable by auditors only, and neither it
nor any log line ever holds a password, an SMS code or a full personal number."""

import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from enterprise_business.accounts.tests.test_login import login
from enterprise_business.accounts.tests.test_registration import PHONE, form_data, post
from enterprise_business.filings.services import points
from enterprise_business.models import PointsFiling
from enterprise_business.tests.factories import (
    PASSWORD,
    approved_enterprise,
    complete,
    make_batch,
    make_enterprise,
    make_reviewer,
    make_staff,
)
from enterprise_business.tests.helpers import send_code, sms_code_from_outbox
from portal.core import roles
from portal.core.models import AuditEvent, PrivateFile

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind


def kinds():
    return list(AuditEvent.objects.order_by("pk").values_list("kind", "outcome"))


def test_login_success_failure_lockout_and_logout_are_logged_with_the_address(client):
    enterprise = make_enterprise()
    login(client, enterprise.credit_code, "Wrong2025x")
    failed = AuditEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert failed.username == enterprise.credit_code and failed.outcome == "failure"
    assert failed.ip_address == "127.0.0.1"
    login(client, enterprise.credit_code)
    success = AuditEvent.objects.get(kind=Kind.LOGIN)
    assert success.actor == enterprise.user and success.outcome == "success"
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(kind=Kind.LOGOUT, actor=enterprise.user).exists()

    victim = make_enterprise()
    for _ in range(5):
        login(client, victim.credit_code, "Wrong2025x")
    assert AuditEvent.objects.filter(kind=Kind.LOCKOUT, username=victim.credit_code).exists()


def test_registration_sms_review_and_reveal_are_logged(client):
    data = form_data(client)
    post(client, data)
    assert (Kind.SMS_SENT, "success") in kinds() and (Kind.SMS_CHECKED, "success") in kinds()
    registration = AuditEvent.objects.get(kind=Kind.REGISTRATION)
    assert registration.target == data["username"]
    sent = AuditEvent.objects.get(kind=Kind.SMS_SENT)
    assert sent.target == f"{PHONE[:3]}****{PHONE[-4:]}"

    reviewer = make_reviewer()
    client.force_login(reviewer)
    from enterprise_business.models import Enterprise

    enterprise = Enterprise.objects.get(credit_code=data["username"])
    client.get(f"/admin/registrations/inspect/{enterprise.pk}/")
    reveal = AuditEvent.objects.get(kind=Kind.REVEAL)
    assert reveal.actor == reviewer and reveal.target == enterprise.credit_code
    client.post(f"/admin/registrations/decide/{enterprise.pk}/", {"decision": "approve"})
    decided = AuditEvent.objects.get(kind=Kind.REGISTRATION_REVIEW)
    assert decided.actor == reviewer and decided.detail == "审核通过"


def test_a_wrong_sms_code_and_a_password_reset_are_logged(client):
    enterprise = make_enterprise()
    send_code(client, enterprise.phone, "reset", username=enterprise.credit_code)
    code = sms_code_from_outbox(enterprise.phone)
    wrong = "000000" if code != "000000" else "111111"
    client.post("/accounts/password-reset/", {"username": enterprise.credit_code, "phone": enterprise.phone,
                                              "sms_code": wrong, "password1": "NewPass2026",
                                              "password2": "NewPass2026"})
    assert AuditEvent.objects.filter(kind=Kind.SMS_CHECKED, outcome="failure").exists()
    client.post("/accounts/password-reset/", {"username": enterprise.credit_code, "phone": enterprise.phone,
                                              "sms_code": code, "password1": "NewPass2026",
                                              "password2": "NewPass2026"})
    assert AuditEvent.objects.filter(kind=Kind.PASSWORD_RESET, actor=enterprise.user).exists()


def test_uploads_downloads_and_filing_decisions_are_logged(client):
    enterprise = approved_enterprise()
    batch = make_batch()
    client.force_login(enterprise.user)
    client.post(f"/enterprise/filings/{batch.pk}/", {**complete(), "submit": ""})
    assert AuditEvent.objects.filter(kind=Kind.UPLOAD, actor=enterprise.user).count() == 6
    submitted = AuditEvent.objects.get(kind=Kind.FILING)
    assert submitted.detail == f"提交（{enterprise.credit_code}）" and submitted.actor == enterprise.user
    proof = PrivateFile.objects.first()
    client.get(f"/enterprise/files/{proof.pk}/")
    assert AuditEvent.objects.get(kind=Kind.DOWNLOAD).target == proof.original_name
    reviewer = make_reviewer()
    points.approve(PointsFiling.objects.get().pk, reviewer)
    assert AuditEvent.objects.filter(kind=Kind.FILING, actor=reviewer, detail__startswith="审核通过").exists()


def test_permission_changes_are_logged():
    user = make_staff("newcomer")
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    change = AuditEvent.objects.get(kind=Kind.PERMISSION, target="用户 newcomer")
    assert change.detail == f"加入用户组：{roles.REVIEWER}"
    group = Group.objects.create(name="临时用户组")
    group.permissions.add(Permission.objects.get(codename="view_batch"))
    assert AuditEvent.objects.get(kind=Kind.PERMISSION, target="用户组 临时用户组").detail == "加入权限 1 项"


def test_the_log_cannot_be_edited_or_deleted():
    event = AuditEvent.objects.create(kind=Kind.LOGIN, username="x")
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


def test_auditors_browse_and_export_the_log_and_nobody_edits_it(client):
    AuditEvent.objects.create(kind=Kind.LOGIN_FAILED, outcome="failure", username="91210231MA0QX7LK1Q")
    client.force_login(make_staff("auditor", roles.AUDITOR))
    listing = client.get("/admin/audit-log/", {"kind": "login_failed"}).content.decode()
    assert "91210231MA0QX7LK1Q" in listing and "登录失败" in listing
    export = client.get("/admin/audit-log/", {"export": "csv"})
    assert export.status_code == 200 and "91210231MA0QX7LK1Q" in b"".join(export.streaming_content).decode()
    assert client.get("/admin/audit-log/edit/1/").status_code == 404
    client.force_login(make_reviewer())
    assert client.get("/admin/audit-log/").status_code in (302, 403)


def test_no_secret_or_full_personal_number_reaches_the_audit_log_or_any_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    data = form_data(client)
    post(client, data)
    code = data["sms_code"]
    enterprise = make_enterprise()
    login(client, enterprise.credit_code, "Wrong2025x")
    login(client, enterprise.credit_code)
    send_code(client, enterprise.phone, "reset", username=enterprise.credit_code)
    reset_code = sms_code_from_outbox(enterprise.phone)
    client.post("/accounts/password-reset/", {"username": enterprise.credit_code, "phone": enterprise.phone,
                                              "sms_code": reset_code, "password1": "NewPass2026",
                                              "password2": "NewPass2026"})
    written = caplog.text + "\n".join(
        f"{e.username} {e.target} {e.detail}" for e in AuditEvent.objects.all())
    for secret in (data["password1"], PASSWORD, "Wrong2025x", "NewPass2026", code, reset_code,
                   data["contact_id_number"], data["phone"], enterprise.phone, enterprise.contact_id_number):
        assert secret not in written, secret
    assert AuditEvent.objects.count() >= 6

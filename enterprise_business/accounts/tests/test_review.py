import pytest
from django.core.exceptions import PermissionDenied

from enterprise_business.accounts import services as registration
from enterprise_business.models import Enterprise, RegistrationReview
from enterprise_business.tests.factories import make_enterprise, make_reviewer, make_staff
from enterprise_business.tests.helpers import race
from portal.core import roles
from portal.core.models import SmsMessage

pytestmark = pytest.mark.django_db


def test_reviewer_sees_pending_registrations_with_filters(client):
    pending = make_enterprise(Enterprise.Status.PENDING)
    approved = make_enterprise(Enterprise.Status.APPROVED)
    client.force_login(make_reviewer())
    html = client.get("/admin/registrations/", {"status": "pending"}).content.decode()
    assert pending.credit_code in html and approved.credit_code not in html
    assert "/admin/registrations/" in client.get("/admin/").content.decode()
    assert pending.phone not in html and pending.masked_phone in html
    assert "Masked phone" not in html and "手机号码" in html


def test_review_screen_shows_licence_and_full_numbers_to_the_reviewer(client):
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    client.force_login(make_reviewer())
    html = client.get(f"/admin/registrations/inspect/{enterprise.pk}/").content.decode()
    assert enterprise.contact_id_number in html and enterprise.phone in html
    assert f"/admin/registrations/licence/{enterprise.pk}/" in html
    licence = client.get(f"/admin/registrations/licence/{enterprise.pk}/")
    assert licence.status_code == 200 and licence["Content-Type"] == "image/png"
    assert "no-store" in licence["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "enterprise", "editor"])
def test_licence_is_served_only_to_reviewing_staff(client, who):
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    if who == "enterprise":
        client.force_login(enterprise.user)
    elif who == "editor":
        client.force_login(make_staff("ed", roles.CONTENT_EDITOR))
    response = client.get(f"/admin/registrations/licence/{enterprise.pk}/")
    assert response.status_code in (302, 403)
    assert not getattr(response, "streaming", False)


def test_approve_sends_sms_and_logs(client):
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    reviewer = make_reviewer()
    client.force_login(reviewer)
    response = client.post(f"/admin/registrations/decide/{enterprise.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.APPROVED
    log = enterprise.reviews.last()
    assert (log.action, log.actor) == ("approved", reviewer)
    message = SmsMessage.objects.get()
    assert message.phone == enterprise.phone and "审核通过" in message.text


def test_reject_requires_a_reason_then_sends_it(client):
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    client.force_login(make_reviewer())
    client.post(f"/admin/registrations/decide/{enterprise.pk}/", {"decision": "reject", "reason": "  "})
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.PENDING and not SmsMessage.objects.exists()

    client.post(f"/admin/registrations/decide/{enterprise.pk}/", {"decision": "reject", "reason": "执照模糊"})
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.REJECTED and enterprise.reject_reason == "执照模糊"
    assert "未通过审核，原因：执照模糊" in SmsMessage.objects.get().text
    assert enterprise.reviews.last().reason == "执照模糊"


def test_only_reviewers_decide(client):
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    client.force_login(make_staff("ed", roles.CONTENT_EDITOR))
    response = client.post(f"/admin/registrations/decide/{enterprise.pk}/", {"decision": "approve"})
    assert response.status_code in (302, 403)
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.PENDING


def test_a_decided_registration_cannot_be_decided_again():
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    registration.approve(enterprise.pk, make_reviewer())
    with pytest.raises(registration.TransitionError, match="已被其他审核员处理"):
        registration.reject(enterprise.pk, make_reviewer("r2"), "迟到的决定")
    assert SmsMessage.objects.count() == 1


def test_review_log_is_append_only():
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    log = RegistrationReview.objects.get(enterprise=enterprise)
    log.reason = "changed"
    with pytest.raises(PermissionDenied):
        log.save()
    with pytest.raises(PermissionDenied):
        log.delete()


def test_admin_offers_no_add_edit_or_delete_of_registrations(client):
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    client.force_login(make_staff("boss", superuser=True))
    assert client.get("/admin/registrations/new/").status_code == 404
    assert client.get(f"/admin/registrations/edit/{enterprise.pk}/").status_code == 404
    assert client.get(f"/admin/registrations/delete/{enterprise.pk}/").status_code == 404


def test_sms_outbox_is_readable_by_admins_only(client):
    registration.approve(make_enterprise(Enterprise.Status.PENDING).pk, make_reviewer())
    client.force_login(make_staff("boss", superuser=True))
    html = client.get("/admin/sms-outbox/").content.decode()
    assert "审核通过" in html
    client.force_login(make_reviewer("r3"))
    assert client.get("/admin/sms-outbox/").status_code in (302, 403)


# The first reviewer holds the registration (row lock on PostgreSQL, the write lock of an
# immediate transaction on SQLite) while the second one tries: the second must be told.
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_only_one_wins():
    from home.tests.factories import ensure_baseline

    ensure_baseline()
    enterprise = make_enterprise(Enterprise.Status.PENDING)
    first, second = make_reviewer("ra"), make_reviewer("rb")
    outcomes = race(lambda: registration.approve(enterprise.pk, first),
                    lambda: registration.reject(enterprise.pk, second, "同时处理"),
                    registration.TransitionError, Enterprise)
    assert outcomes == ("won", "told")
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.APPROVED
    assert enterprise.reviews.exclude(action="submitted").count() == 1

"""Authorisation sweep (SECURITY.md "Authorisation"): every URL pattern that takes an object id
is listed here with how to make an object owned by enterprise A; enterprise B asking for it,
by GET or POST, gets 404 and changes nothing. A new id-taking route that is not listed makes
`test_every_id_route_is_covered` fail, so it cannot ship without its check. Admin routes are
staff-only: an enterprise account is sent to the admin login for every one of them."""

import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from enterprise_business.tests.factories import approved_enterprise, make_batch, make_enterprise
from portal.core.models import PrivateFile

pytestmark = pytest.mark.django_db


def id_routes(resolver=None, prefix="", namespace=""):
    """(route, name) of every non-admin pattern with a path argument."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, (namespace, entry.namespace)))
            yield from id_routes(entry, route, inner)
        elif isinstance(entry, URLPattern) and "<" in route and not route.startswith(("admin/", "django-admin/")):
            yield route, ":".join(filter(None, (namespace, entry.name)))


# Routes whose argument names something that is not any enterprise's own: a batch (the same for
# every enterprise; the page then shows the visitor's own filing of it), a slider puzzle (bound
# to the browser session that asked for it), and Wagtail's password form for restricted pages.
SHARED = {
    "enterprise:points-filing": "a batch is shared; each enterprise sees only its own filing of it",
    "enterprise:qualifications": "a batch is shared; each enterprise sees only its own records of it",
    "enterprise:points-history": "a batch is shared; each enterprise sees only its own history of it",
    "accounts:captcha-image": "a slider puzzle is bound to the session that asked for it",
    "wagtaildocs_authenticate_with_password": "Wagtail's password form for a restricted document",
    "wagtailcore_authenticate_with_password": "Wagtail's password form for a restricted page",
}


def owned_proof(owner):
    from django.core.files.base import ContentFile

    proof = PrivateFile(owner=owner.user, original_name="资产负债表.pdf", size=20, content_type="application/pdf",
                      uploaded_by=owner.user)
    proof.file.save("p.pdf", ContentFile(b"%PDF-1.4 owner only"), save=False)
    proof.save()
    return proof


def owned_application(owner):
    from finance_products.models import Bank, LoanApplication

    bank = Bank.objects.create(name="大连银行")
    return LoanApplication.objects.create(
        enterprise=owner, bank=bank, product_title="创新积分贷", enterprise_name=owner.name,
        credit_code=owner.credit_code, amount=Decimal("300"), term_months=12, purpose="购置研发设备",
        contact_name="王工", contact_phone="13912345678", authorised_at=timezone.now(), authorisation_text="授权")


# name → (make an object owned by `owner` and return its URL, whether the route accepts GET)
OWNED = {
    "private-file": lambda owner: f"/enterprise/files/{owned_proof(owner).pk}/",
    "finance:application": lambda owner: f"/enterprise/applications/{owned_application(owner).pk}/",
    "finance:application-withdraw": lambda owner: f"/enterprise/applications/{owned_application(owner).pk}/withdraw/",
}


def test_every_id_route_is_covered():
    names = {name for _route, name in id_routes()}
    uncovered = names - set(OWNED) - set(SHARED)
    assert uncovered == set(), f"routes taking an id without an authorisation check here: {uncovered}"


@pytest.mark.parametrize("name", sorted(OWNED))
def test_another_enterprise_gets_404_and_changes_nothing(client, site_tree, name):
    from django.apps import apps

    owner = approved_enterprise()
    url = OWNED[name](owner)
    intruder = approved_enterprise()
    client.force_login(intruder.user)
    before = {m._meta.label: m._default_manager.count() for m in apps.get_models()
              if m._meta.label not in ("sessions.Session", "enterprise_business.AuditEvent")}
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {"reason": "x", "amount": "1"}).status_code == 404
    after = {m._meta.label: m._default_manager.count() for m in apps.get_models()
             if m._meta.label not in ("sessions.Session", "enterprise_business.AuditEvent")}
    assert after == before
    client.force_login(owner.user)
    assert client.get(url).status_code in (200, 302, 405), "the owner itself must reach it"


def test_a_shared_batch_never_shows_another_enterprises_filing(client):
    from enterprise_business.filings.services import points

    batch = make_batch()
    owner = approved_enterprise()
    filing = points.create(owner, batch)
    filing.filler_name = "甲企业填报人"
    filing.save()
    client.force_login(approved_enterprise().user)
    for path in (f"/enterprise/filings/{batch.pk}/", f"/enterprise/filings/{batch.pk}/qualifications/"):
        assert "甲企业填报人" not in client.get(path).content.decode()
    assert client.get(f"/enterprise/filings/{batch.pk}/history/").status_code == 404


def admin_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if not route.startswith("admin/") and prefix == "" and not isinstance(entry, URLResolver):
            continue
        if isinstance(entry, URLResolver):
            if prefix == "" and not route.startswith("admin/"):
                continue
            yield from admin_routes(entry, route)
        else:
            yield route


# The admin's own public parts: its login, logout and password-reset forms, its icon sprite
# and its translation catalogue (static text, no data).
PUBLIC_ADMIN = {"/admin/sprite/", "/admin/login/", "/admin/logout/", "/admin/jsi18n/"}


def test_enterprise_accounts_reach_no_admin_route(client):
    client.force_login(make_enterprise().user)
    checked, reached = 0, []
    for route in admin_routes():
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).replace("^", "").replace("$", "")
        if any(c in path for c in "()*?[\\"):
            continue
        response = client.get(path)
        if path in PUBLIC_ADMIN or path.startswith("/admin/password_reset/"):
            continue
        # 404 is not accepted: a route that looks its object up before checking who asks would
        # answer 404 for a missing id 1 and the object itself for an existing one.
        if response.status_code not in (302, 403):
            reached.append(path)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"] or "/accounts/login/" in response["Location"], path
        checked += 1
    assert reached == []
    assert checked > 100

"""Headers and CSRF (SECURITY.md "Headers, CSRF, deploy"): a strict CSP on the site's own
pages, the admin's narrower exception, no-store on every page shown to a logged-in person,
the production cookie and HSTS settings, CSRF refused on every state-changing route, and no
GET that changes anything."""

import subprocess
import sys

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from enterprise_business.tests.factories import approved_enterprise, make_batch, make_reviewer
from portal.tests.test_settings import PRODUCTION_ENV, ROOT

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_the_sites_pages_get_a_strict_policy(client, site_tree):
    for url in ("/", "/notices/", "/accounts/login/", "/accounts/register/"):
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"] and policy["form-action"] == ["'self'"]


def test_the_admin_alone_may_run_wagtails_inline_scripts(client):
    client.force_login(make_reviewer())
    policy = directives(client.get("/admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]


def test_no_template_writes_inline_script_or_style():
    from pathlib import Path

    offenders = []
    for config in apps.get_app_configs():
        root = Path(config.path)
        if ".venv" in root.parts or "site-packages" in root.parts:
            continue
        for template in root.glob("templates/**/*.html"):
            text = template.read_text(encoding="utf-8")
            if "/admin/" in str(template):
                continue
            for marker in ("<script>", " style=\"", " onclick=", " onload=", "javascript:"):
                if marker in text:
                    offenders.append(f"{template}: {marker}")
    assert offenders == []


def test_pages_for_a_logged_in_person_are_never_stored(client, site_tree):
    enterprise = approved_enterprise()
    batch = make_batch()
    client.force_login(enterprise.user)
    for url in ("/enterprise/", "/enterprise/basic-info/", "/enterprise/filings/", f"/enterprise/filings/{batch.pk}/",
                f"/enterprise/filings/{batch.pk}/qualifications/", "/", "/notices/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.force_login(make_reviewer("reviewer9"))
    for url in ("/admin/", "/admin/registrations/", "/admin/points/"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_production_sets_hsts_and_secure_cookies():
    script = ("from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
              "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT)")
    environ = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "PATH": "/usr/bin:/bin", **PRODUCTION_ENV}
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {script}"], cwd=ROOT,
                            env=environ, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["31536000", "True", "True", "True", "Lax", "True"], result.stderr


# ---- every route, walked ---------------------------------------------------------------------

def routes(resolver=None, prefix=""):
    """(pattern, name) of every URL pattern outside the admin and the static files."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if pattern.startswith(("admin/", "django-admin/", "static/", "media/", "documents/", "sitemap")):
            continue
        if isinstance(entry, URLResolver):
            yield from routes(entry, pattern)
        elif isinstance(entry, URLPattern) and "(" not in pattern and "*" not in pattern:
            yield pattern, entry.name


def real_objects(site_tree, owner):
    """A value for every path argument of the routes: objects that exist and belong to `owner`
    (or, for a batch, a puzzle or a restricted page, that exist). A new argument name makes
    `concrete_paths` fail until it is given a real object here."""
    from wagtail.models import PageViewRestriction

    from enterprise_business.accounts import captcha
    from tests.test_authorisation_sweep import owned_application, owned_proof

    restriction = PageViewRestriction.objects.create(
        page=site_tree.notices, restriction_type=PageViewRestriction.PASSWORD, password="secret-2025")
    return {
        "pk": owned_application(owner).pk, "file_id": owned_proof(owner).pk, "batch_id": make_batch().pk,
        "challenge_id": captcha.new_challenge("login").id, "part": "background",
        "page_view_restriction_id": restriction.pk, "page_id": site_tree.notices.pk,
    }


def concrete_paths(values):
    import re

    return ["/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern).replace("^", "")
            for pattern, _name in routes()]


def test_every_state_changing_post_without_a_token_is_refused(site_tree):
    owner, intruder = approved_enterprise(), approved_enterprise()
    paths = concrete_paths(real_objects(site_tree, owner))
    checked = []
    for user in (None, intruder.user, owner.user):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.post(path, {"x": "1"})
            # 403 from the CSRF check; 405 where the route takes no POST at all.
            assert response.status_code in (403, 405), (path, user, response.status_code)
            checked.append(path)
    assert "/accounts/login/" in checked and "/enterprise/basic-info/" in checked


def rows(models):
    return {m._meta.label_lower: list(m._default_manager.order_by("pk").values_list()) for m in models}


def test_no_get_changes_anything(site_tree):
    owner, intruder = approved_enterprise(), approved_enterprise()
    paths = concrete_paths(real_objects(site_tree, owner))
    # Sessions, the audit log and login bookkeeping are written by design; Wagtail keeps its
    # own reference index up to date lazily. None of them is the site's data.
    ignored = {"sessions.session", "core.auditevent", "axes.accessattempt", "axes.accesslog",
               "wagtailcore.referenceindex"}
    models = [m for m in apps.get_models()
              if m._meta.label_lower not in ignored and m._meta.managed and not m._meta.proxy]
    for user in (None, intruder.user, owner.user):
        client = Client()
        if user is not None:
            client.force_login(user)
        before = rows(models)
        for path in paths:
            client.get(path)
            after = rows(models)
            assert after == before, (path, user, [label for label in before if after[label] != before[label]])

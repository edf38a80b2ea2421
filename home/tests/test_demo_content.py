import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.documents import get_document_model

from guides.models import GuidePage
from notices.models import NoticePage
from policies.models import PolicyPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class _Records(logging.Handler):
    """Every log record that reaches the root logger's handlers (the console, under make run)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def build(django_db_setup, django_db_blocker):
    """The demo content and accounts, built once for the tests below (each test's own changes
    are rolled back as usual), and rolled back after the last of them; returns what it printed
    at the default verbosity and the log records that reached the console's handlers."""
    printed, logged = io.StringIO(), _Records()
    root = logging.getLogger()
    root.addHandler(logged)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("load_demo_content", stdout=printed)
            root.removeHandler(logged)
            yield printed.getvalue(), logged.records
            transaction.set_rollback(True)
    finally:
        root.removeHandler(logged)


@pytest.fixture
def demo(build):
    """What building the demo printed."""
    return build[0]


def test_demo_builds_the_portal_at_the_spec_addresses(demo, client):
    for url in ("/", "/notices/", "/policies/", "/guides/", "/guides/user-manual/"):
        assert client.get(url).status_code == 200, url
    assert NoticePage.objects.live().count() >= 12
    assert PolicyPage.objects.live().count() >= 8
    manual = GuidePage.objects.get(slug="user-manual")
    assert "企业用户注册" in manual.search_text and "相关资质填报" in manual.search_text


def test_every_policy_has_a_real_pdf_attachment(demo, client):
    for policy in PolicyPage.objects.live():
        documents = [block.value for block in policy.attachments]
        assert documents, policy.title
        response = client.get(documents[0].url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_demo_accounts_are_made_and_printed(demo):
    User = get_user_model()
    admin, reviewer = User.objects.get(username="admin"), User.objects.get(username="reviewer")
    assert admin.is_superuser and admin.check_password("admin12345")
    assert reviewer.check_password("review12345") and reviewer.groups.filter(name="审核员").exists()
    assert "admin12345" in demo and "review12345" in demo


def test_demo_enterprises_cover_every_registration_state(demo, client):
    from enterprise_business.models import Enterprise

    states = set(Enterprise.objects.values_list("status", flat=True))
    assert states == {"approved", "pending", "rejected"}
    approved = Enterprise.objects.get(credit_code="91210231MA0QX7LK1Q")
    assert approved.licence.read().startswith(b"\x89PNG")
    assert approved.credit_code in demo and "Qiye12345" in demo
    assert client.get("/consent/").status_code == 200


def test_running_it_again_adds_nothing(demo):
    counts = (NoticePage.objects.count(), PolicyPage.objects.count(), get_document_model().objects.count())
    printed = io.StringIO()
    call_command("load_demo_content", verbosity=2, stdout=printed)
    assert (NoticePage.objects.count(), PolicyPage.objects.count(), get_document_model().objects.count()) == counts
    assert "新建 0 篇" in printed.getvalue()


def test_refused_where_demo_content_is_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    counts = (NoticePage.objects.count(), get_user_model().objects.count())
    with pytest.raises(CommandError):
        call_command("load_demo_content")
    assert (NoticePage.objects.count(), get_user_model().objects.count()) == counts


def test_production_settings_never_create_the_demo_accounts():
    """The production settings themselves refuse, even when the environment asks for demo content."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production", DEMO_CONTENT_ALLOWED="true",
        DJANGO_SECRET_KEY="k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz",
        FIELD_ENCRYPTION_KEY="f" * 10 + "another-long-random-key-for-fields",
        DJANGO_ALLOWED_HOSTS="cxjf.example.gov.cn", REDIS_URL="redis://127.0.0.1:6379/0",
        # Nothing listens there: were the command to run, it would fail to connect, not write.
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
    )
    result = subprocess.run([sys.executable, "manage.py", "load_demo_content"], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "演示内容和演示账号不能在生产环境中创建" in result.stderr, result.stderr


def test_demo_registry_and_basic_info_in_every_state(demo):
    from enterprise_business.models import BasicInfo, RegistryRecord

    assert RegistryRecord.objects.count() >= 200
    assert set(BasicInfo.objects.values_list("status", flat=True)) >= {"draft", "submitted", "returned", "approved"}
    assert BasicInfo.objects.filter(status="returned").exclude(return_reason="").exists()
    assert BasicInfo.objects.filter(facts_self_reported=True).exists()


def test_demo_finance_market(demo, client):
    from finance_products.models import Bank, FinanceProductPage

    assert Bank.objects.count() >= 4 and FinanceProductPage.objects.live().count() >= 10
    assert client.get("/finance/").status_code == 200
    assert "bank12345" in demo


def test_it_is_quiet_and_ends_with_the_accounts(build):
    printed, logged = build
    lines = printed.splitlines()
    table = lines.index("演示账号（仅用于本地演示）：")
    assert table <= 1 and all("账号：" in line for line in lines[table + 1:])
    noisy = [record for record in logged if record.name.split(".")[0] in ("portal", "wagtail")
             and record.levelno < logging.WARNING]
    assert noisy == []

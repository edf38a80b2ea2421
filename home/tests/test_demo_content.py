import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model

from guides.models import GuidePage
from notices.models import NoticePage
from policies.models import PolicyPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo_content")
    return capsys.readouterr().out


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


def test_running_it_again_adds_nothing(demo, capsys):
    counts = (NoticePage.objects.count(), PolicyPage.objects.count(), get_document_model().objects.count())
    call_command("load_demo_content", verbosity=2)
    assert (NoticePage.objects.count(), PolicyPage.objects.count(), get_document_model().objects.count()) == counts
    assert "新建 0 篇" in capsys.readouterr().out


def test_refused_where_demo_content_is_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo_content")
    assert not NoticePage.objects.exists()


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


def test_it_is_quiet_and_ends_with_the_accounts(demo, caplog):
    lines = demo.splitlines()
    table = lines.index("演示账号（仅用于本地演示）：")
    assert table <= 1 and all("账号：" in line for line in lines[table + 1:])
    assert not [record for record in caplog.get_records("setup") if record.name in ("portal.audit", "wagtail")]

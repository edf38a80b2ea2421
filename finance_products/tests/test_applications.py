"""Matching on the pages, 为我推荐, and applying: only with a published result that qualifies and
the explicit authorisation; an enterprise sees and withdraws only its own applications."""

from decimal import Decimal

import pytest
from django.db import connection

from enterprise_business.tests.factories import make_enterprise
from finance_products import applications, matching
from finance_products.models import LoanApplication
from finance_products.tests.factories import approve_basic_info, banker, make_result, make_run
from portal.core.models import Message, SmsMessage

pytestmark = pytest.mark.django_db

FORM = {
    "amount": "300",
    "term_months": "12",
    "purpose": "购置研发设备",
    "contact_name": "王工",
    "contact_phone": "13912345678",
    "authorise": "on",
}


def apply_url(product):
    return product.url + "apply/"


def test_anonymous_visitors_are_asked_to_log_in_and_get_the_cached_page(client, catalogue):
    _, _, products = catalogue
    response = client.get(products["loan"].url)
    html = response.content.decode()
    assert "登录</a>后，可以查看本企业是否符合申请条件" in html and "符合申请条件</h2>" not in html
    assert "no-store" not in response.get("Cache-Control", "")
    assert client.get(apply_url(products["loan"])).url.startswith("/accounts/login/?next=")
    assert client.get("/finance/recommend/").url.startswith("/accounts/login/?next=")


def test_product_pages_tell_a_logged_in_enterprise_whether_it_qualifies_and_why_not(firm_client, catalogue):
    _, _, products = catalogue
    response = firm_client.get(products["loan"].url)
    html = response.content.decode()
    assert "符合申请条件</h2>" in html and f'href="{apply_url(products["loan"])}"' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = firm_client.get(products["leading"].url).content.decode()
    assert "暂不符合申请条件</h2>" in html
    assert "创新积分为72.50分，低于本产品要求的85分。" in html and "积分梯队为竞跑，本产品要求领跑及以上。" in html
    assert apply_url(products["leading"]) not in html


def test_market_cards_carry_the_match_and_recommend_lists_qualifying_products_first(firm_client, catalogue):
    html = firm_client.get("/finance/").content.decode()
    assert html.count("match-yes") == 2 and html.count("match-no") == 1
    response = firm_client.get("/finance/recommend/")
    assert [p.title for p in response.context["qualifying"]] == ["科创贷", "创新积分贷"]
    assert [p.title for p in response.context["others"]] == ["积分领跑贷"]
    html = response.content.decode()
    assert html.index("科创贷") < html.index("积分领跑贷") and "低于本产品要求的85分" in html
    assert "no-store" in response["Cache-Control"]


def test_without_a_published_result_nothing_qualifies_and_no_application_is_made(client, catalogue):
    _, _, products = catalogue
    enterprise = make_enterprise()
    make_result(enterprise, make_run(status="publicity"))  # 公示 is not published
    client.force_login(enterprise.user)
    response = client.get("/finance/recommend/")
    assert response.context["qualifying"] == [] and "暂无正式发布的创新积分结果" in response.content.decode()
    response = client.get(apply_url(products["open"]))
    assert response.context["form"] is None and "暂不符合申请条件，不能申请本产品" in response.content.decode()
    response = client.post(apply_url(products["open"]), FORM)
    assert response.status_code == 200 and not LoanApplication.objects.exists()
    with pytest.raises(applications.TransitionError):
        applications.submit(enterprise, enterprise.user, products["open"], {**FORM, "authorise": True})


def test_an_enterprise_that_does_not_qualify_cannot_post_an_application(firm_client, catalogue):
    _, _, products = catalogue
    response = firm_client.post(apply_url(products["leading"]), FORM)
    assert response.status_code == 200 and not LoanApplication.objects.exists()
    assert "申请未提交：创新积分为72.50分" in response.content.decode()


def test_no_application_without_the_authorisation_and_nothing_typed_is_lost(firm_client, catalogue):
    _, _, products = catalogue
    response = firm_client.post(apply_url(products["loan"]), {**FORM, "authorise": ""})
    html = response.content.decode()
    assert not LoanApplication.objects.exists()
    assert 'id="id_authorise_error"' in html and "请阅读授权内容并勾选同意" in html
    assert 'value="300"' in html and "购置研发设备" in html and 'value="13912345678"' in html
    assert '<label for="id_authorise">' in html and '<label for="id_amount" class="required">申请金额</label>' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "49.99", "申请金额应在本产品额度 50.00–1000.00 万元之内。"),
        ("amount", "1000.01", "申请金额应在本产品额度 50.00–1000.00 万元之内。"),
        ("amount", "abc", "申请金额应为数字，最多两位小数。"),
        ("term_months", "0", "申请期限应为1–360个月。"),
        ("contact_phone", "12345", "请输入正确的手机号码或座机号码（如0411-84820327）。"),
        ("purpose", "", "请填写资金用途。"),
    ],
)
def test_bad_input_gets_a_chinese_message_at_its_field(firm_client, catalogue, field, value, message):
    _, _, products = catalogue
    response = firm_client.post(apply_url(products["loan"]), {**FORM, field: value})
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not LoanApplication.objects.exists()


def test_applying_keeps_the_authorised_copy_and_encrypts_the_phone(firm_client, firm, catalogue):
    _, _, products = catalogue
    form = firm_client.get(apply_url(products["loan"])).context["form"]
    assert form.initial == {"contact_name": "王工", "contact_phone": "0411-84820327"}
    response = firm_client.post(apply_url(products["loan"]), {**FORM, "amount": "50"})  # the minimum is allowed
    application = LoanApplication.objects.get()
    assert response.url == f"/enterprise/applications/{application.pk}/"
    assert (application.enterprise, application.bank.name, application.status) == (firm, "大连银行", "submitted")
    assert application.amount == Decimal("50.00") and application.product_title == "创新积分贷"
    assert "授权大连银行查看本企业的以下信息" in application.authorisation_text
    result, basic = application.shared_data
    assert ["总积分", "72.50 分"] in result["rows"] and ["积分梯队", "竞跑"] in result["rows"]
    assert ["技术创新指标积分", "40.50 分"] in result["rows"]
    assert ["所属行业", "I 信息传输、软件和信息技术服务业"] in basic["rows"]
    # Least data: no per-indicator figures, no contact e-mail, no ID or registered phone number.
    flat = str(application.shared_data)
    assert "123.45" not in flat and "wang@example.cn" not in flat and firm.phone not in flat
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM finance_products_loanapplication")
        assert "13912345678" not in cursor.fetchone()[0]
    assert application.events.get().to_status == "submitted"


def test_one_open_application_per_product(firm_client, firm, catalogue):
    _, _, products = catalogue
    firm_client.post(apply_url(products["loan"]), FORM)
    response = firm_client.post(apply_url(products["loan"]), FORM)
    assert LoanApplication.objects.count() == 1
    assert "您已申请本产品" in response.content.decode()
    with pytest.raises(applications.TransitionError, match="请勿重复申请"):
        applications.submit(
            firm, firm.user, products["loan"], {**FORM, "authorise": True, "amount": Decimal(300), "term_months": 12}
        )
    # Once it is closed (withdrawn here), the enterprise may apply again.
    applications.withdraw(LoanApplication.objects.get().pk, firm, firm.user)
    firm_client.post(apply_url(products["loan"]), FORM)
    assert LoanApplication.objects.filter(status="submitted").count() == 1


def test_an_enterprise_sees_and_withdraws_only_its_own_applications(firm_client, firm, catalogue):
    from django.test import Client

    _, _, products = catalogue
    firm_client.post(apply_url(products["loan"]), FORM)
    mine = LoanApplication.objects.get()
    other = make_enterprise()
    approve_basic_info(other)
    make_result(other, matching.latest_final_run(), total="90.00", tier="leading")
    client = Client()
    client.force_login(other.user)
    client.post(apply_url(products["open"]), FORM)
    theirs = LoanApplication.objects.exclude(pk=mine.pk).get()

    listing = firm_client.get("/enterprise/applications/")
    assert list(listing.context["applications"]) == [mine] and "no-store" in listing["Cache-Control"]
    assert firm_client.get(f"/enterprise/applications/{theirs.pk}/").status_code == 404
    assert firm_client.post(f"/enterprise/applications/{theirs.pk}/withdraw/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted" and theirs.shared_data
    assert firm_client.get(f"/enterprise/applications/{mine.pk}/withdraw/").status_code == 405

    response = firm_client.post(f"/enterprise/applications/{mine.pk}/withdraw/")
    assert response.url == f"/enterprise/applications/{mine.pk}/"
    mine.refresh_from_db()
    assert mine.status == "withdrawn" and mine.shared_data == [] and mine.contact_phone == ""
    html = firm_client.get("/enterprise/").content.decode()
    assert "金融产品申请" in html and "创新积分贷" in html and "已撤回" in html


def test_staff_and_pending_enterprises_do_not_get_the_enterprise_pages(client, catalogue):
    from enterprise_business.tests.factories import make_staff

    _, _, products = catalogue
    client.force_login(make_staff("editor1"))
    assert client.get("/enterprise/applications/").status_code == 302
    assert client.get(apply_url(products["loan"])).status_code == 302
    assert "符合申请条件" not in client.get(products["loan"].url).content.decode()
    pending = make_enterprise(status="pending")
    client.force_login(pending.user)
    assert client.get("/finance/recommend/").status_code == 302


def test_notifications_are_messages_and_sms(firm_client, firm, catalogue):
    _, _, products = catalogue
    firm_client.post(apply_url(products["loan"]), FORM)
    application = LoanApplication.objects.get()
    staff = banker("大连银行")
    applications.decide(application.pk, staff, "accept")
    message = Message.objects.get(recipient=firm.user)
    assert message.title == "融资申请已受理" and message.link == f"/enterprise/applications/{application.pk}/"
    assert SmsMessage.objects.filter(text__contains="融资申请已受理：").count() == 1


def test_the_enterprise_lists_read_no_encrypted_or_authorised_field(firm_client, firm, catalogue):
    from finance_products.selectors import applications_of

    _, _, products = catalogue
    firm_client.post(apply_url(products["loan"]), FORM)
    [listed] = applications_of(firm)
    assert listed.bank.name == products["loan"].bank.name and listed.amount == LoanApplication.objects.get().amount
    assert {"contact_phone", "purpose", "authorisation_text", "shared_data"} <= listed.get_deferred_fields()
    for page in ("/enterprise/", "/enterprise/applications/"):
        assert listed.product_title in firm_client.get(page).content.decode()


def test_a_product_and_its_own_routes_are_found_again_from_the_route_memo(firm_client, catalogue):
    _, _, products = catalogue
    for _ in range(2):  # the second time from home.routes' memo
        assert "符合申请条件" in firm_client.get(products["loan"].url).content.decode()
        assert 'name="amount"' in firm_client.get(apply_url(products["loan"])).content.decode()
        assert firm_client.get(products["loan"].url + "no-such-route/").status_code == 404

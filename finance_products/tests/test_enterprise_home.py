"""/enterprise/ keeps its steps, applications and 消息 in the cache per enterprise and account
(enterprise_business.filings.selectors.home_version): read once, then shown again at once after
any of them changes — a 消息 (one or in bulk), the basic information's review, an application
or its bank — and never to another enterprise."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprise_business.filings.services import basic_info
from enterprise_business.models import BasicInfo
from enterprise_business.tests.factories import make_enterprise, make_reviewer
from finance_products import applications
from finance_products.tests.test_applications import FORM
from portal.core.models import Message
from portal.core.notifications.services import notify, notify_many

pytestmark = pytest.mark.django_db
SHOWN = ("enterprise_business_basicinfo", "finance_products_loanapplication", "core_message")


def home(client):
    """(the page's HTML, the queries it made of what the cache keeps)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/enterprise/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries
                                       if any(f'FROM "{table}"' in q["sql"] for table in SHOWN)]


def kept(html):
    """The part of the page the cache keeps (no form, so no CSRF token, is in it)."""
    return html[html.index('<h2 class="section-title">办理步骤</h2>'):html.rindex("</section>")]


def test_the_home_is_read_once_then_from_the_cache(firm_client):
    html, read = home(firm_client)
    assert read and "审核通过" in kept(html) and "csrfmiddlewaretoken" not in kept(html)
    again, read = home(firm_client)
    assert read == [] and kept(again) == kept(html)


def test_a_message_one_or_in_bulk_shows_at_once(firm_client, firm):
    home(firm_client)
    notify(firm, "filing_approved", filing="2025年度创新积分数据填报")
    assert "2025年度创新积分数据填报审核结果" in home(firm_client)[0]
    notify_many([firm], "objection_answered", answer="已复核，维持原结果")
    assert "已复核，维持原结果" in home(firm_client)[0]
    Message.objects.filter(recipient=firm.user).delete()
    assert "暂无消息。" in home(firm_client)[0]


def test_a_review_of_the_basic_information_shows_at_once(firm_client, firm):
    assert "查看或修改" in home(firm_client)[0]
    filing = BasicInfo.objects.get(enterprise=firm)
    filing.status = "submitted"
    filing.save()
    assert "等待管理员审核" in home(firm_client)[0]
    basic_info.send_back(filing.pk, make_reviewer(), "注册地址与营业执照不一致")
    assert "退回原因：注册地址与营业执照不一致" in home(firm_client)[0]


def test_an_application_and_its_banks_name_show_at_once(firm_client, firm, catalogue):
    _, sections, products = catalogue
    assert "暂无申请。" in home(firm_client)[0]
    application = applications.submit(firm, firm.user, products["open"], {**FORM, "authorise": True})
    assert "科创贷" in home(firm_client)[0]
    bank = application.bank
    bank.name = "招商银行大连分行"
    bank.save()
    assert "招商银行大连分行" in home(firm_client)[0]


def test_one_enterprises_home_is_never_shown_to_another(client, firm):
    notify(firm, "objection_answered", answer="只给本企业的答复")
    client.force_login(firm.user)
    assert "只给本企业的答复" in home(client)[0]
    other = make_enterprise()
    BasicInfo.objects.create(enterprise=other, status="draft")
    client.force_login(other.user)
    html = home(client)[0]
    assert "只给本企业的答复" not in html and "暂无消息。" in html


def test_the_results_step_shows_the_published_result_and_a_new_publication_at_once(firm_client, firm):
    from finance_products.tests.factories import make_result, make_run

    html = home(firm_client)[0]
    assert "积分结果已发布</strong>（总积分 72.50 分）" in html and 'href="/enterprise/results/"' in html
    assert "暂无已发布的积分结果" not in kept(html)
    newer = make_run(status="publicity")
    newer.publicity_starts_on = newer.batch.opens_on
    newer.save()
    make_result(firm, newer, total="80.00")
    html = home(firm_client)[0]
    assert f"{newer.batch.data_year}年度积分结果公示中</strong>（总积分 80.00 分）" in html


def test_without_a_published_result_the_step_says_so(client):
    enterprise = make_enterprise()
    client.force_login(enterprise.user)
    assert "状态：<strong>暂无已发布的积分结果</strong>" in home(client)[0]

from datetime import date
from decimal import Decimal

import pytest

from enterprise_business.filings import review, selectors
from enterprise_business.filings.services import basic_info
from enterprise_business.models import BasicInfo, FilingEvent, RegistryRecord
from enterprise_business.tests.factories import make_enterprise, make_reviewer
from enterprise_business.tests.helpers import race
from portal.core.models import Message, SmsMessage

pytestmark = pytest.mark.django_db

URL = "/enterprise/basic-info/"
OWN = {
    "mailing_address": "大连市高新区黄浦路1号", "postcode": "116023", "industry": "I", "tech_field": "electronics",
    "enterprise_size": "small", "is_high_tech": "no", "is_tech_sme": "no", "main_products": "工业软件",
    "contact_name": "王工", "contact_phone": "0411-84820327", "contact_email": "wang@example.cn",
    "website": "www.example.cn",
}


def registered(enterprise, name="大连测试科技有限公司"):
    RegistryRecord.objects.create(
        credit_code=enterprise.credit_code, name=name, legal_representative="李四",
        registered_capital=Decimal("500.00"), established_on=date(2015, 3, 1), address="大连市高新区火炬路1号",
        company_type="有限责任公司", business_scope="软件开发", registration_status="存续",
    )
    return enterprise


@pytest.fixture
def enterprise():
    return registered(make_enterprise())


@pytest.fixture
def owner(client, enterprise):
    client.force_login(enterprise.user)
    return client


def filing_of(enterprise):
    return BasicInfo.objects.get(enterprise=enterprise)


def test_form_shows_registry_facts_in_grey_and_own_fields_with_labels(owner, enterprise):
    html = owner.get(URL).content.decode()
    assert "工商登记信息" in html and 'class="readonly-grid"' in html and "大连测试科技有限公司" in html
    assert 'name="name"' not in html
    for label, name in (("通讯地址", "mailing_address"), ("所属行业", "industry"), ("联系电话", "contact_phone")):
        assert f'<label for="id_{name}" class="required">{label}</label>' in html
    assert '<label for="id_website">网址</label>' in html
    assert "当前状态：<strong>未填报</strong>" in html
    assert ">暂存</button>" in html and ">提交</button>" in html


def test_draft_is_saved_without_checks(owner, enterprise):
    response = owner.post(URL, {"save": "", "contact_name": "王工", "contact_phone": "abc"})
    assert response.status_code == 302
    filing = filing_of(enterprise)
    assert filing.status == "draft" and filing.contact_phone == "abc"
    page = owner.get(URL).content.decode()
    assert 'value="王工"' in page and "当前状态：<strong>暂存</strong>" in page


def test_submit_names_every_missing_field(owner, enterprise):
    response = owner.post(URL, {"submit": ""})
    html = response.content.decode()
    for label in ("通讯地址", "所属行业", "技术领域", "企业规模", "主营产品", "联系人", "联系电话", "联系邮箱"):
        assert f"“{label}”" in html, label
    assert not BasicInfo.objects.filter(enterprise=enterprise).exists()


def test_submit_checks_formats_and_dependent_fields(owner, enterprise):
    data = {**OWN, "submit": "", "postcode": "12", "contact_phone": "12345", "is_high_tech": "yes",
            "high_tech_certificate": "", "contact_email": "x@"}
    form = owner.post(URL, data).context["form"]
    assert "邮政编码应为6位数字。" in form.errors["postcode"]
    assert "手机号码或座机号码" in form.errors["contact_phone"][0]
    assert "请填写证书编号" in form.errors["high_tech_certificate"][0]
    assert "邮箱" in form.errors["contact_email"][0]
    assert 'value="大连市高新区黄浦路1号"' in owner.post(URL, data).content.decode()


def test_submit_then_locked_until_decided(owner, enterprise):
    assert owner.post(URL, {**OWN, "submit": ""}).status_code == 302
    filing = filing_of(enterprise)
    assert filing.status == "submitted" and filing.name == "大连测试科技有限公司"
    owner.post(URL, {**OWN, "save": "", "main_products": "改了"})
    assert filing_of(enterprise).main_products == "工业软件"
    assert "审核完成前不能修改" in owner.get(URL).content.decode()


def test_forged_status_and_grey_fields_are_ignored(owner, enterprise):
    owner.post(URL, {**OWN, "save": "", "status": "approved", "name": "伪造的名称", "approved_snapshot": "{}"})
    filing = filing_of(enterprise)
    assert filing.status == "draft" and filing.name == "大连测试科技有限公司" and filing.approved_snapshot is None


def test_only_reviewers_decide_and_never_their_own(enterprise):
    filing = basic_info.save(selectors.basic_info_of(enterprise), enterprise.user, OWN,
                             selectors.registry_facts(enterprise), submit=True)
    with pytest.raises(review.TransitionError, match="没有审核权限"):
        basic_info.approve(filing.pk, make_enterprise().user)
    enterprise.user.user_permissions.add(*_review_permission())
    with pytest.raises(review.TransitionError, match="不能审核本企业自己"):
        basic_info.approve(filing.pk, enterprise.user)
    with pytest.raises(review.TransitionError, match="只有本企业"):
        basic_info.save(filing, make_reviewer(), OWN, None)


def _review_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="review_basicinfo")


def test_return_needs_a_reason_and_the_enterprise_sees_it(owner, enterprise):
    owner.post(URL, {**OWN, "submit": ""})
    filing = filing_of(enterprise)
    reviewer = make_reviewer()
    with pytest.raises(review.TransitionError, match="必须填写退回原因"):
        basic_info.send_back(filing.pk, reviewer, "   ")
    basic_info.send_back(filing.pk, reviewer, "主营产品请写具体")
    html = owner.get(URL).content.decode()
    assert "当前状态：<strong>退回修改</strong>" in html and "退回原因：主营产品请写具体" in html
    assert Message.objects.get(recipient=enterprise.user).body.startswith("已退回修改，原因：主营产品请写具体")
    assert "主营产品请写具体" in SmsMessage.objects.latest("pk").text
    assert "退回原因：主营产品请写具体" in owner.get("/enterprise/").content.decode()


def test_every_transition_is_logged(owner, enterprise):
    owner.post(URL, {**OWN, "save": ""})
    owner.post(URL, {**OWN, "submit": ""})
    basic_info.approve(filing_of(enterprise).pk, make_reviewer())
    events = list(filing_of(enterprise).events().values_list("from_status", "to_status"))
    assert events == [("not_filed", "draft"), ("draft", "submitted"), ("submitted", "approved")]
    event = FilingEvent.objects.first()
    with pytest.raises(Exception):  # noqa: B017 - append-only: PermissionDenied
        event.delete()


def test_approved_version_stays_in_force_while_a_new_one_is_reviewed(owner, enterprise):
    owner.post(URL, {**OWN, "submit": ""})
    basic_info.approve(filing_of(enterprise).pk, make_reviewer())
    owner.post(URL, {**OWN, "submit": "", "main_products": "工业软件、数据服务"})
    filing = filing_of(enterprise)
    assert filing.status == "submitted"
    assert filing.approved_snapshot["main_products"] == "工业软件"
    assert selectors.has_approved_basic_info(enterprise)
    assert filing.changes_since_approved() == [("主营产品", "工业软件", "工业软件、数据服务")]
    assert "审核通过的版本在新版本审核通过前继续有效" in owner.get(URL).content.decode()


def test_gate_opens_only_after_approval(owner, enterprise):
    assert "请先完成企业基本信息填报并通过审核" in owner.get("/enterprise/filings/").content.decode()
    owner.post(URL, {**OWN, "submit": ""})
    assert "请先完成企业基本信息填报并通过审核" in owner.get("/enterprise/filings/").content.decode()
    basic_info.approve(filing_of(enterprise).pk, make_reviewer())
    html = owner.get("/enterprise/filings/").content.decode()
    assert "请先完成企业基本信息填报并通过审核" not in html
    assert "审核通过" in owner.get("/enterprise/").content.decode()


def test_without_a_registry_record_the_enterprise_fills_the_facts_and_is_flagged(client):
    enterprise = make_enterprise()
    client.force_login(enterprise.user)
    html = client.get(URL).content.decode()
    assert "工商数据中暂未查到本企业" in html and '<label for="id_name" class="required">企业名称</label>' in html
    facts = {"name": "自填企业", "legal_representative": "张三", "registered_capital": "100",
             "established_on": "2020-01-02", "address": "大连", "company_type": "有限责任公司",
             "business_scope": "软件", "registration_status": "存续"}
    bad = client.post(URL, {**OWN, **facts, "registered_capital": "很多", "submit": ""})
    assert "注册资本应为不小于0的数字" in bad.content.decode()
    client.post(URL, {**OWN, **facts, "submit": ""})
    filing = filing_of(enterprise)
    assert filing.status == "submitted" and filing.facts_self_reported and filing.name == "自填企业"


def test_another_enterprise_never_sees_or_decides_this_filing(client, owner, enterprise):
    owner.post(URL, {**OWN, "submit": ""})
    filing = filing_of(enterprise)
    other = registered(make_enterprise(), name="另一家企业")
    client.force_login(other.user)
    html = client.get(URL).content.decode()
    assert "另一家企业" in html and "工业软件" not in html
    assert client.get(f"/admin/basic-info/inspect/{filing.pk}/").status_code == 302
    client.post(f"/admin/basic-info/decide/{filing.pk}/", {"decision": "approve"})
    assert filing_of(enterprise).status == "submitted"


def test_reviewer_queue_filters_searches_diffs_and_exports(client, owner, enterprise):
    owner.post(URL, {**OWN, "submit": ""})
    filing = filing_of(enterprise)
    client.force_login(make_reviewer())
    listing = client.get("/admin/basic-info/", {"status": "submitted", "industry": "I"}).content.decode()
    assert "大连测试科技有限公司" in listing
    assert "大连测试科技有限公司" not in client.get("/admin/basic-info/", {"industry": "C"}).content.decode()
    assert "大连测试科技有限公司" in client.get("/admin/basic-info/", {"q": enterprise.credit_code}).content.decode()
    page = client.get(f"/admin/basic-info/inspect/{filing.pk}/").content.decode()
    assert "首次提交" in page and "审核通过" in page and "退回修改" in page
    export = client.get("/admin/basic-info/", {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    response = client.post(f"/admin/basic-info/decide/{filing.pk}/", {"decision": "return", "reason": "补充"})
    assert response.status_code == 302 and filing_of(enterprise).status == "returned"


# As in test_review.py: the first reviewer holds the filing while the second one tries.
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_acting_at_once_cannot_both_win():
    from home.tests.factories import ensure_baseline

    ensure_baseline()
    enterprise = registered(make_enterprise())
    filing = basic_info.save(selectors.basic_info_of(enterprise), enterprise.user, OWN,
                             selectors.registry_facts(enterprise), submit=True)
    first, second = make_reviewer("rx"), make_reviewer("ry")
    outcomes = race(lambda: basic_info.approve(filing.pk, first),
                    lambda: basic_info.send_back(filing.pk, second, "同时"), review.TransitionError, BasicInfo)
    assert outcomes == ("won", "told")
    filing.refresh_from_db()
    assert filing.status == "approved"
    assert filing.events().filter(from_status="submitted").count() == 1

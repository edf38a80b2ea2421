"""Bank staff in the admin: only their own bank's applications, with what was authorised, moved
through 已受理 / 审批中 / 已放款 / 未通过 in order; the totals per bank and product, and XLSX."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprise_business.tests.factories import make_enterprise, make_staff
from finance_products import access, applications, matching
from finance_products.models import Bank, LoanApplication
from finance_products.tests.factories import approve_basic_info, banker, make_result
from portal.core.models import Message

pytestmark = pytest.mark.django_db
S = LoanApplication.Status


def apply(enterprise, product, amount="300"):
    return applications.submit(
        enterprise,
        enterprise.user,
        product,
        {
            "amount": Decimal(amount),
            "term_months": 12,
            "purpose": "研发投入",
            "contact_name": "王工",
            "contact_phone": "13912345678",
            "authorise": True,
        },
    )


@pytest.fixture
def two_banks(catalogue, firm):
    _, _, products = catalogue
    other = make_enterprise()
    approve_basic_info(other)
    make_result(other, matching.latest_final_run(), total="91.00", tier="leading", rank=1)
    return {
        "dl": apply(firm, products["loan"]),
        "dl2": apply(other, products["leading"], amount="800"),
        "cmb": apply(other, products["open"], amount="120"),
    }


def test_each_bank_group_gets_the_rights_it_needs_from_this_app(catalogue):
    group = Bank.objects.get(name="大连银行").staff_group
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_loanapplication", "change_loanapplication"} <= codenames
    group.permissions.clear()
    access.ensure_bank_groups()
    assert group.permissions.filter(codename="change_loanapplication").exists()


def test_bank_staff_list_and_export_only_their_banks_applications(client, two_banks):
    client.force_login(banker("大连银行"))
    response = client.get("/admin/loan-applications/")
    assert response.status_code == 200
    assert {a.pk for a in response.context["object_list"]} == {two_banks["dl"].pk, two_banks["dl2"].pk}
    export = client.get("/admin/loan-applications/?export=xlsx")
    from openpyxl import load_workbook

    rows = list(
        load_workbook(
            BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
        ).active.values
    )
    assert rows[0][:4] == ("企业名称", "统一社会信用代码", "银行", "产品名称")
    assert {row[3] for row in rows[1:]} == {"创新积分贷", "积分领跑贷"}
    assert all("139****5678" == row[8] for row in rows[1:]) and "已提交" in rows[1]


def test_another_banks_application_is_a_404_and_cannot_be_moved(client, two_banks):
    staff = banker("大连银行")
    client.force_login(staff)
    cmb = two_banks["cmb"]
    assert client.get(f"/admin/loan-applications/inspect/{cmb.pk}/").status_code == 404
    assert client.post(f"/admin/loan-applications/inspect/{cmb.pk}/", {"step": "accept"}).status_code == 404
    with pytest.raises(applications.TransitionError, match="无权办理"):
        applications.decide(cmb.pk, staff, "accept")
    cmb.refresh_from_db()
    assert cmb.status == "submitted"


def test_people_outside_the_banks_see_no_applications(client, two_banks):
    from portal.core import roles

    editor = make_staff("editor1", roles.CONTENT_EDITOR)
    client.force_login(editor)
    assert client.get("/admin/loan-applications/").status_code in (302, 403)
    assert client.get(f"/admin/loan-applications/inspect/{two_banks['dl'].pk}/").status_code in (302, 403, 404)
    assert access.applications_for(editor).count() == 0
    admin = make_staff("root", superuser=True)
    assert access.applications_for(admin).count() == 3


def test_bank_staff_see_the_authorised_data_and_each_view_is_logged(client, two_banks):
    from portal.core.models import AuditEvent

    staff = banker("大连银行")
    client.force_login(staff)
    application = two_banks["dl"]
    html = client.get(f"/admin/loan-applications/inspect/{application.pk}/").content.decode()
    assert "创新积分结果（企业申请时的版本）" in html and "72.50 分" in html and "13912345678" in html
    assert "授权大连银行查看本企业的以下信息" in html
    entry = AuditEvent.objects.get(kind="reveal")
    assert entry.actor == staff and entry.target == f"融资申请 {application.pk}（{application.credit_code}）"


def test_the_steps_go_in_order_and_each_is_notified(client, two_banks, firm):
    staff = banker("大连银行")
    client.force_login(staff)
    application = two_banks["dl"]
    url = f"/admin/loan-applications/inspect/{application.pk}/"
    # Not yet: 放款 before 受理 and 审批.
    response = client.post(url, {"step": "disburse", "disburse-amount": "300"})
    assert response.status_code == 200 and "不能确认放款" in response.content.decode()
    assert client.post(url, {"step": "accept"}).url == url
    assert client.post(url, {"step": "review"}).url == url
    response = client.post(url, {"step": "disburse", "disburse-amount": "0"})
    assert "放款金额应大于0。" in response.content.decode() and 'value="0"' in response.content.decode()
    response = client.post(url, {"step": "disburse", "disburse-amount": "1000.01"})
    assert "放款金额不能超过本产品最高额度 1000.00 万元。" in response.content.decode()
    assert client.post(url, {"step": "disburse", "disburse-amount": "280.50"}).url == url
    application.refresh_from_db()
    assert (application.status, application.disbursed_amount) == ("disbursed", Decimal("280.50"))
    assert application.decided_at is not None
    assert [e.to_status for e in application.events.all()] == ["submitted", "accepted", "reviewing", "disbursed"]
    assert [m.title for m in Message.objects.filter(recipient=firm.user).order_by("pk")] == [
        "融资申请已受理",
        "融资申请审批中",
        "融资申请已放款",
    ]
    assert "放款金额280.50万元" in Message.objects.filter(recipient=firm.user).first().body
    # Done is done: no step after 已放款, and the enterprise cannot withdraw it.
    response = client.post(url, {"step": "reject", "reject-reason": "迟到的拒绝"})
    assert "不能审批不通过" in response.content.decode()
    with pytest.raises(applications.TransitionError, match="已办结"):
        applications.withdraw(application.pk, firm, firm.user)
    firm_page = None
    client.force_login(firm.user)
    firm_page = client.get(f"/enterprise/applications/{application.pk}/").content.decode()
    assert "已放款" in firm_page and "280.50" in firm_page


def test_rejecting_needs_a_reason_which_the_enterprise_reads(client, two_banks, firm):
    client.force_login(banker("大连银行"))
    application = two_banks["dl"]
    url = f"/admin/loan-applications/inspect/{application.pk}/"
    response = client.post(url, {"step": "reject", "reject-reason": "  "})
    assert "审批不通过时必须填写原因。" in response.content.decode()
    client.post(url, {"step": "reject", "reject-reason": "近两年纳税记录不足"})
    application.refresh_from_db()
    assert application.status == "rejected" and application.reject_reason == "近两年纳税记录不足"
    assert Message.objects.get(recipient=firm.user).body.endswith("原因：近两年纳税记录不足")


def test_a_withdrawn_application_shows_the_bank_nothing_authorised(client, two_banks, firm):
    application = two_banks["dl"]
    applications.withdraw(application.pk, firm, firm.user)
    client.force_login(banker("大连银行"))
    html = client.get(f"/admin/loan-applications/inspect/{application.pk}/").content.decode()
    assert "企业已撤回申请并撤销授权" in html and "72.50 分" not in html and "13912345678" not in html
    assert 'name="step"' not in html


def test_totals_per_bank_and_product_with_xlsx(client, two_banks):
    admin = make_staff("root", superuser=True)
    applications.decide(two_banks["dl"].pk, admin, "accept")
    applications.decide(two_banks["dl"].pk, admin, "review")
    applications.decide(two_banks["dl"].pk, admin, "disburse", amount=Decimal("250"))
    applications.decide(two_banks["dl2"].pk, admin, "reject", reason="额度不足")

    client.force_login(admin)
    response = client.get("/admin/loan-application-totals/")
    rows = {(row["bank__name"], row["product_title"]): row for row in response.context["object_list"]}
    assert set(rows) == {("大连银行", "创新积分贷"), ("大连银行", "积分领跑贷"), ("招商银行", "科创贷")}
    assert rows[("大连银行", "创新积分贷")]["disbursed"] == 1
    assert rows[("大连银行", "创新积分贷")]["disbursed_amount"] == Decimal("250")
    assert rows[("大连银行", "积分领跑贷")]["rejected"] == 1
    assert rows[("招商银行", "科创贷")]["in_progress"] == 1
    assert response.context["grand_total"]["applied_amount"] == Decimal("1220")
    html = response.content.decode()  # the cells as the page writes them (portal.core.admin.LeanTable)
    assert "<td>大连银行</td><td>创新积分贷</td>" in html and "<td>250.00</td>" in html

    from openpyxl import load_workbook

    export = client.get("/admin/loan-application-totals/?export=xlsx")
    sheet = list(
        load_workbook(
            BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
        ).active.values
    )
    assert sheet[0] == (
        "银行",
        "产品",
        "申请笔数",
        "办理中",
        "已放款笔数",
        "未通过",
        "已撤回",
        "申请金额（万元）",
        "放款金额（万元）",
    )
    assert sheet[-1][:3] == ("合计", None, 3) or sheet[-1][:3] == ("合计", "", 3)

    cmb = Bank.objects.get(name="招商银行")
    response = client.get(f"/admin/loan-application-totals/?bank={cmb.pk}&submitted_at_from=2000-01-01")
    assert [row["product_title"] for row in response.context["object_list"]] == ["科创贷"]
    response = client.get("/admin/loan-application-totals/?submitted_at_to=2000-01-01")
    assert list(response.context["object_list"]) == [] and "暂无融资申请。" in response.content.decode()

    client.force_login(banker("招商银行"))
    response = client.get("/admin/loan-application-totals/")
    assert [row["bank__name"] for row in response.context["object_list"]] == ["招商银行"]
    assert response.context["grand_total"]["applications"] == 1


def menu_labels(user):
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    labels = []
    for item in admin_menu.menu_items_for_request(request):
        labels.append(item.label)
        labels += [
            sub.label for sub in getattr(getattr(item, "menu", None), "menu_items_for_request", lambda r: [])(request)
        ]
    return labels


def test_the_finance_menu_shows_each_role_its_screens(two_banks):
    from portal.core import roles

    labels = menu_labels(banker("大连银行"))
    assert {"金融超市", "融资申请", "申请统计"} <= set(labels) and "银行" not in labels
    labels = menu_labels(make_staff("editor1", roles.CONTENT_EDITOR))
    assert "银行" in labels and "融资申请" not in labels and "申请统计" not in labels
    assert LoanApplication.objects.count() == 3


def test_bank_staff_edit_their_own_products_in_the_admin_and_no_others(client, catalogue):
    _, _, products = catalogue
    client.force_login(banker("大连银行"))
    response = client.get(f"/admin/pages/{products['loan'].pk}/edit/")
    assert response.status_code == 200 and "积分梯队要求" in response.content.decode()
    assert client.get(f"/admin/pages/{products['open'].pk}/edit/").status_code in (302, 403)
    # The product's preview renders without a visitor's match (the editor is staff, not an enterprise).
    preview = products["loan"].make_preview_request()
    assert preview.status_code == 200 and "在线申请</a>" not in preview.content.decode()


def test_scoring_admins_see_every_banks_totals_but_no_application(client, two_banks):
    from portal.core import roles

    zone = make_staff("zone", roles.SCORING_ADMIN)
    client.force_login(zone)
    response = client.get("/admin/loan-application-totals/")
    rows = {(row["bank__name"], row["product_title"]) for row in response.context["object_list"]}
    assert rows == {("大连银行", "创新积分贷"), ("大连银行", "积分领跑贷"), ("招商银行", "科创贷")}
    assert client.get("/admin/loan-applications/").status_code in (302, 403)
    assert client.get(f"/admin/loan-applications/inspect/{two_banks['dl'].pk}/").status_code in (302, 403, 404)


def totals_rows(response):
    return {(row["bank__name"], row["product_title"]): row for row in response.context["object_list"]}


def test_totals_are_kept_until_an_application_a_bank_or_the_rights_change(
        client, two_banks, django_assert_num_queries, django_capture_on_commit_callbacks):
    staff = banker("大连银行")
    client.force_login(staff)
    client.get("/admin/loan-application-totals/")
    # The session and the account (the tests keep sessions in the database); the rows, 合计 and
    # page count are kept.
    with django_assert_num_queries(2):
        response = client.get("/admin/loan-application-totals/")
    assert totals_rows(response)[("大连银行", "创新积分贷")]["in_progress"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        applications.decide(two_banks["dl"].pk, staff, "reject", reason="额度不足")
    response = client.get("/admin/loan-application-totals/")
    row = totals_rows(response)[("大连银行", "创新积分贷")]
    assert (row["in_progress"], row["rejected"]) == (0, 1)
    assert response.context["grand_total"]["rejected"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        bank = Bank.objects.get(name="大连银行")
        bank.name = "大连银行股份有限公司"
        bank.save()
    assert {bank for bank, _ in totals_rows(client.get("/admin/loan-application-totals/"))} == {"大连银行股份有限公司"}

    # The same account, now in 招商银行's group too: the scope reads the groups in its SQL.
    with django_capture_on_commit_callbacks(execute=True):
        staff.groups.add(Bank.objects.get(name="招商银行").staff_group)
    banks = {bank for bank, _ in totals_rows(client.get("/admin/loan-application-totals/"))}
    assert banks == {"大连银行股份有限公司", "招商银行"}


def test_another_banks_staff_never_get_the_totals_kept_for_this_one(client, two_banks):
    client.force_login(banker("大连银行"))
    client.get("/admin/loan-application-totals/")
    client.force_login(banker("招商银行"))
    response = client.get("/admin/loan-application-totals/")
    assert set(totals_rows(response)) == {("招商银行", "科创贷")}
    assert response.context["grand_total"]["applications"] == 1


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
APPLICATIONS = st.lists(
    st.tuples(st.sampled_from(["大连银行", "招商银行"]),
              st.sampled_from(["创新积分贷", "科创贷", "积分领跑贷（二期）"]),
              st.sampled_from(list(LoanApplication.Status)), AMOUNTS, AMOUNTS),
    max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=APPLICATIONS)
def test_each_row_and_the_grand_total_add_up_the_applications_they_stand_for(client, catalogue, made):
    """Whatever applications there are (any bank, product, status and amount up to 99,999,999.99
    万元), each row counts and adds up exactly its bank's and product's, and 合计 all of them."""
    firm = make_enterprise()
    banks = {bank.name: bank for bank in Bank.objects.all()}
    created = [
        LoanApplication.objects.create(
            enterprise=firm, bank=banks[bank], product=None, product_title=title, enterprise_name="某企业",
            credit_code=firm.credit_code, amount=amount, term_months=12, purpose="研发", contact_name="王工",
            contact_phone="13912345678", authorised_at=timezone.now(), authorisation_text="授权",
            status=status, disbursed_amount=disbursed if status == S.DISBURSED else None)
        for bank, title, status, amount, disbursed in made
    ]
    client.force_login(make_staff(f"root{firm.pk}", superuser=True))
    response = client.get("/admin/loan-application-totals/")

    def expected(rows):
        return {
            "applications": len(rows),
            "in_progress": sum(1 for r in rows if r[2] in LoanApplication.OPEN_STATUSES),
            "disbursed": sum(1 for r in rows if r[2] == S.DISBURSED),
            "rejected": sum(1 for r in rows if r[2] == S.REJECTED),
            "withdrawn": sum(1 for r in rows if r[2] == S.WITHDRAWN),
            "applied_amount": sum((r[3] for r in rows), Decimal("0")),
            "disbursed_amount": sum((r[4] for r in rows if r[2] == S.DISBURSED), Decimal("0")),
        }

    groups = {(bank, title) for bank, title, *_ in made}
    assert totals_rows(response) == {
        group: {"bank__name": group[0], "product_title": group[1],
                **expected([r for r in made if (r[0], r[1]) == group])}
        for group in groups}
    assert response.context["grand_total"] == expected(made)
    for application in created:
        application.delete()


def test_a_banks_list_page_seen_before_is_not_read_again_until_an_application_changes(
        client, two_banks, django_capture_on_commit_callbacks):
    """The page of applications comes from the worker's memo while nothing it shows changes
    (portal.core.admin.KnownPage); a decision, or another bank's list, is never one of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = banker("大连银行")

    def page(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/admin/loan-applications/").content.decode()
        return html, any("finance_products_loanapplication" in q["sql"] for q in captured.captured_queries)

    def body(html):
        return html[html.index("<tbody>"):html.index("</tbody>")]

    first, read = page(staff)
    assert read and first.count('<td class="title">') == 2
    again, read = page(staff)
    assert body(again) == body(first) and not read
    with django_capture_on_commit_callbacks(execute=True):
        applications.decide(two_banks["dl"].pk, staff, "accept")
    html, read = page(staff)
    assert read and "已受理" in html
    other, _ = page(banker("招商银行"))
    assert other.count('<td class="title">') == 1 and "科创贷" in other and "创新积分贷" not in other

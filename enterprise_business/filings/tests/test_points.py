import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprise_business.filings import forms
from enterprise_business.filings.services import points
from enterprise_business.imports.torch import TorchImport
from enterprise_business.models import BasicInfo, Batch, Enterprise, PointsFiling, TorchRecord
from enterprise_business.tests.factories import (
    PDF,
    approved_enterprise,
    complete,
    make_batch,
    make_enterprise,
    make_reviewer,
    make_staff,
    pdf,
)
from enterprise_business.tests.helpers import png_bytes
from portal.core import generations
from portal.core.models import PrivateFile
from portal.core.workflow import TransitionError

pytestmark = pytest.mark.django_db

@pytest.fixture
def enterprise():
    return approved_enterprise()


@pytest.fixture
def batch():
    return make_batch()


@pytest.fixture
def owner(client, enterprise):
    client.force_login(enterprise.user)
    return client


def url(batch):
    return f"/enterprise/filings/{batch.pk}/"


def filing_of(enterprise, batch):
    return PointsFiling.objects.get(enterprise=enterprise, batch=batch)


@pytest.mark.parametrize("year,this,last", [(2025, "2025", "2024"), (2021, "2021", "2020")])
def test_year_labels_follow_the_batch(owner, year, this, last):
    html = owner.get(url(make_batch(year))).content.decode()
    for label in (f"{this}年初所有者权益", f"{this}年末所有者权益", f"{this}年研发费用", f"{last}年研发费用",
                  f"{this}年营业收入", f"{last}年营业收入", f"{this}年企业实际上缴税费总额",
                  f"企业{this}年研发费用加计扣除所得税减免额", f"{this}年所得税纳税申报表或审计报告",
                  f"{last}年所得税纳税申报表或审计报告", f"{this}年审计报告（可选）", f"{this}年12月社保人数",
                  f"{last}年12月社保人数证明文件"):
        assert f">{label}</label>" in html, label
    for section in ("联系人信息", "企业经营信息", "企业人员信息"):
        assert f"<legend>{section}</legend>" in html


def test_template_links_come_from_the_batch(owner, batch):
    from home.tests.factories import make_document

    batch.social_security_template = make_document(title="社保证明文件模板")
    batch.staff_template = make_document(title="企业人员证明文件模板")
    batch.save()
    html = owner.get(url(batch)).content.decode()
    assert html.count(">社保证明文件模板下载</a>") == 2 and ">企业人员证明文件模板下载</a>" in html


def test_a_complete_submission(owner, enterprise, batch):
    response = owner.post(url(batch), {**complete(), "submit": ""})
    assert response.status_code == 302
    filing = filing_of(enterprise, batch)
    assert filing.status == "submitted" and filing.equity_end == Decimal("960.50") and filing.staff_total == 50
    assert filing.balance_sheet.original_name == "资产负债表.pdf"
    assert filing.balance_sheet.file.name.startswith("proofs/") and "资产负债表" not in filing.balance_sheet.file.name


@pytest.mark.parametrize("field,value,message", [
    ("revenue", "-1", "不能为负数"),
    ("revenue", "12.345", "最多两位小数"),
    ("revenue", "很多", "请输入数字"),
    ("staff_total", "3.5", "请输入整数"),
    ("rd_staff", "60", "不能超过期末人员总数"),
    ("graduates_hired", "51", "不能超过期末人员总数"),
    ("postgraduate_count", "40", "之和不能超过期末人员总数"),
    ("filler_phone", "12345", "手机号码"),
    ("filler_name", "", "请填写“填报联系人”"),
    ("balance_sheet", None, "请上传“资产负债表”"),
])
def test_each_check_is_reported_at_its_field(owner, enterprise, batch, field, value, message):
    data = complete(**{field: value})
    if value is None:
        data.pop(field, None)
    response = owner.post(url(batch), {**data, "submit": ""})
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not PointsFiling.objects.filter(enterprise=enterprise, batch=batch).exists()


def test_a_refused_submit_keeps_values_and_uploads(owner, enterprise, batch):
    first = owner.post(url(batch), {**complete(rd_staff="99"), "submit": ""})
    html = first.content.decode()
    assert 'value="2100"' in html and "已上传：" in html and "资产负债表.pdf" in html
    form = first.context["form"]
    kept = {f"{name}__kept": form.kept_token(name) for name in forms.BUSINESS_FILES + forms.STAFF_FILES
            if form.kept_token(name)}
    data = {k: v for k, v in complete(rd_staff="15").items() if not hasattr(v, "read")}
    response = owner.post(url(batch), {**data, **kept, "submit": ""})
    assert response.status_code == 302
    assert filing_of(enterprise, batch).balance_sheet.original_name == "资产负债表.pdf"


def test_draft_saves_partial_data(owner, enterprise, batch):
    assert owner.post(url(batch), {"filler_name": "王工", "revenue": "100", "save": ""}).status_code == 302
    filing = filing_of(enterprise, batch)
    assert filing.status == "draft" and filing.revenue == Decimal("100")


def test_torch_figures_are_imported_and_locked(owner, enterprise, batch):
    for year, revenue in ((2025, 6120), (2024, 5230)):
        TorchRecord.objects.create(credit_code=enterprise.credit_code, year=year, equity_begin=1, equity_end=2,
                                   rd_expense=3, revenue=revenue, tax_paid=4, rd_tax_deduction=5)
    html = owner.get(url(batch)).content.decode()
    assert "已从火炬统计数据导入，无需填报" in html and 'name="revenue"' not in html and "6120" in html
    data = {k: v for k, v in complete(revenue="1", balance_sheet=None).items()}
    owner.post(url(batch), {**data, "submit": ""})
    filing = filing_of(enterprise, batch)
    assert filing.status == "submitted" and filing.torch_imported
    assert filing.revenue == Decimal("6120") and filing.revenue_prev == Decimal("5230")


@pytest.mark.parametrize("name,content,message", [
    ("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "不符"),
    ("page.pdf", b"<html><script>alert(1)</script></html>", "不符"),
    ("image.pdf", png_bytes(), "不符"),
    ("cut.png", png_bytes()[:60], "损坏"),
    ("empty.pdf", b"", "空"),
    ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "不能超过10M"),
    ("script.exe", b"MZ", "PDF、JPG或PNG"),
])
def test_uploads_are_checked_by_content(owner, enterprise, batch, name, content, message):
    response = owner.post(url(batch), {**complete(balance_sheet=pdf(name, content)), "submit": ""})
    assert message in " ".join(response.context["form"].errors["balance_sheet"])
    assert not PrivateFile.objects.filter(original_name=name).exists()


def test_hostile_names_are_stored_under_random_names(owner, enterprise, batch):
    owner.post(url(batch), {**complete(balance_sheet=pdf("../../etc/passwd.pdf")), "submit": ""})
    proof = filing_of(enterprise, batch).balance_sheet
    assert ".." not in proof.file.name and proof.file.name.startswith("proofs/")


def test_proofs_are_private_to_their_enterprise_and_reviewers(client, owner, enterprise, batch):
    owner.post(url(batch), {**complete(), "submit": ""})
    proof = filing_of(enterprise, batch).balance_sheet
    own = owner.get(f"/enterprise/files/{proof.pk}/")
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    assert own["Content-Disposition"].startswith("attachment") and own["X-Content-Type-Options"] == "nosniff"
    other = approved_enterprise()
    client.force_login(other.user)
    assert client.get(f"/enterprise/files/{proof.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/enterprise/files/{proof.pk}/").status_code == 404
    client.force_login(make_staff("bank", "金融机构"))
    assert client.get(f"/enterprise/files/{proof.pk}/").status_code == 404
    client.force_login(make_reviewer())
    assert client.get(f"/enterprise/files/{proof.pk}/").status_code == 200


def test_another_enterprise_cannot_use_a_kept_file_token(client, owner, enterprise, batch):
    first = owner.post(url(batch), {**complete(rd_staff="99"), "submit": ""})
    token = first.context["form"].kept_token("balance_sheet")
    other = approved_enterprise()
    client.force_login(other.user)
    data = {k: v for k, v in complete().items() if k != "balance_sheet"}
    client.post(url(batch), {**data, "balance_sheet__kept": token, "submit": ""})
    assert not PointsFiling.objects.filter(enterprise=other, balance_sheet__isnull=False).exists()


def test_nothing_can_be_changed_outside_the_batch_dates(owner, enterprise):
    closed = make_batch(2024, open_=False)
    html = owner.get(url(closed)).content.decode()
    assert ">提交</button>" not in html
    owner.post(url(closed), {**complete(), "submit": ""})
    assert not PointsFiling.objects.filter(enterprise=enterprise, batch=closed).exists()


def test_submitted_filing_is_read_only_until_returned(owner, enterprise, batch):
    owner.post(url(batch), {**complete(), "submit": ""})
    owner.post(url(batch), {**complete(revenue="1"), "save": ""})
    assert filing_of(enterprise, batch).revenue == Decimal("2100")


def test_history_shows_the_file_of_each_version(owner, enterprise, batch):
    owner.post(url(batch), {**complete(balance_sheet=pdf("第一版.pdf")), "submit": ""})
    points.send_back(filing_of(enterprise, batch).pk, make_reviewer(), "资产负债表不清晰")
    owner.post(url(batch), {**complete(balance_sheet=pdf("第二版.pdf")), "submit": ""})
    html = owner.get(f"{url(batch)}history/").content.decode()
    assert html.index("第一版.pdf") < html.index("资产负债表不清晰") < html.index("第二版.pdf")


def test_points_need_an_approved_basic_info(client, batch):
    enterprise = make_enterprise()
    client.force_login(enterprise.user)
    response = client.get(url(batch))
    assert response.status_code == 302 and response["Location"] == "/enterprise/filings/"
    assert "请先完成企业基本信息填报并通过审核" in client.get("/enterprise/filings/").content.decode()


def test_filings_list_shows_open_and_closed_batches(owner, enterprise, batch):
    closed = make_batch(2024, open_=False)
    html = owner.get("/enterprise/filings/").content.decode()
    assert f'href="/enterprise/filings/{batch.pk}/">填报' in html
    assert f'href="/enterprise/filings/{closed.pk}/">查看' in html


def test_reviewer_sees_values_flags_and_decides(client, owner, enterprise, batch):
    TorchRecord.objects.create(credit_code=enterprise.credit_code, year=2024, equity_begin=1, equity_end=2,
                               rd_expense=3, revenue=9, tax_paid=4, rd_tax_deduction=5)
    owner.post(url(batch), {**complete(revenue="9000"), "submit": ""})
    filing = filing_of(enterprise, batch)
    client.force_login(make_reviewer())
    listing = client.get("/admin/points/", {"batch": batch.pk, "status": "submitted"}).content.decode()
    assert enterprise.name in listing
    response = client.get(f"/admin/points/inspect/{filing.pk}/")
    page = response.content.decode()
    assert "较上年（1800.00）变化超过3倍" in page and "资产负债表.pdf" in page
    # The page lays the filing out itself: Wagtail's list of every field is not built for it.
    assert response.context["fields"] == []
    assert client.get(f"/admin/points/inspect/{filing.pk + 1000}/").status_code == 404
    client.post(f"/admin/points/decide/{filing.pk}/", {"decision": "approve"})
    assert filing_of(enterprise, batch).status == "approved"
    export = client.get("/admin/points/", {"export": "xlsx"})
    assert export.status_code == 200


def test_reviewer_queue_renders_in_a_fixed_number_of_queries(client, batch):
    client.force_login(make_reviewer())

    def queries():
        # The worker's copies of the generations too (as conftest does between tests): a copy
        # still current for the warm-up request and stale for the counted one changed the count.
        cache.clear()
        generations.forget_all()
        # Once first: the minute's session write (portal.core.sessions), and the sidebar, built
        # again after the new accounts (portal.core.sidebar), are not the listing's queries.
        client.get("/admin/points/", {"batch": batch.pk})
        with CaptureQueriesContext(connection) as context:
            assert client.get("/admin/points/", {"batch": batch.pk}).status_code == 200
        return len(context.captured_queries)

    for _ in range(3):
        PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted")
    few = queries()
    for _ in range(20):
        PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted")
    assert queries() == few <= 10


def test_reviewer_queue_rows_are_written_once_until_a_row_they_show_changes(client, batch, monkeypatch):
    """The queue's rows come from the worker's memo (portal.core.admin.LeanListing.memo_rows)
    while nothing they show changes: a rename through the ORM, or a change another worker made
    (its shared generation replaced, this worker's copy not), shows on the very next request."""
    from portal.core import admin as lean
    from portal.core.generations import rows_of

    company = approved_enterprise()
    company.name = "甲科技有限公司"
    company.save()
    PointsFiling.objects.create(enterprise=company, batch=batch, status="submitted", submitted_at=timezone.now())
    client.force_login(make_reviewer())
    written = []
    render = lean.LeanTitleColumn.render_cell_html
    monkeypatch.setattr(lean.LeanTitleColumn, "render_cell_html",
                        lambda self, *args: written.append(1) or render(self, *args))

    def page():
        return client.get("/admin/points/", {"batch": batch.pk}).content.decode()

    assert "甲科技有限公司" in page() and len(written) == 1
    assert "甲科技有限公司" in page() and len(written) == 1  # the row from the memo
    company.name = "乙科技有限公司"
    company.save()
    assert "乙科技有限公司" in page() and len(written) == 2
    Enterprise.objects.filter(pk=company.pk).update(name="丙科技有限公司")
    cache.set(rows_of("enterprise_business.Enterprise").key, "another worker's change", None)
    assert "丙科技有限公司" in page() and len(written) == 3


def test_a_queue_page_seen_before_is_not_read_again_until_a_row_changes(client, batch):
    """A page of the queue is read from the database once per filters, order, page and change
    (portal.core.admin.KnownPage): again the same, it comes from the worker's memo; a filing
    submitted, or a change made through another worker, shows on the very next request."""
    from portal.core.generations import rows_of

    for _ in range(2):
        PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                    submitted_at=timezone.now())
    client.force_login(make_reviewer())

    def page(**params):
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/admin/points/", {"batch": batch.pk, **params}).content.decode()
        return html, [q["sql"] for q in captured.captured_queries if "enterprise_business_pointsfiling" in q["sql"]]

    def body(html):
        return html[html.index("<tbody>"):html.index("</tbody>")]

    first, _ = page()
    again, read = page()
    assert body(again) == body(first) and first.count('<td class="title">') == 2 and not read
    newest = approved_enterprise()
    PointsFiling.objects.create(enterprise=newest, batch=batch, status="submitted", submitted_at=timezone.now())
    html, read = page()
    assert html.count('<td class="title">') == 3 and newest.name in html and read
    sorted_, read = page(ordering="submitted_at")
    assert read and sorted_.rindex('<td class="title">') < sorted_.index(newest.name)  # oldest first: last
    Enterprise.objects.filter(pk=newest.pk).update(name="丁科技有限公司")
    cache.set(rows_of("enterprise_business.Enterprise").key, "another worker's change", None)
    assert "丁科技有限公司" in page()[0]


def test_reviewer_queue_keeps_filters_search_sorting_and_escapes_names(client, batch):
    """The queue's cells are written in Python (portal.core.admin.LeanListing): the same rows,
    links, filters, search and sorting as Wagtail's listing, and text escaped as a template does."""
    other = make_batch(2024, open_=False)
    hostile = approved_enterprise()
    hostile.name = '<script>alert("x")</script>有限公司'
    hostile.save()
    quiet = approved_enterprise()
    now = timezone.now()
    mine = PointsFiling.objects.create(enterprise=hostile, batch=batch, status="submitted", torch_imported=True,
                                       submitted_at=now)
    PointsFiling.objects.create(enterprise=quiet, batch=batch, status="approved", submitted_at=now - timedelta(days=1))
    PointsFiling.objects.create(enterprise=quiet, batch=other, status="submitted", submitted_at=now)
    client.force_login(make_reviewer())

    def rows(**params):
        html = client.get("/admin/points/", params).content.decode()
        return html, html.count('<td class="title">')

    html, count = rows(batch=batch.pk)
    assert count == 2 and "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert f'<a href="/admin/points/inspect/{mine.pk}/">' in html and '<span class="w-sr-only">是</span>' in html
    assert 'ordering=submitted_at"' in html  # sortable headers
    assert rows(batch=batch.pk, status="approved")[1] == 1
    assert rows(q=quiet.credit_code)[1] == 2
    older = PointsFiling.objects.get(enterprise=quiet, batch=batch)

    def first_row(**params):
        html = rows(batch=batch.pk, **params)[0]
        return min((html.index(f"/admin/points/inspect/{f.pk}/"), f) for f in (mine, older))[1]

    assert first_row() == mine and first_row(ordering="submitted_at") == older
    assert client.get("/admin/points/", {"batch": batch.pk, "export": "csv"}).status_code == 200


def test_torch_import_all_or_nothing():
    header = ",".join(column.header for column in TorchImport.columns)
    good = "91350100M000100Y43,2025,1,2,3,4,5,6"
    bad = "91350100M000100Y43,1890,1,2,3,4,5,6"
    refused = TorchImport().run(ContentFile(f"{header}\n{good}\n{bad}\n".encode(), name="torch.csv"))
    assert [n for n, _ in refused.errors] == [3] and not TorchRecord.objects.exists()
    same_code_other_year = "91350100M000100Y43,2024,1,2,3,4,5,6"
    loaded = TorchImport().run(ContentFile(f"{header}\n{good}\n{same_code_other_year}\n".encode(), name="t.csv"))
    assert loaded.ok and loaded.added == 2


def test_scoring_admins_create_batches_with_document_choosers(client):
    from portal.core import roles

    admin = make_staff("scorer", roles.SCORING_ADMIN)
    client.force_login(admin)
    page = client.get("/admin/batches/new/")
    html = page.content.decode()
    assert page.status_code == 200 and "社保证明文件模板" in html and "指标说明文件" in html
    response = client.post("/admin/batches/new/", {
        "name": "2026年度创新积分数据填报", "data_year": "2026", "opens_on": "2027-06-01", "closes_on": "2027-07-15",
    })
    assert response.status_code == 302 and Batch.objects.filter(data_year=2026).exists()
    client.force_login(make_reviewer())
    assert client.get("/admin/batches/new/").status_code in (302, 403)


def test_a_decompression_bomb_image_is_refused(owner, enterprise, batch):
    from PIL import Image

    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    response = owner.post(url(batch), {**complete(balance_sheet=pdf("bomb.png", bomb.getvalue())), "submit": ""})
    assert response.context["form"].errors["balance_sheet"]


def test_opening_a_filing_page_writes_nothing(owner, enterprise, batch):
    owner.get(url(batch))
    owner.get("/enterprise/basic-info/")
    assert not PointsFiling.objects.filter(enterprise=enterprise).exists()
    assert BasicInfo.objects.filter(enterprise=enterprise).count() == 1  # the approved one made by the fixture


def test_first_drafts_stay_out_of_the_review_queue(owner, enterprise, batch):
    from django.test import Client

    reviewer = Client()
    reviewer.force_login(make_reviewer())
    owner.post(url(batch), {"filler_name": "王工", "save": ""})
    assert enterprise.name not in reviewer.get("/admin/points/").content.decode()
    owner.post(url(batch), {**complete(), "submit": ""})
    assert enterprise.name in reviewer.get("/admin/points/").content.decode()


def test_an_approved_filing_is_sent_back_for_correction_even_after_the_close_date(client, owner, enterprise, batch):
    owner.post(url(batch), {**complete(revenue="2100"), "submit": ""})
    filing = filing_of(enterprise, batch)
    reviewer = make_reviewer()
    points.approve(filing.pk, reviewer)
    Batch.objects.filter(pk=batch.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(TransitionError, match="退回时必须填写退回原因"):
        points.reopen(filing.pk, reviewer, " ")
    client.force_login(reviewer)
    client.post(f"/admin/points/decide/{filing.pk}/", {"decision": "reopen", "reason": "营业收入与审计报告不符。"})
    filing.refresh_from_db()
    assert filing.status == "returned" and filing.return_reason == "营业收入与审计报告不符。"
    assert filing.approved_snapshot["revenue"] == "2100.00", "the approved version still counts"

    owner.force_login(enterprise.user)
    html = owner.get(url(batch)).content.decode()
    assert "营业收入与审计报告不符。" in html and 'name="revenue"' in html and "disabled" not in html.split(
        'name="revenue"')[1][:80]
    data = {k: v for k, v in complete(revenue="1900").items() if k not in (forms.BUSINESS_FILES + forms.STAFF_FILES)}
    owner.post(url(batch), {**data, "submit": ""})
    filing.refresh_from_db()
    assert filing.status == "submitted" and filing.revenue == Decimal("1900")
    points.approve(filing.pk, reviewer)
    filing.refresh_from_db()
    assert filing.approved_snapshot["revenue"] == "1900.00"
    owner.post(url(batch), {**data, "save": ""})
    assert filing_of(enterprise, batch).status == "approved", "after the close date only a returned filing opens"

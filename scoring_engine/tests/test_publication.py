"""Publication: compare with the previous run, 发布公示 with dates, one published run per batch,
正式发布, the scheme frozen, notifications, the objection flow and the XLSX export."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprise_business.tests.factories import make_enterprise, make_staff
from portal.core import roles
from portal.core.jobs import Job
from portal.core.models import Message, SmsMessage
from scoring_engine import publication
from scoring_engine.models import CalculationRun, EnterpriseResult, FrozenSchemeError
from scoring_engine.objection_models import ScoreObjection
from scoring_engine.tests.results_factories import make_batch, make_run

pytestmark = pytest.mark.django_db
S = CalculationRun.Status


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def enterprises():
    return [make_enterprise() for _ in range(6)]


@pytest.fixture
def scoring_admin():
    # The role as roles.py grants it: run_calculation is also what publishes and answers objections.
    return make_staff("jifen", roles.SCORING_ADMIN)


@pytest.fixture
def today():
    return timezone.localdate()


# ---- the service -----------------------------------------------------------------------------


def test_publish_puts_a_calculated_run_to_publicity_and_notifies(
    enterprises, scoring_admin, today, django_capture_on_commit_callbacks
):
    run = make_run(make_batch(), enterprises)
    with django_capture_on_commit_callbacks(execute=True):  # enterprises are told once it is committed
        publication.publish(run, scoring_admin, today, today + timedelta(days=6), top_n=3)
    run.refresh_from_db()
    assert run.status == S.PUBLICITY
    assert (run.publicity_starts_on, run.publicity_ends_on) == (today, today + timedelta(days=6))
    assert run.published_by == scoring_admin and run.published_at is not None
    assert run.ranking_top_n == 3 and run.ranking_top_percent is None
    assert Message.objects.filter(title__contains="积分结果公示", link="/enterprise/results/").count() == 6
    assert SmsMessage.objects.filter(text__contains="积分结果公示").count() == 6


@pytest.mark.parametrize(
    ("starts", "ends", "top_n", "top_percent", "message"),
    [
        (-1, 5, 3, None, "不能早于今天"),
        (3, 2, 3, None, "结束日期不能早于开始日期"),
        (0, 5, None, None, "榜单企业数或榜单比例"),
        (0, 5, 3, Decimal("10"), "只能填写其中一项"),
        (0, 5, None, Decimal("120"), "不超过100"),
    ],
)
def test_publish_refuses_bad_dates_and_ranking_settings(
    enterprises, scoring_admin, today, starts, ends, top_n, top_percent, message
):
    run = make_run(make_batch(), enterprises)
    with pytest.raises(publication.PublicationError, match=message):
        publication.publish(
            run,
            scoring_admin,
            today + timedelta(days=starts),
            today + timedelta(days=ends),
            top_n=top_n,
            top_percent=top_percent,
        )
    run.refresh_from_db()
    assert run.status == S.CALCULATED
    assert not Message.objects.exists()


@pytest.mark.parametrize("status", [S.PUBLICITY, S.FINAL, S.SUPERSEDED, S.FAILED, S.RUNNING])
def test_only_a_calculated_run_can_be_published(enterprises, scoring_admin, today, status):
    run = make_run(make_batch(), enterprises, status=status)
    with pytest.raises(publication.PublicationError, match="只有“待发布”的计算可以发布公示"):
        publication.publish(run, scoring_admin, today, today, top_n=3)


def test_a_newer_publication_supersedes_the_older_one_of_the_same_batch_only(enterprises, scoring_admin, today):
    batch, other_batch = make_batch(2024), make_batch(2023)
    old = make_run(batch, enterprises, status=S.FINAL)
    elsewhere = make_run(other_batch, enterprises, status=S.FINAL)
    new = make_run(batch, enterprises)
    publication.publish(new, scoring_admin, today, today + timedelta(days=5), top_percent=Decimal("20"))
    old.refresh_from_db()
    elsewhere.refresh_from_db()
    assert old.status == S.SUPERSEDED
    assert elsewhere.status == S.FINAL
    assert CalculationRun.objects.filter(batch=batch, status__in=publication.PUBLISHED).count() == 1


def test_a_published_scheme_is_frozen(enterprises, scoring_admin, today):
    run = make_run(make_batch(), enterprises)
    scheme = run.scheme
    assert not scheme.is_frozen
    publication.publish(run, scoring_admin, today, today + timedelta(days=5), top_n=3)
    scheme.refresh_from_db()
    assert scheme.is_frozen
    scheme.name = "改名"
    with pytest.raises(FrozenSchemeError):
        scheme.save()


def test_a_scheme_stays_frozen_when_its_published_run_is_superseded(enterprises, scoring_admin, today):
    batch = make_batch()
    first = make_run(batch, enterprises)
    publication.publish(first, scoring_admin, today, today + timedelta(days=5), top_n=3)
    CalculationRun.objects.filter(pk=first.pk).update(status=S.SUPERSEDED)
    scheme = first.scheme
    scheme.refresh_from_db()
    assert scheme.is_frozen


def test_finalise_only_after_publicity_or_with_an_explicit_confirmation(
    enterprises, scoring_admin, today, django_capture_on_commit_callbacks
):
    run = make_run(make_batch(), enterprises, status=S.PUBLICITY, publicity_days=(0, 5))
    with pytest.raises(publication.PublicationError, match="公示期到.*才结束"):
        publication.finalise(run, scoring_admin)
    with django_capture_on_commit_callbacks(execute=True):
        publication.finalise(run, scoring_admin, early=True)
    run.refresh_from_db()
    assert run.status == S.FINAL and run.finalised_at is not None
    assert Message.objects.filter(title__contains="正式发布").count() == 6
    ended = make_run(make_batch(2023), enterprises, status=S.PUBLICITY, publicity_days=(-8, -1))
    publication.finalise(ended, scoring_admin)
    assert CalculationRun.objects.get(pk=ended.pk).status == S.FINAL
    with pytest.raises(publication.PublicationError, match="只有“公示中”的计算可以正式发布"):
        publication.finalise(ended, scoring_admin)


def test_compare_lists_who_moved_and_why(enterprises, scoring_admin):
    batch = make_batch()
    before = make_run(batch, enterprises[:5], status=S.FINAL)
    # The first enterprise loses 10 points on every indicator's share and falls behind three
    # others; the sixth enterprise is new, and the fifth left.
    after = make_run(batch, [*enterprises[:4], enterprises[5]], shift=10)
    assert publication.previous_run(after) == before
    comparison = publication.compare(after, before)
    by_name = {row.name: row for row in comparison.rows}
    first = by_name[enterprises[0].name]
    assert first.kind == "变化"
    assert (first.old["rank"], first.new["rank"]) == (1, 4)
    assert first.rank_change == -3 and first.rank_change_text == "下降3位"
    assert first.indicators and all(c.old_points != c.new_points for c in first.indicators)
    assert any("得分" in reason for reason in first.reasons)
    assert by_name[enterprises[5].name].kind == "新增"
    assert by_name[enterprises[4].name].kind == "移出"
    assert comparison.counts["新增"] == 1 and comparison.counts["移出"] == 1
    assert by_name[enterprises[1].name].rank_change == 1  # moved up, its own data unchanged
    assert by_name[enterprises[1].name].indicators == []


# ---- the objection flow ----------------------------------------------------------------------


def test_objection_flow_raise_answer_notify_and_block_finalisation(client, enterprises, scoring_admin, today):
    run = make_run(make_batch(), enterprises)
    publication.publish(run, scoring_admin, today, today + timedelta(days=5), top_n=3)
    mine = EnterpriseResult.objects.get(run=run, enterprise=enterprises[1])
    theirs = EnterpriseResult.objects.get(run=run, enterprise=enterprises[2])
    with pytest.raises(publication.PublicationError, match="只能对本企业"):
        publication.raise_objection(theirs, enterprises[1], enterprises[1].user, "别人的")

    client.force_login(enterprises[1].user)
    response = client.post("/enterprise/results/", {"result": mine.pk, "objection-reason": "专利数少算了2件。"})
    assert response.status_code == 302
    objection = ScoreObjection.objects.get()
    assert objection.status == ScoreObjection.Status.PENDING and objection.asked_by == enterprises[1].user

    # Finalising waits for the answer.
    with pytest.raises(publication.PublicationError, match="还有1条积分异议未答复"):
        publication.finalise(run, scoring_admin, early=True)

    client.force_login(scoring_admin)
    page = text(client.get(f"/admin/scoring/objections/inspect/{objection.pk}/"))
    assert "专利数少算了2件。" in page and "答复并通知企业" in page
    listing = text(client.get("/admin/scoring/objections/"))
    assert enterprises[1].name in listing and "待处理" in listing
    response = client.post(f"/admin/scoring/objections/answer/{objection.pk}/", {"answer": " "}, follow=True)
    assert "请填写答复内容。" in text(response)
    client.post(f"/admin/scoring/objections/answer/{objection.pk}/", {"answer": "经核实，已更正并重新计算。"})
    objection.refresh_from_db()
    assert objection.status == ScoreObjection.Status.ANSWERED and objection.answered_by == scoring_admin
    assert Message.objects.filter(recipient=enterprises[1].user, title="积分异议答复").exists()
    assert SmsMessage.objects.filter(text__contains="经核实，已更正并重新计算。").count() == 1
    with pytest.raises(publication.TransitionError, match="已答复"):
        publication.answer_objection(objection.pk, scoring_admin, "再答一次")

    client.force_login(enterprises[1].user)
    page = text(client.get("/enterprise/results/"))
    assert "经核实，已更正并重新计算。" in page and "已答复" in page

    publication.finalise(run, scoring_admin, early=True)
    with pytest.raises(publication.PublicationError, match="不在公示期内"):
        publication.raise_objection(mine, enterprises[1], enterprises[1].user, "晚了")


def test_enterprises_and_staff_without_the_right_cannot_answer(client, enterprises, today):
    run = make_run(make_batch(), enterprises, status=S.PUBLICITY)
    result = EnterpriseResult.objects.get(run=run, enterprise=enterprises[0])
    objection = publication.raise_objection(result, enterprises[0], enterprises[0].user, "理由")
    client.force_login(make_staff("shenhe", roles.REVIEWER))
    assert client.post(f"/admin/scoring/objections/answer/{objection.pk}/", {"answer": "x"}).status_code in (302, 403)
    assert ScoreObjection.objects.get().status == ScoreObjection.Status.PENDING
    client.force_login(enterprises[0].user)
    client.post(f"/admin/scoring/objections/answer/{objection.pk}/", {"answer": "x"})
    assert ScoreObjection.objects.get().status == ScoreObjection.Status.PENDING


# ---- the admin screens -----------------------------------------------------------------------


def test_admin_compare_publish_and_finalise_screens(client, enterprises, scoring_admin, today):
    batch = make_batch()
    make_run(batch, enterprises, status=S.FINAL)
    run = make_run(batch, enterprises, shift=10)
    client.force_login(scoring_admin)
    listing = text(client.get("/admin/scoring/publication/"))
    assert batch.name in listing and "发布公示" in listing and "待发布" in listing
    compare = text(client.get(f"/admin/scoring/publication/{run.pk}/compare/"))
    assert enterprises[0].name in compare and "下降3位" in compare and "得分" in compare

    url = f"/admin/scoring/publication/{run.pk}/publish/"
    form = client.get(url)
    assert '<label class="w-field__label" for="id_starts_on">' in form.content.decode()
    response = client.post(
        url,
        {
            "starts_on": f"{today:%Y-%m-%d}",
            "ends_on": f"{today - timedelta(days=1):%Y-%m-%d}",
            "top_n": "3",
            "top_percent": "20",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "公示结束日期不能早于开始日期。" in page and "只能填写其中一项" in page
    response = client.post(
        url,
        {
            "starts_on": f"{today:%Y-%m-%d}",
            "ends_on": f"{today + timedelta(days=6):%Y-%m-%d}",
            "top_n": "",
            "top_percent": "50",
        },
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == S.PUBLICITY and run.ranking_top_percent == Decimal("50")

    finalise = f"/admin/scoring/publication/{run.pk}/finalise/"
    response = client.post(finalise, {})
    assert "如确需提前正式发布" in text(response)
    response = client.post(finalise, {"early": "on"})
    assert response.status_code == 302
    assert CalculationRun.objects.get(pk=run.pk).status == S.FINAL


def test_admin_screens_need_the_scoring_rights(client, enterprises):
    run = make_run(make_batch(), enterprises)
    client.force_login(make_staff("shenhe", roles.REVIEWER))
    for url in (
        "/admin/scoring/publication/",
        f"/admin/scoring/publication/{run.pk}/publish/",
        f"/admin/scoring/publication/{run.pk}/export/",
    ):
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"/admin/scoring/publication/{run.pk}/publish/", {}).status_code in (302, 403)
    assert CalculationRun.objects.get(pk=run.pk).status == S.CALCULATED


def test_xlsx_export_has_chinese_headers_and_every_indicator(client, enterprises, scoring_admin):
    run = make_run(make_batch(), enterprises, status=S.FINAL)
    client.force_login(scoring_admin)
    response = client.get(f"/admin/scoring/publication/{run.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book["积分结果"].iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:3] == ("总排名", "统一社会信用代码", "企业名称")
    for indicator in run.scheme.indicators.all():
        assert any(h.startswith(f"{indicator.name}（取值") for h in headers)
        assert f"{indicator.name}（得分）" in headers
    assert len(rows) == 1 + len(enterprises)
    assert rows[1][0] == 1 and rows[1][1] == enterprises[0].credit_code
    assert rows[1][headers.index("总积分")] == pytest.approx(float(EnterpriseResult.objects.get(run=run, rank=1).total))
    about = dict((r[0], r[1]) for r in book["说明"].iter_rows(values_only=True) if r and r[0])
    assert about["填报批次"] == run.batch.name


def test_a_larger_xlsx_export_is_a_job_whose_page_offers_the_workbook(client, enterprises, scoring_admin, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.JOBS_EXPORT_INLINE_ROWS = len(enterprises) - 1
    run = make_run(make_batch(), enterprises, status=S.FINAL)
    client.force_login(scoring_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/admin/scoring/publication/{run.pk}/export/")
    job = Job.objects.get(kind="scoring.export")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_name == f"{run.batch.name}积分结果（{run.started_at:%Y%m%d%H%M}）.xlsx"
    page = client.get(response.url).content.decode()
    assert f"已导出 {len(enterprises)} 家企业的积分结果。" in page and reverse("jobs:download", args=[job.pk]) in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert len(list(book["积分结果"].iter_rows(values_only=True))) == 1 + len(enterprises)


# ---- with the real engine --------------------------------------------------------------------


def test_end_to_end_with_real_runs(client, scoring_admin, today, django_capture_on_commit_callbacks):
    """Calculate, publish, object, correct the figure, recalculate, compare, publish again."""
    from enterprise_business.models import PointsFiling
    from scoring_engine.services import default_scheme, start_run
    from scoring_engine.tests import factories

    batch = factories.make_batch(2024)
    filings = [
        factories.make_scored_enterprise(batch, {"rd_expense": f"{50 + 40 * i}.00", "revenue": f"{2000 + 500 * i}.00"})
        for i in range(8)
    ]
    first = start_run(batch, default_scheme(batch), scoring_admin, background=False)
    assert first.status == S.CALCULATED
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish(first, scoring_admin, today, today + timedelta(days=5), top_n=5)

    low = filings[0]
    client.force_login(low.enterprise.user)
    page = text(client.get("/enterprise/results/"))
    assert "研发费用金额" in page and "50.00万元" in page  # the value the points came from
    assert "2024年研发费用" in page  # the rule in words, with the batch's year
    result = EnterpriseResult.objects.get(run=first, enterprise=low.enterprise)
    client.post("/enterprise/results/", {"result": result.pk, "objection-reason": "研发费用应为500万元。"})
    objection = ScoreObjection.objects.get()
    assert objection.result == result
    listed = re.findall(r'<th scope="row">([^<]+)</th>', Client().get("/ranking/").content.decode())
    assert len(listed) == 5 and low.enterprise.name not in listed

    # The reviewer's correction, as an approved snapshot, then a new run of the batch.
    PointsFiling.objects.filter(pk=low.pk).update(approved_snapshot={**low.approved_snapshot, "rd_expense": "500.00"})
    publication.answer_objection(objection.pk, scoring_admin, "已核实更正，重新计算。")
    second = start_run(batch, default_scheme(batch), scoring_admin, background=False)
    comparison = publication.compare(second, publication.previous_run(second))
    assert comparison.previous == first
    row = next(r for r in comparison.rows if r.credit_code == low.enterprise.credit_code)
    assert row.rank_change > 0
    assert any(change.name == "研发费用金额" for change in row.indicators)

    publication.publish(second, scoring_admin, today, today + timedelta(days=5), top_n=5)
    first.refresh_from_db()
    assert first.status == S.SUPERSEDED
    page = text(client.get("/enterprise/results/"))
    assert "500.00万元" in page
    assert "已核实更正" not in page  # the answer belongs to the superseded run's result

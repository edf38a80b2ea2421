"""积分结果查询 (/enterprise/results/): nothing before publication, only the enterprise's own
result, the figures it came from, its stage's medians, earlier years and 公示 objections."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprise_business.tests.factories import make_enterprise
from portal.core.models import PrivateFile
from scoring_engine import results
from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.objection_models import ScoreObjection
from scoring_engine.results import bar_chart, stage_comparison
from scoring_engine.tests.results_factories import make_batch, make_run

pytestmark = pytest.mark.django_db
S = CalculationRun.Status
URL = "/enterprise/results/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def enterprises():
    return [make_enterprise() for _ in range(9)]


def logged_in(client, enterprise):
    client.force_login(enterprise.user)
    return client


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("status", [S.CALCULATED, S.RUNNING, S.FAILED, S.SUPERSEDED])
def test_before_publication_the_page_says_so_as_the_manual_shows(client, enterprises, status):
    make_run(make_batch(), enterprises, status=status)
    page = text(logged_in(client, enterprises[0]).get(URL))
    assert "目前属于基础数据填报期，页面暂时没有结果呈现。" in page
    assert "总积分" not in page


def test_a_publicity_run_stays_hidden_until_its_start_date(client, enterprises):
    make_run(make_batch(), enterprises, status=S.PUBLICITY, publicity_days=(2, 9))
    assert "页面暂时没有结果呈现" in text(logged_in(client, enterprises[0]).get(URL))


def test_the_enterprise_sees_its_own_result_and_nobody_elses(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.PUBLICITY)
    mine = EnterpriseResult.objects.get(run=run, enterprise=enterprises[4])
    response = logged_in(client, enterprises[4]).get(URL)
    page = text(response)
    assert response["Cache-Control"].startswith("max-age=0")
    assert f"{mine.total} 分" in page
    assert f"第 {mine.rank} 名（共 9 家）" in page
    assert f"第 {mine.stage_rank} 名（共 3 家）" in page
    assert "初创期" in page  # enterprise 5 of the rotation growth/startup/mature
    assert "公示中：公示期为" in page
    for other in enterprises:
        if other != enterprises[4]:
            assert other.name not in page
            assert other.credit_code not in page
    # A result id of another enterprise posted with an objection is refused.
    theirs = EnterpriseResult.objects.get(run=run, enterprise=enterprises[0])
    response = client.post(URL, {"result": theirs.pk, "objection-reason": "不是我的"})
    assert response.status_code == 404
    assert not ScoreObjection.objects.exists()


def test_indicators_show_value_points_and_rule_in_words(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.FINAL)
    page = text(logged_in(client, enterprises[0]).get(URL))
    indicators = run.scheme.indicators.all()
    assert "已正式发布" in page
    for indicator in indicators:
        assert indicator.name in page
        assert indicator.rule_in_words().replace("Y-1年", "2023年").replace("Y年", "2024年") in page
    for category in {i.get_category_display() for i in indicators}:
        assert f"{category}指标（小计" in page


def test_stage_medians_and_the_chart_equivalent_table(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.FINAL)
    result = EnterpriseResult.objects.get(run=run, enterprise=enterprises[0])
    comparison = stage_comparison(result)
    growth = EnterpriseResult.objects.filter(run=run, stage="growth").order_by("total")
    totals = sorted(float(r.total) for r in growth)
    assert comparison.size == 3
    assert comparison.total_median == totals[1]
    response = logged_in(client, enterprises[0]).get(URL)
    body = response.content.decode()
    assert 'viewBox="0 0 560' in body and 'viewBox="0 0 320' in body and 'role="img"' in body
    assert "分类积分与成长期企业中位数（共 3 家）" in text(response)
    chart = bar_chart(comparison.rows)
    assert len(chart["groups"]) == len(comparison.rows)


def test_the_chart_draws_deductions_left_of_zero():
    chart = bar_chart([("技术创新指标", 30.0, 20.0), ("负面指标", -5.0, 0.0)])
    mine_negative = chart["groups"][1]["bars"][0]
    assert mine_negative["x"] < chart["zero"]
    assert chart["ticks"][0]["label"].startswith("-")


def test_earlier_years_are_listed_and_can_be_opened(client, enterprises):
    old = make_run(make_batch(2023), enterprises, status=S.FINAL)
    new = make_run(make_batch(2024), enterprises[:5], status=S.PUBLICITY)
    client = logged_in(client, enterprises[1])
    page = text(client.get(URL))
    assert new.batch.name in page and old.batch.name in page
    assert "正在查看" in page
    older = text(client.get(f"{URL}?batch={old.batch_id}"))
    assert "第 2 名（共 9 家）" in older


def test_objection_during_publicity_with_a_file_then_answered(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.PUBLICITY)
    client = logged_in(client, enterprises[2])
    result = EnterpriseResult.objects.get(run=run, enterprise=enterprises[2])
    # Error state: no reason; the file is kept for the next try.
    response = client.post(
        URL,
        {
            "result": result.pk,
            "objection-attachment": SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "请填写异议理由。" in page
    assert "已上传：" in page and "说明.pdf" in page
    token = re.search(r'name="objection-attachment__kept" value="([^"]+)"', response.content.decode()).group(1)
    response = client.post(
        URL, {"result": result.pk, "objection-reason": "研发费用应为150万元。", "objection-attachment__kept": token}
    )
    assert response.status_code == 302
    objection = ScoreObjection.objects.get()
    assert objection.enterprise == enterprises[2] and objection.result == result
    assert objection.attachment == PrivateFile.objects.get()
    page = text(client.get(response["Location"]))
    assert "研发费用应为150万元。" in page and "待平台答复" in page


def test_no_objection_outside_publicity(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.FINAL)
    result = EnterpriseResult.objects.get(run=run, enterprise=enterprises[0])
    client = logged_in(client, enterprises[0])
    assert "提交异议" not in text(client.get(URL))
    response = client.post(URL, {"result": result.pk, "objection-reason": "晚了"}, follow=True)
    assert "不在公示期内，不能提出异议。" in text(response)
    assert not ScoreObjection.objects.exists()


def test_the_publicity_notice_shows_after_the_end_date_without_a_form(client, enterprises):
    make_run(make_batch(), enterprises, status=S.PUBLICITY, publicity_days=(-9, -1))
    page = text(logged_in(client, enterprises[0]).get(URL))
    assert "不在公示期内不能提出异议" in page
    assert "提交异议" not in page


def test_the_rules_in_words_read_the_qualification_catalogue_twice_not_per_indicator(client, enterprises):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring_engine.results import indicator_definitions

    run = make_run(make_batch(), enterprises, status=S.PUBLICITY)
    records = [d for d in indicator_definitions(run) if d.get("record_indicator")]
    assert len(records) > 2  # the scheme has several indicators read from qualification records
    logged_in(client, enterprises[0])
    with CaptureQueriesContext(connection) as context:
        page = text(client.get(URL))
    catalogue = [q["sql"] for q in context.captured_queries
                 if "enterprise_business_qualificationindicator" in q["sql"]
                 or "enterprise_business_indicatorcolumn" in q["sql"]]
    assert len(catalogue) == 2, catalogue
    assert "数量" in page or "合计（万元）" in page


def test_what_the_run_fixed_is_computed_once_per_result_and_again_after_a_rename(client, enterprises):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprise_business.models import QualificationIndicator

    def page(response):  # the CSRF token differs from one response to the next
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    run = make_run(make_batch(), enterprises, status=S.PUBLICITY)
    logged_in(client, enterprises[0])
    first = page(client.get(URL))
    with CaptureQueriesContext(connection) as context:
        assert page(client.get(URL)) == first
    fixed = ('"scoring_engine_enterpriseresult"."rank" =', "enterprise_business_qualificationindicator")
    assert not any(part in q["sql"] for q in context.captured_queries for part in fixed)
    codes = [d["record_indicator"] for d in results.indicator_definitions(run) if d.get("record_indicator")]
    indicator = QualificationIndicator.objects.filter(code__in=codes).first()
    indicator.name = "改名后的资质指标"
    indicator.save()
    assert "改名后的资质指标" in client.get(URL).content.decode()
    logged_in(client, enterprises[1])
    mine = EnterpriseResult.objects.get(run=run, enterprise=enterprises[1])
    assert str(mine.total) in client.get(URL).content.decode()

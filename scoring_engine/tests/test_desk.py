"""The programme desk's scoring panels: the distributions of a run by stage and industry, the
indicators that separate the tiers, the zone's totals year over year — charts with tables of
the same figures, exported to XLSX, in the same number of queries at two sizes — and the
unanswered 积分异议."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from enterprise_business.models import FilingStatus, PointsFiling
from enterprise_business.tests.factories import make_staff
from portal.core import roles
from scoring_engine import desk
from scoring_engine.models import CalculationRun
from scoring_engine.objection_models import ScoreObjection
from scoring_engine.tests.results_factories import make_batch, make_run

pytestmark = pytest.mark.django_db


def test_the_distributions_of_a_run_by_stage_industry_tier_and_year():
    last_year, this_year = make_batch(2023), make_batch(2024)
    before = make_run(last_year, count=6, status=CalculationRun.Status.FINAL)
    run = make_run(this_year, count=12, industry="I")
    for result in before.results.all()[:2]:  # approved filings give the zone's figures
        PointsFiling.objects.create(enterprise=result.enterprise, batch=last_year, status=FilingStatus.APPROVED,
                                    revenue=100, rd_expense=10)
    for result in run.results.all()[:2]:
        PointsFiling.objects.create(enterprise=result.enterprise, batch=this_year, status=FilingStatus.APPROVED,
                                    revenue=150, rd_expense=10)
    figures = desk.distributions(run)
    # Totals 100, 97, …, 67 (minus deductions): every result in exactly one band, by stage.
    assert sum(band["count"] for band in figures["bands"]) == 12
    assert [sum(band["by_stage"][i] for band in figures["bands"]) for i in range(3)] == [4, 4, 4]
    assert [(row["label"], row["count"]) for row in figures["industries"]] == [
        ("I 信息传输、软件和信息技术服务业", 12)]
    assert figures["separating"] and figures["separating"][0]["gap"] >= figures["separating"][-1]["gap"]
    years = {row["year"]: row for row in figures["years"]}
    assert years[2023]["enterprises"] == 6 and years[2024]["enterprises"] == 12
    assert years[2024]["changes"]["enterprises"] == 100 and years[2024]["changes"]["revenue"] == 50
    assert all(row["bar"] <= 300 for row in figures["bands"])  # widths for the SVG, never a style attribute


def test_the_distributions_panel_shows_tables_beside_charts_and_exports_the_same_figures(client):
    batch = make_batch(2024)
    make_run(batch, count=9)
    client.force_login(make_staff("admin1", roles.SCORING_ADMIN))
    html = client.get(f"/admin/desk/?batch={batch.pk}").content.decode()
    assert html.count('<svg class="desk-chart"') >= 4 and "区分梯队的指标" in html and "园区合计逐年变化" in html
    assert ' style="' not in html.split('id="desk-distributions"')[1]
    response = client.get(f"/admin/desk/distributions/{batch.pk}/export/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["按阶段分布", "按行业", "区分梯队的指标", "园区合计逐年变化"]
    assert sum(row[-1] for row in book["按阶段分布"].iter_rows(min_row=2, values_only=True)) == 9
    client.force_login(make_staff("r1", roles.REVIEWER))  # results are not the reviewers'
    assert client.get(f"/admin/desk/distributions/{batch.pk}/export/").status_code in (302, 403)


def test_unanswered_objections_are_counted_for_the_scoring_admins(client):
    batch = make_batch(2024)
    run = make_run(batch, count=3, status=CalculationRun.Status.PUBLICITY)
    result = run.results.first()
    ScoreObjection.objects.create(result=result, enterprise=result.enterprise, text="研发费用漏计",
                                  asked_by=result.enterprise.user)
    client.force_login(make_staff("admin1", roles.SCORING_ADMIN))
    html = client.get(f"/admin/desk/?batch={batch.pk}").content.decode()
    assert 'href="/admin/scoring/objections/?status=pending" data-figure="score-objections">1 件</a>' in html


def test_the_distributions_take_the_same_number_of_queries_at_two_sizes():
    small_batch, large_batch = make_batch(2023), make_batch(2024)
    small, large = make_run(small_batch, count=3), make_run(large_batch, count=30)
    with CaptureQueriesContext(connection) as few:
        desk.distributions(small)
    with CaptureQueriesContext(connection) as many:
        desk.distributions(large)
    assert len(few) == len(many)


def test_the_distributions_describe_the_latest_published_run_else_the_latest_calculated():
    batch = make_batch(2024)
    assert desk.run_of(batch) is None
    calculated = make_run(batch, count=2)
    trial = make_run(batch, count=2)
    CalculationRun.objects.filter(pk=trial.pk).update(is_trial=True)
    assert desk.run_of(batch) == calculated  # never a trial
    published = make_run(batch, count=2, status=CalculationRun.Status.PUBLICITY)
    newer = make_run(batch, count=2)
    assert newer.started_at >= published.started_at and desk.run_of(batch) == published

"""Runs end to end from the database: a hand-computed batch, determinism, missing values,
the approved snapshot (not the working copy), and a query count that does not grow."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprise_business.models import FilingStatus, PointsFiling
from enterprise_business.tests.factories import make_enterprise
from portal.core.jobs.pacing import paced
from scoring_engine import engine
from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.services import start_run

from .factories import add_records, make_batch, make_scored_enterprise

pytestmark = pytest.mark.django_db

# The five enterprises of the hand-computed batch (data year 2024; small_scheme: startup if
# younger than 3 years or revenue < 1000, mature if revenue ≥ 5000):
#
#      founded  revenue  prev   rd   patents  high_tech  negative  stage
#  E1  2023     1200     600    80   0        0          0         startup (age 1)
#  E2  2010     3000     2500   120  3        1          0         growth
#  E3  2010     8000     8000   480  1        0          1         mature
#  E4  2012     2000     —      100  0        1          0         growth (no previous year)
#  E5  2015     7000     5000   0    5        0          0         mature
#
# rd_intensity (segments 3:2,5:4,8:6): E1 6.6666 % → 4 (80/1200 to four decimals, rounded
#   down), E2 4 % → 2, E3 6 % → 4, E4 5 % → 4 (exactly on the step), E5 0 % → 0
# revenue_growth (linear 0–50 %, cap 10; ×2 startup, ×1 growth, ×0.5 mature):
#   E1 100 % → 10×2 = 20; E2 20 % → 4; E3 0 % → 0; E4 missing → 0; E5 40 % → 8×0.5 = 4
# invention_patent (segments 1:3,3:5): E2 3 → 5, E3 1 → 3, E5 5 → 5
# rd_expense (percentile, cap 4): every stage has fewer than 10 enterprises (the scheme's
#   percentile_min_group), so all five are compared across the batch: 0 < 80 < 100 < 120 <
#   480 → below 0, 1, 2, 3, 4 of the 4 below the top → E5 0, E1 1, E4 2, E2 3, E3 4
# high_tech (bonus 5): E2, E4 → 5;  negative_record (−10 each): E3 → −10
# totals: E1 25, E2 19, E3 1, E4 11, E5 9  →  ranks 1, 2, 5, 3, 4
# percentile = below ÷ below the top: overall 100, 75, 0, 50, 25; each stage's first 100, its last 0
EXPECTED = {
    #     total, innovation, operation, bonus, negative, rank, pct, stage, stage_rank, stage_pct, tier
    "E1": ("25.00", 5, 20, 0, 0, 1, "100.00", "startup", 1, "100.00", "leading"),
    "E2": ("19.00", 10, 4, 5, 0, 2, "75.00", "growth", 1, "100.00", "leading"),
    "E3": ("1.00", 11, 0, 0, -10, 5, "0.00", "mature", 2, "0.00", ""),
    "E4": ("11.00", 6, 0, 5, 0, 3, "50.00", "growth", 2, "0.00", ""),
    "E5": ("9.00", 5, 4, 0, 0, 4, "25.00", "mature", 1, "100.00", "leading"),
}
PLAN = {
    "E1": ("2023-05-01", {"revenue": "1200.00", "revenue_prev": "600.00", "rd_expense": "80.00"}, {}),
    "E2": (
        "2010-01-01",
        {"revenue": "3000.00", "revenue_prev": "2500.00", "rd_expense": "120.00"},
        {"invention_patent": ["", "", ""], "high_tech": [""]},
    ),
    "E3": (
        "2010-07-01",
        {"revenue": "8000.00", "revenue_prev": "8000.00", "rd_expense": "480.00"},
        {"invention_patent": [""], "negative_record": ["行政处罚"]},
    ),
    "E4": ("2012-03-15", {"revenue": "2000.00", "revenue_prev": None, "rd_expense": "100.00"}, {"high_tech": [""]}),
    "E5": (
        "2015-09-30",
        {"revenue": "7000.00", "revenue_prev": "5000.00", "rd_expense": "0.00"},
        {"invention_patent": [""] * 5},
    ),
}


def build_batch(batch, order=("E1", "E2", "E3", "E4", "E5"), enterprises=None):
    enterprises = enterprises if enterprises is not None else {}
    for key in order:
        founded, figures, records = PLAN[key]
        enterprise = enterprises.get(key) or make_enterprise()
        enterprises[key] = enterprise
        make_scored_enterprise(
            batch, figures, established_on=founded, name=f"企业{key}", records=records, enterprise=enterprise
        )
    return enterprises


def summary(run):
    rows = {}
    for result in EnterpriseResult.objects.filter(run=run):
        key = result.name[-2:]
        cats = result.category_points
        rows[key] = (
            str(result.total),
            cats["innovation"],
            cats["operation"],
            cats["bonus"],
            cats["negative"],
            result.rank,
            str(result.percentile),
            result.stage,
            result.stage_rank,
            str(result.stage_percentile),
            result.tier,
        )
    return rows


def test_hand_computed_batch(batch, small_scheme):
    build_batch(batch)
    run = start_run(batch, small_scheme, background=False)
    assert run.status == CalculationRun.Status.CALCULATED, run.error
    assert run.enterprise_count == 5 and run.progress == 100 and len(run.input_hash) == 64
    assert summary(run) == EXPECTED

    e1 = EnterpriseResult.objects.get(run=run, name="企业E1")
    assert e1.details["rd_intensity"] == {"value": 6.6666, "points": 4}
    assert e1.details["rd_expense"] == {"value": 80, "points": 1, "below": 1}
    assert run.percentile_groups["rd_expense"]["startup"] == {
        "scope": "batch",
        "min_size": 10,
        "stage_count": 1,
        "count": 5,
        "below_top": 4,
        "top": 480,
    }
    assert e1.details["revenue_growth"] == {"value": 100, "points": 20}
    e4 = EnterpriseResult.objects.get(run=run, name="企业E4")
    assert e4.details["revenue_growth"] == {"value": None, "points": 0}  # missing previous year: 0 points
    e3 = EnterpriseResult.objects.get(run=run, name="企业E3")
    assert e3.details["negative_record"] == {"value": 1, "points": -10}
    # Lists show ties by credit code.
    ranked = list(EnterpriseResult.objects.filter(run=run).values_list("rank", "credit_code"))
    assert ranked == sorted(ranked)


def test_same_inputs_same_hash_and_results(batch, small_scheme):
    build_batch(batch)
    first = start_run(batch, small_scheme, background=False)
    second = start_run(batch, small_scheme, background=False)
    assert first.input_hash == second.input_hash
    assert first.scheme_version == second.scheme_version
    assert summary(first) == summary(second)
    fields = ("credit_code", "total", "details", "category_points", "rank", "stage_rank", "percentile", "tier")
    assert list(first.results.order_by("credit_code").values_list(*fields)) == list(
        second.results.order_by("credit_code").values_list(*fields)
    )


def test_shuffled_insertion_order_gives_the_same_hash_and_results(small_scheme):
    batch_a = make_batch(2024, "A")
    enterprises = build_batch(batch_a)
    batch_b = make_batch(2024, "B")
    order = list(PLAN)
    random.Random(7).shuffle(order)  # noqa: S311 - a fixed test order, not a secret
    order.reverse()
    build_batch(batch_b, order=order, enterprises=enterprises)
    run_a = start_run(batch_a, small_scheme, background=False)
    run_b = start_run(batch_b, small_scheme, background=False)
    assert run_a.input_hash == run_b.input_hash
    assert summary(run_a) == summary(run_b) == EXPECTED


def test_input_hash_ignores_row_order_but_not_values(batch, small_scheme):
    build_batch(batch)
    frame = engine.load_inputs(batch, small_scheme.definition())
    shuffled = frame.sample(frac=1, random_state=3)
    assert engine.input_hash(shuffled, 2024) == engine.input_hash(frame, 2024)
    changed = frame.copy()
    changed.loc[0, "revenue"] += 0.01
    assert engine.input_hash(changed, 2024) != engine.input_hash(frame, 2024)
    assert engine.input_hash(frame, 2025) != engine.input_hash(frame, 2024)


def test_changed_filing_changes_hash_and_result(batch, small_scheme):
    enterprises = build_batch(batch)
    before = start_run(batch, small_scheme, background=False)
    filing = PointsFiling.objects.get(batch=batch, enterprise=enterprises["E4"])
    filing.approved_snapshot = {**filing.approved_snapshot, "revenue_prev": "1000.00"}
    filing.save()
    after = start_run(batch, small_scheme, background=False)
    assert after.input_hash != before.input_hash
    assert after.results.get(enterprise=enterprises["E4"]).total == Decimal("21.00")  # + 100 % growth → 10


def test_only_the_approved_version_counts(batch, small_scheme):
    enterprises = build_batch(batch)
    filing = PointsFiling.objects.get(batch=batch, enterprise=enterprises["E1"])
    filing.revenue = Decimal("999999")  # a newer draft in the working copy
    filing.status = FilingStatus.DRAFT
    filing.save()
    never_approved = make_enterprise()
    PointsFiling.objects.create(
        enterprise=never_approved, batch=batch, status=FilingStatus.SUBMITTED, revenue=Decimal("50000")
    )
    run = start_run(batch, small_scheme, background=False)
    assert run.enterprise_count == 5
    assert summary(run) == EXPECTED


def test_records_out_of_force_or_of_another_batch_do_not_count(batch, small_scheme):
    enterprises = build_batch(batch)
    other = make_batch(2023)
    add_records(other, enterprises["E4"].credit_code, {"invention_patent": [""] * 10})
    run = start_run(batch, small_scheme, background=False)
    assert run.results.get(enterprise=enterprises["E4"]).details["invention_patent"]["value"] == 0


def test_missing_figures_score_zero_and_never_crash(batch, small_scheme):
    make_scored_enterprise(
        batch, {key: None for key in ("revenue", "revenue_prev", "rd_expense")}, established_on="", name="企业空"
    )
    make_scored_enterprise(batch, {"revenue": "0.00", "revenue_prev": "0.00"}, name="企业零")
    run = start_run(batch, small_scheme, background=False)
    assert run.status == CalculationRun.Status.CALCULATED, run.error
    empty = run.results.get(name="企业空")
    assert empty.details["rd_intensity"] == {"value": None, "points": 0}
    assert empty.details["revenue_growth"] == {"value": None, "points": 0}
    assert empty.stage == "startup"  # unknown revenue counts as 0
    zero = run.results.get(name="企业零")
    assert zero.details["rd_intensity"]["value"] is None  # 研发费用 over zero revenue


def test_names_with_tabs_and_backslashes_survive_the_bulk_write(batch, small_scheme):
    make_scored_enterprise(batch, name="大连\t甲\\乙\n科技有限公司", industry="")
    run = start_run(batch, small_scheme, background=False)
    result = run.results.get()
    assert result.name == "大连\t甲\\乙\n科技有限公司" and result.industry == "" and result.tier == "leading"


def test_an_empty_batch_gives_an_empty_calculated_run(batch, small_scheme):
    run = start_run(batch, small_scheme, background=False)
    assert run.status == CalculationRun.Status.CALCULATED and run.enterprise_count == 0


def test_a_failure_is_recorded_on_the_run(batch, small_scheme, monkeypatch):
    build_batch(batch)

    def broken(*args, **kwargs):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(engine, "compute", broken)
    run = start_run(batch, small_scheme, background=False)
    assert run.status == CalculationRun.Status.FAILED
    assert "数据库不可用" in run.error and not run.results.exists()


def _queries(batch, scheme):
    with CaptureQueriesContext(connection) as captured:
        run = start_run(batch, scheme, background=False)
    assert run.status == CalculationRun.Status.CALCULATED, run.error
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_the_batch(small_scheme, django_assert_max_num_queries):
    small = make_batch(2024, "小")
    build_batch(small)
    large = make_batch(2024, "大")
    for n in range(40):
        make_scored_enterprise(large, {"revenue": str(500 + 300 * n)}, records={"invention_patent": [""] * (n % 4)})
    with django_assert_max_num_queries(30):
        start_run(large, small_scheme, background=False)
    assert _queries(small, small_scheme) == _queries(large, small_scheme)


@pytest.mark.parametrize("duty_cycle", [100, 50])
def test_results_are_the_same_read_and_written_in_small_chunks_and_paced(batch, small_scheme, monkeypatch,
                                                                       duty_cycle):
    build_batch(batch)
    whole = start_run(batch, small_scheme, background=False)
    queries, read = [], engine._frame

    def counted(queryset, columns):
        queries.append(queryset)
        return read(queryset, columns)

    monkeypatch.setattr(engine, "_frame", counted)
    monkeypatch.setattr(engine, "READ_CHUNK", 2)
    monkeypatch.setattr(engine, "WRITE_CHUNK", 2)
    with paced(duty_cycle) as pace:
        chunked = start_run(batch, small_scheme, background=False)
    assert summary(chunked) == EXPECTED and chunked.input_hash == whole.input_hash
    # Five filings, five basic informations (two, two, one) and four enterprises' records (two,
    # two, none): three queries each.
    assert len(queries) == 3 * 3
    if pace is not None:
        assert pace.rested > 0


@pytest.mark.parametrize("duty_cycle", [100, 50])
def test_a_failure_while_writing_leaves_no_results(batch, small_scheme, monkeypatch, duty_cycle):
    build_batch(batch)
    monkeypatch.setattr(engine, "WRITE_CHUNK", 2)
    written = engine.result_lines

    def fails_on_the_third_chunk(run_id, chunk, definition):
        if chunk.index[0] >= 4:
            raise RuntimeError("格式化失败")
        return written(run_id, chunk, definition)

    monkeypatch.setattr(engine, "result_lines", fails_on_the_third_chunk)
    with paced(duty_cycle):
        run = start_run(batch, small_scheme, background=False)
    assert run.status == CalculationRun.Status.FAILED and "格式化失败" in run.error
    assert not EnterpriseResult.objects.filter(run=run).exists()


def test_progress_rises_while_the_inputs_are_read_and_the_results_written(batch, small_scheme, monkeypatch):
    build_batch(batch)
    monkeypatch.setattr(engine, "READ_CHUNK", 2)
    monkeypatch.setattr(engine, "WRITE_CHUNK", 2)
    run = start_run(batch, small_scheme, background=False)
    again = CalculationRun.objects.create(batch=batch, scheme=small_scheme, scheme_snapshot=run.scheme_snapshot,
                                          status=CalculationRun.Status.RUNNING)
    reported = []
    engine.calculate(again, report=reported.append)
    assert again.status == CalculationRun.Status.CALCULATED
    assert reported == sorted(reported) and reported[0] == 5 and reported[-1] == 99
    # Three chunks of filings read (2, 4, 5 of 5), three chunks of results written.
    assert [p for p in reported if 5 < p < 40] == [19, 33] and [p for p in reported if 70 < p < 99] == [79, 89]

"""The three cases of ../shared/cases/scoring_exact_thresholds.txt (copied to tests/cases/, whose
figures cases 1 and 2 read), with the default scheme,
through the database and the engine: a value exactly on a step scores that step's band, and
tied leaders of a stage share the full points."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.services import default_scheme, start_run

from .factories import make_scored_enterprise

pytestmark = pytest.mark.django_db

CASE = (Path(__file__).resolve().parents[2] / "tests" / "cases" / "scoring_exact_thresholds.txt").read_text("utf-8")
GROWTH = re.search(r"营业收入 2024 = ([\d.]+), 2023 = ([\d.]+)", CASE).groups()
INTENSITY = re.search(r"研发费用 2024 = ([\d.]+), 营业收入 2024 = ([\d.]+)", CASE).groups()


def run_of(batch):
    run = start_run(batch, default_scheme(batch), background=False)
    assert run.status == CalculationRun.Status.CALCULATED, run.error
    return run


def test_case_1_growth_of_exactly_ten_percent_scores_the_ten_percent_band(batch):
    """营业收入 1100.11 against 1000.10 is exactly 10.00 % growth: 3 points, not 1."""
    assert GROWTH == ("1100.11", "1000.10")
    filing = make_scored_enterprise(batch, {"revenue": GROWTH[0], "revenue_prev": GROWTH[1]})
    result = run_of(batch).results.get(enterprise=filing.enterprise)
    assert result.stage == "growth"
    assert result.details["revenue_growth"] == {"value": 10, "points": 3}


def test_case_2_intensity_of_exactly_eight_percent_scores_the_eight_percent_band(batch):
    """研发费用 80.10 over 营业收入 1001.25 is exactly 8.00 %: 6 points, not 4."""
    assert INTENSITY == ("80.10", "1001.25")
    filing = make_scored_enterprise(batch, {"rd_expense": INTENSITY[0], "revenue": INTENSITY[1]})
    result = run_of(batch).results.get(enterprise=filing.enterprise)
    assert result.stage == "growth"
    assert result.details["rd_intensity"] == {"value": 8, "points": 6}


def test_one_cent_below_a_step_shows_and_scores_the_band_below(batch):
    """80.09 / 1001.25 is 7.99900…%: shown as 7.999 (four decimals, rounded down), not 8.00."""
    filing = make_scored_enterprise(batch, {"rd_expense": "80.09", "revenue": "1001.25"})
    result = run_of(batch).results.get(enterprise=filing.enterprise)
    assert result.details["rd_intensity"] == {"value": 7.999, "points": 4}


@pytest.mark.parametrize("others", [0, 12], ids=["the three of the case", "a stage big enough to rank alone"])
def test_case_3_tied_leaders_of_a_stage_share_the_full_points(batch, others):
    """Two 成长期 enterprises share the stage's highest 研发费用 (50): both get 8 of 8, and 3
    of 3 on 加计扣除 (where they also lead); the third, with less, gets 0 of each."""
    leaders = [
        make_scored_enterprise(batch, {"rd_expense": "50.00", "rd_tax_deduction": "20.00"}, name=f"领先{n}")
        for n in (1, 2)
    ]
    third = make_scored_enterprise(batch, {"rd_expense": "30.00", "rd_tax_deduction": "10.00"}, name="第三")
    for n in range(others):  # more 成长期 enterprises between the third and the leaders
        make_scored_enterprise(batch, {"rd_expense": f"{40 + n * 0.5:.2f}", "rd_tax_deduction": "15.00"})
    run = run_of(batch)
    rows = {r.enterprise_id: r for r in EnterpriseResult.objects.filter(run=run)}
    for filing in leaders:
        result = rows[filing.enterprise_id]
        assert result.stage == "growth"
        assert result.details["rd_expense"]["points"] == 8
        assert result.details["rd_tax_deduction"]["points"] == 3
    assert rows[third.enterprise_id].details["rd_expense"]["points"] == 0
    assert rows[third.enterprise_id].details["rd_tax_deduction"]["points"] == 0
    scope = run.percentile_groups["rd_expense"]["growth"]
    assert scope["scope"] == ("stage" if others else "batch")
    assert scope["below_top"] == 1 + others and Decimal(str(scope["top"])) == Decimal("50")

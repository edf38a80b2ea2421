"""Properties of a whole run over generated batches (hypothesis), with the default scheme and
the engine's own computation (`engine.compute`, the same code a run calls between reading
its inputs and writing its results):

- results do not depend on the order of the input rows;
- raising a "more is better" figure never lowers the points of an indicator reading it;
- a value exactly on a step scores that step's band;
- each total is the sum of its categories, each within what the stage can score;
- equal figures get equal points (ties share points);
- identical inputs give the same input hash and the same results.
"""

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring_engine import default_scheme, engine
from scoring_engine.models import FILING_FIELDS, SchemeIndicator

YEAR = 2024
DEFINITION = {
    **{key: str(value) for key, value in default_scheme.SCHEME_FIELDS.items()},
    "percentile_min_group": default_scheme.SCHEME_FIELDS["percentile_min_group"],
    "indicators": [SchemeIndicator(**row).definition() for row in default_scheme.indicator_rows()],
}
RECORDS = engine.record_columns(DEFINITION)
AMOUNTS = {"equity_begin", "equity_end", "rd_expense", "rd_expense_prev", "revenue", "revenue_prev", "tax_paid",
           "tax_paid_prev", "rd_tax_deduction"}
# Figures that only ever raise what they feed (the value of an indicator whose `field` they
# are) and that do not decide the stage (revenue does, and the founding date).
MORE_IS_BETTER = ("rd_expense", "rd_tax_deduction", "tax_paid", "graduates_hired", "rd_staff", "equity_end",
                  "social_security", "bachelor_count")
SLOW = settings(deadline=None, max_examples=60)

amount = st.one_of(st.none(), st.integers(0, 5_000_000).map(lambda cents: cents / 100))
count = st.one_of(st.none(), st.integers(0, 400).map(float))


@st.composite
def enterprises(draw):
    """One enterprise's inputs, as engine.load_inputs gives them (floats, NaN for missing)."""
    row = {name: draw(amount if name in AMOUNTS else count) for name in FILING_FIELDS}
    row["established_on"] = draw(st.sampled_from(["", "2010-03-01", "2019-07-01", "2023-02-01"]))
    for column in RECORDS:
        row[column.count_column] = float(draw(st.integers(0, 12)))
        row[column.sum_column] = draw(st.integers(0, 200_000)) / 100
    return row


@st.composite
def batches(draw, min_size=1, max_size=24):
    rows = draw(st.lists(enterprises(), min_size=min_size, max_size=max_size))
    # Some enterprises file exactly what another filed: ties.
    copies = draw(st.lists(st.integers(0, len(rows) - 1), max_size=4))
    rows += [dict(rows[n]) for n in copies]
    return frame_of(rows)


def frame_of(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.insert(0, "eid", np.arange(1, len(frame) + 1))
    frame.insert(1, "credit_code", [f"91210231MA{n:08d}" for n in range(len(frame))])
    frame["name"] = [f"企业{n}" for n in range(len(frame))]
    frame["industry"] = "C"
    for name in FILING_FIELDS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def compute(frame: pd.DataFrame) -> pd.DataFrame:
    results, _ = engine.compute(frame.copy(), DEFINITION, YEAR)
    return results.set_index("eid").sort_index()


def caps(stage: str) -> dict[str, Decimal]:
    most = {}
    for indicator in DEFINITION["indicators"]:
        weighted = Decimal(indicator["cap"]) * Decimal(indicator[f"weight_{stage}"])
        most[indicator["category"]] = most.get(indicator["category"], Decimal(0)) + weighted
    return most


@SLOW
@given(batches(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_the_rows(frame, random):
    order = list(range(len(frame)))
    random.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    assert engine.input_hash(shuffled, YEAR) == engine.input_hash(frame, YEAR)
    pd.testing.assert_frame_equal(compute(shuffled), compute(frame))


@SLOW
@given(batches(), st.data())
def test_raising_a_more_is_better_figure_never_lowers_that_indicator_s_points(frame, data):
    row = data.draw(st.integers(0, len(frame) - 1))
    figure = data.draw(st.sampled_from(MORE_IS_BETTER))
    assume(not np.isnan(frame.at[row, figure]))
    raised = frame.copy()
    step = data.draw(st.integers(1, 1_000_000)) / (100 if figure in AMOUNTS else 10_000)
    raised.at[row, figure] = frame.at[row, figure] + (step if figure in AMOUNTS else np.ceil(step))
    before, after = compute(frame), compute(raised)
    eid = frame.at[row, "eid"]
    for indicator in DEFINITION["indicators"]:
        if indicator["field"] == figure or (figure in ("bachelor_count",) and indicator["field"] == "degree_count"):
            code = indicator["code"]
            assert after.at[eid, f"p_{code}"] >= before.at[eid, f"p_{code}"], (figure, code)


GROWTH_STEPS = [(0, 1), (10, 3), (20, 5), (30, 7)]  # 营业收入增长率 in the default scheme
INTENSITY_STEPS = [(3, 2), (5, 4), (8, 6), (12, 8)]  # 研发投入强度
GROWTH_WEIGHTS = {"startup": Decimal("1.5"), "growth": Decimal("1"), "mature": Decimal("0.5")}
INTENSITY_WEIGHTS = {"startup": Decimal("1.25"), "growth": Decimal("1"), "mature": Decimal("0.75")}


def band(steps, value) -> Decimal:
    return Decimal(max((points for step, points in steps if Decimal(str(value)) >= step), default=0))


@SLOW
@given(st.integers(1, 5_000), st.sampled_from([0, 10, 20, 30]), st.sampled_from([3, 5, 8, 12]))
def test_a_value_exactly_on_a_step_scores_that_step_s_band(k, growth, intensity):
    """Figures built so that 营业收入增长率 and 研发投入强度 are exactly on a step (as 1,000.10 →
    1,100.11 is exactly 10 %), and one cent short of it."""
    previous = 10_000 * k  # cents
    revenue = previous * (100 + growth) // 100
    rd = revenue * intensity // 100
    base = {name: 1.0 for name in FILING_FIELDS} | {"established_on": "2010-03-01"}
    base |= {c.count_column: 0.0 for c in RECORDS} | {c.sum_column: 0.0 for c in RECORDS}
    on = base | {"revenue": revenue / 100, "revenue_prev": previous / 100, "rd_expense": rd / 100}
    short = base | {"revenue": (revenue - 1) / 100, "revenue_prev": previous / 100, "rd_expense": (rd - 1) / 100}
    results = compute(frame_of([on, short]))
    exact, below = results.iloc[0], results.iloc[1]
    assert exact["v_revenue_growth"] == growth and exact["v_rd_intensity"] == intensity
    assert below["v_revenue_growth"] < growth and below["v_rd_intensity"] < intensity
    assert band(GROWTH_STEPS, exact["v_revenue_growth"]) == dict(GROWTH_STEPS)[growth]
    assert band(INTENSITY_STEPS, exact["v_rd_intensity"]) == dict(INTENSITY_STEPS)[intensity]
    for row in (exact, below):
        expected = band(GROWTH_STEPS, row["v_revenue_growth"]) * GROWTH_WEIGHTS[row["stage"]]
        assert Decimal(str(row["p_revenue_growth"])) == expected
        expected = band(INTENSITY_STEPS, row["v_rd_intensity"]) * INTENSITY_WEIGHTS[row["stage"]]
        assert Decimal(str(row["p_rd_intensity"])) == expected


@SLOW
@given(batches())
def test_each_total_is_its_categories_sum_each_within_what_its_stage_can_score(frame):
    results = compute(frame)
    categories = {i["category"] for i in DEFINITION["indicators"]}
    for eid, row in results.iterrows():
        cents = {c: round(row[f"c_{c}"] * 100) for c in categories}
        assert round(row["total"] * 100) == sum(cents.values())
        most = caps(row["stage"])
        for category in categories:
            members = [i["code"] for i in DEFINITION["indicators"] if i["category"] == category]
            assert cents[category] == sum(round(row[f"p_{code}"] * 100) for code in members)
            if category == "negative":
                assert -most[category] * 100 <= cents[category] <= 0
            else:
                assert 0 <= cents[category] <= most[category] * 100, (eid, category)


@SLOW
@given(batches(min_size=2))
def test_equal_figures_get_equal_points_and_share_a_rank(frame):
    results = compute(frame)
    inputs = frame.drop(columns=["eid", "credit_code", "name"]).astype(str)
    for _, group in inputs.groupby(list(inputs.columns), sort=False, dropna=False):
        if len(group) < 2:
            continue
        rows = results.loc[frame.loc[group.index, "eid"]]
        points = [c for c in results.columns if c.startswith(("p_", "c_"))] + ["total", "rank", "percentile", "tier"]
        assert (rows[points].nunique(dropna=False) == 1).all()


@SLOW
@given(batches())
def test_identical_inputs_give_the_same_hash_and_results(frame):
    again = frame.copy(deep=True)
    assert engine.input_hash(again, YEAR) == engine.input_hash(frame, YEAR)
    first, second = compute(frame), compute(again)
    pd.testing.assert_frame_equal(first, second)
    chunk = first.reset_index()
    assert engine.result_lines(1, chunk, DEFINITION) == engine.result_lines(1, second.reset_index(), DEFINITION)

from decimal import Decimal

import pytest

from scoring_engine.models import Scheme, SchemeIndicator

from .factories import make_batch

ONE = Decimal("1")


@pytest.fixture
def batch(db):
    return make_batch(2024)


@pytest.fixture
def small_scheme(db):
    """The scheme the hand-computed tests use (see test_engine.py for the arithmetic)."""
    scheme = Scheme.objects.create(
        name="测试方案", startup_max_age=3, startup_max_revenue=Decimal("1000"), mature_min_revenue=Decimal("5000")
    )
    rows = [
        dict(
            code="rd_intensity",
            name="研发投入强度",
            category="innovation",
            source="ratio",
            field="rd_expense",
            denominator_field="revenue",
            rule="segments",
            segments="3:2,5:4,8:6",
            cap=6,
        ),
        dict(
            code="revenue_growth",
            name="营业收入增长率",
            category="operation",
            source="growth",
            field="revenue",
            previous_field="revenue_prev",
            rule="linear",
            lower=0,
            upper=50,
            cap=10,
            weight_startup=2,
            weight_mature=Decimal("0.5"),
        ),
        dict(
            code="invention_patent",
            name="发明专利",
            category="innovation",
            source="record_count",
            record_indicator="invention_patent",
            rule="segments",
            segments="1:3,3:5",
            cap=5,
        ),
        dict(
            code="rd_expense",
            name="研发费用",
            category="innovation",
            source="field",
            field="rd_expense",
            rule="percentile",
            cap=4,
        ),
        dict(
            code="high_tech",
            name="高新技术企业",
            category="bonus",
            source="record_count",
            record_indicator="high_tech",
            rule="bonus",
            points=5,
            cap=5,
        ),
        dict(
            code="negative_record",
            name="失信或行政处罚",
            category="negative",
            source="record_count",
            record_indicator="negative_record",
            rule="deduction",
            points=10,
            cap=10,
        ),
    ]
    for order, row in enumerate(rows):
        indicator = SchemeIndicator(scheme=scheme, sort_order=order, **row)
        indicator.full_clean()
        indicator.save()
    return scheme

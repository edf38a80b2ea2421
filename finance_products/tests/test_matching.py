"""符合申请条件: which result counts as published, and each requirement at its edges."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from enterprise_business.tests.factories import make_enterprise
from finance_products import matching
from finance_products.tests.factories import make_result, make_run

pytestmark = pytest.mark.django_db


def product(min_points=None, tier="", stage=""):
    return SimpleNamespace(min_points=min_points, tier=tier, stage=stage)


def result(total="60.00", tier="", stage="growth"):
    return SimpleNamespace(total=Decimal(total), tier=tier, stage=stage)


def test_only_a_final_run_publishes_a_result():
    enterprise = make_enterprise()
    for status in ("running", "failed", "calculated", "publicity", "superseded"):
        make_result(enterprise, make_run(status=status))
    assert matching.published_result(enterprise) is None
    final = make_result(enterprise, make_run(status="final"))
    assert matching.published_result(enterprise) == final


def test_the_latest_data_year_counts_and_an_absence_from_it_means_no_result():
    enterprise, other = make_enterprise(), make_enterprise()
    old = make_run(year=2024, finalised_at=timezone.now())
    make_result(enterprise, old)
    make_result(other, old)
    # Finalised earlier, but of a later year: the later year is the one in force.
    newer = make_run(year=2025, finalised_at=timezone.now() - timedelta(days=30))
    latest = make_result(enterprise, newer)
    assert matching.published_result(enterprise) == latest
    assert matching.published_result(other) is None
    # A later year still in 公示 changes nothing.
    make_result(enterprise, make_run(status="publicity", year=2026))
    assert matching.published_result(enterprise) == latest


def test_no_result_never_qualifies_even_without_requirements():
    outcome = matching.match(product(), None)
    assert not outcome.qualifies and outcome.reasons == [matching.NO_RESULT]
    assert matching.match(product(), result()).qualifies


@pytest.mark.parametrize(
    ("total", "minimum", "qualifies"),
    [
        ("60.00", 60, True),
        ("59.99", 60, False),
        ("60.01", 60, True),
        ("0.00", 0, True),
        ("-1.50", 0, False),
    ],
)
def test_minimum_points_is_inclusive(total, minimum, qualifies):
    outcome = matching.match(product(min_points=minimum), result(total=total))
    assert outcome.qualifies is qualifies
    if not qualifies:
        assert outcome.reasons == [f"创新积分为{Decimal(total)}分，低于本产品要求的{minimum}分。"]


@pytest.mark.parametrize(
    ("tier", "required", "qualifies"),
    [
        ("leading", "leading", True),
        ("racing", "leading", False),
        ("leading", "racing", True),
        ("racing", "racing", True),
        ("advancing", "racing", False),
        ("advancing", "advancing", True),
        ("", "advancing", False),
        ("", "", True),
    ],
)
def test_tier_at_least_the_required_one(tier, required, qualifies):
    assert matching.match(product(tier=required), result(tier=tier)).qualifies is qualifies


def test_reasons_name_the_tier_and_stage_in_chinese_and_all_of_them_are_given():
    outcome = matching.match(product(min_points=80, tier="leading", stage="startup"), result("79.99", "", "mature"))
    assert outcome.reasons == [
        "创新积分为79.99分，低于本产品要求的80分。",
        "积分梯队为未进入梯队，本产品要求领跑及以上。",
        "企业发展阶段为稳定期，本产品面向初创期企业。",
    ]
    assert matching.match(product(stage="mature"), result(stage="mature")).qualifies


@pytest.mark.django_db
def test_the_latest_final_run_is_read_once_until_a_run_is_saved():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_run(year=2023)
    assert matching.latest_final_run() == first
    with CaptureQueriesContext(connection) as captured:
        assert matching.latest_final_run() == first
    assert len(captured) == 0
    later = make_run(status="publicity", year=2024)
    assert matching.latest_final_run() == first  # in 公示: not yet
    later.status = "final"
    later.finalised_at = timezone.now()
    later.save()
    assert matching.latest_final_run() == later
    later.delete()
    assert matching.latest_final_run() == first

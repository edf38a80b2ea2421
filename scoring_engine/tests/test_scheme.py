"""The scheme as data: validation, words, the shipped default, freezing and copying."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scoring_engine.default_scheme import INDICATORS, NAME
from scoring_engine.models import CalculationRun, FrozenSchemeError, Scheme, SchemeIndicator
from scoring_engine.rules import parse_segments
from scoring_engine.services import start_run

from .factories import make_scored_enterprise

pytestmark = pytest.mark.django_db


def publish(run, status=CalculationRun.Status.FINAL):
    CalculationRun.objects.filter(pk=run.pk).update(status=status)


def test_default_scheme_ships_with_every_indicator_valid():
    scheme = Scheme.objects.get(name=NAME)
    indicators = list(scheme.indicators.all())
    assert len(indicators) == len(INDICATORS) >= 18
    categories = {i.category for i in indicators}
    assert categories == {"innovation", "operation", "auxiliary", "bonus", "negative"}
    for indicator in indicators:
        indicator.full_clean()
    # Each stage can reach the same 100 core points (core: the guideline's 18, not the zone's own).
    core = [i for i in indicators if i.kind == "core"]
    for stage in ("startup", "growth", "mature"):
        assert sum(i.cap * i.weight_for(stage) for i in core) == Decimal("100")


def test_rule_in_words():
    scheme = Scheme.objects.get(name=NAME)
    words = {i.code: i.rule_in_words() for i in scheme.indicators.all()}
    assert words["rd_intensity"].startswith("Y年研发费用/Y年营业收入（%），分段计分：达到3得2分")
    assert words["rd_expense"] == "Y年研发费用，在同阶段企业中的百分位×满分8分"
    assert words["tech_contract"].startswith("技术合同成交额合计（万元）")
    assert words["rd_institution_national"] == "研发机构（国家级）数量，每项加5分，最多加5分"
    assert words["negative_record"] == "失信或行政处罚记录数量，每项扣10分，最多扣20分"
    assert scheme.indicators.get(code="rd_growth").rule_in_words(2024).startswith("2024年研发费用较2023年研发费用")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0:0,100:5,500:10", [(0, 0), (100, 5), (500, 10)]),
        ("3：2， 5:4", [(3, 2), (5, 4)]),
        ("-10:1,0:2", [(-10, 1), (0, 2)]),
    ],
)
def test_parse_segments(text, expected):
    assert parse_segments(text) == [(Decimal(a), Decimal(b)) for a, b in expected]


@pytest.mark.parametrize("text", ["", "abc", "100:5,50:2", "1:2,1:3", "1-2"])
def test_parse_segments_refuses(text):
    with pytest.raises(ValidationError):
        parse_segments(text)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"source": "ratio", "field": "rd_expense", "rule": "yes_no"}, "denominator_field"),
        ({"source": "growth", "field": "revenue", "rule": "yes_no"}, "previous_field"),
        ({"source": "record_count", "record_indicator": "no_such", "rule": "yes_no"}, "record_indicator"),
        ({"source": "field", "field": "revenue", "rule": "segments", "segments": "1:20"}, "segments"),
        ({"source": "field", "field": "revenue", "rule": "linear", "lower": 5, "upper": 5}, "upper"),
        ({"source": "field", "field": "revenue", "rule": "bonus"}, "points"),
        ({"source": "field", "field": "revenue", "rule": "deduction", "points": 1}, "category"),
    ],
)
def test_indicator_validation(fields, error_field):
    scheme = Scheme.objects.create(name="校验")
    indicator = SchemeIndicator(scheme=scheme, code="x", name="x", category="innovation", cap=10, **fields)
    with pytest.raises(ValidationError) as raised:
        indicator.full_clean()
    assert error_field in raised.value.message_dict


@pytest.fixture
def used_scheme(batch, small_scheme):
    make_scored_enterprise(batch)
    run = start_run(batch, small_scheme, background=False)
    return small_scheme, run


def test_a_calculated_run_does_not_freeze_its_scheme(used_scheme):
    scheme, _run = used_scheme
    assert not scheme.is_frozen
    scheme.name = "改名"
    scheme.full_clean()
    scheme.save()


@pytest.mark.parametrize("status", [CalculationRun.Status.PUBLICITY, CalculationRun.Status.FINAL])
def test_a_published_run_freezes_its_scheme(used_scheme, status):
    scheme, run = used_scheme
    publish(run, status)
    scheme = Scheme.objects.get(pk=scheme.pk)
    assert scheme.is_frozen
    scheme.name = "改名"
    with pytest.raises(ValidationError):
        scheme.full_clean()
    with pytest.raises(FrozenSchemeError):
        scheme.save()
    indicator = scheme.indicators.first()
    indicator.cap = 99
    with pytest.raises(ValidationError):
        indicator.full_clean()
    with pytest.raises(FrozenSchemeError):
        indicator.save()
    with pytest.raises(FrozenSchemeError):
        indicator.delete()
    with pytest.raises(FrozenSchemeError):
        SchemeIndicator(
            scheme=scheme,
            code="new",
            name="新",
            category="bonus",
            rule="bonus",
            points=1,
            cap=1,
            source="record_count",
            record_indicator="trademark",
        ).save()
    assert Scheme.objects.get(pk=scheme.pk).name == "测试方案"
    assert scheme.indicators.count() == 6


def test_a_frozen_scheme_copies_into_an_editable_one(used_scheme):
    scheme, run = used_scheme
    publish(run)
    copy = Scheme.objects.get(pk=scheme.pk).copy()
    assert copy.pk != scheme.pk and copy.copied_from_id == scheme.pk and copy.name == "测试方案（副本）"
    assert not copy.is_frozen
    assert [i.definition() for i in copy.indicators.order_by("sort_order")] == [
        i.definition() for i in scheme.indicators.order_by("sort_order")
    ]
    assert copy.version() != "" and {**copy.definition(), "name": ""} == {**scheme.definition(), "name": ""}
    changed = copy.indicators.get(code="rd_expense")
    changed.cap = 8
    changed.save()
    assert scheme.indicators.get(code="rd_expense").cap == 4


def test_the_run_keeps_the_scheme_as_it_was(used_scheme, batch):
    scheme, run = used_scheme
    indicator = scheme.indicators.get(code="rd_expense")
    indicator.cap = 40
    indicator.save()
    again = start_run(batch, scheme, background=False)
    assert again.scheme_version != run.scheme_version
    rd = next(
        i for i in CalculationRun.objects.get(pk=run.pk).scheme_snapshot["indicators"] if i["code"] == "rd_expense"
    )
    assert rd["cap"] == "4"

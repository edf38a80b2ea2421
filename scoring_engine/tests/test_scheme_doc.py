"""The default scheme is what docs/scoring-scheme.md says, number for number; it has the
national guideline's shape; the data migration updates a shipped default without touching a
frozen or edited one."""

import re
from decimal import Decimal

import pytest

from scoring_engine import default_scheme, rules
from scoring_engine.models import CalculationRun, Scheme, SchemeIndicator
from scoring_engine.scheme_doc import BEGIN, DOC, END, generated

pytestmark = pytest.mark.django_db
STAGES = ("startup", "growth", "mature")


@pytest.fixture
def shipped():
    return Scheme.objects.get(name=default_scheme.NAME)


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_installed_default_is_the_data_of_default_scheme_py(shipped):
    installed = [i.definition() for i in SchemeIndicator.objects.filter(scheme=shipped).order_by("sort_order")]
    expected = [SchemeIndicator(**row).definition() for row in default_scheme.indicator_rows()]
    assert installed == expected
    assert shipped.percentile_min_group == default_scheme.SCHEME_FIELDS["percentile_min_group"]


def test_it_has_the_guideline_s_shape(shipped):
    indicators = list(shipped.indicators.all())
    core = [i for i in indicators if i.kind == "core"]
    assert len(core) == 18
    assert {i.category for i in core} == {"innovation", "operation", "auxiliary"}
    assert all(i.kind == "local" for i in indicators if i.category in ("bonus", "negative"))
    assert {i.stands_in_for for i in core if i.stands_in_for} == {"高新技术产品收入", "净资产利润率"}
    # Weights differ by stage, and the core indicators give 100 points at every stage.
    assert any(len({i.weight_startup, i.weight_growth, i.weight_mature}) > 1 for i in core)
    for stage in STAGES:
        assert sum(i.cap * i.weight_for(stage) for i in core) == Decimal("100")


def test_the_document_s_generated_part_is_generated_from_the_default(shipped):
    text = doc()
    block = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip("\n")
    assert block == generated(shipped), "docs/scoring-scheme.md is stale: run `python manage.py scheme_doc --write`"


def test_the_document_s_per_stage_split_is_derived_from_the_scheme(shipped):
    """Independently of the generator: sum 满分值 × weight per category and kind for each stage
    and compare with the document's table."""
    table = {}
    for line in doc().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(("（核心）", "（地方）", "合计", "（最多）", "（最多扣）")):
            table[cells[0]] = [Decimal(cell) for cell in cells[1:]]
    labels = {"innovation": "技术创新指标", "operation": "成长经营指标", "auxiliary": "辅助指标"}
    indicators = list(shipped.indicators.all())

    def split(test):
        return [sum((i.cap * i.weight_for(stage) for i in indicators if test(i)), Decimal(0)) for stage in STAGES]

    for category, label in labels.items():
        assert table[f"{label}（核心）"] == split(lambda i, c=category: i.category == c and i.kind == "core")
        local = split(lambda i, c=category: i.category == c and i.kind == "local")
        assert table.get(f"{label}（地方）", [Decimal(0)] * 3) == local
    assert table["核心指标合计"] == split(lambda i: i.kind == "core") == [Decimal(100)] * 3
    assert table["加分（最多）"] == split(lambda i: i.category == "bonus")
    assert table["负面（最多扣）"] == split(lambda i: i.category == "negative")
    # The split differs by stage, and the document no longer claims one split for all.
    assert table["成长经营指标（核心）"] != [table["成长经营指标（核心）"][1]] * 3
    assert "50/30/20" not in doc()


def test_the_tiers_the_document_states_are_the_engine_s():
    text = doc()
    for tier, share in rules.TIER_SHARES:
        label = {"leading": "领跑", "racing": "竞跑", "advancing": "进取"}[tier]
        assert re.search(rf"\*\*{label}\*\* within (the top )?{share} %", text), (label, share)


# ---- migration 0008 --------------------------------------------------------------------


def old_default(name=default_scheme.PREVIOUS_NAME, **edits):
    """A scheme as the previous release shipped it (its rows stand in for the real ones: the
    check compares them with PREVIOUS_DIGEST, patched to their digest below)."""
    scheme = Scheme.objects.create(name=name)
    rows = [
        dict(code="rd_expense", name="研发费用金额", category="innovation", source="field", field="rd_expense",
             rule="percentile", cap=Decimal("8"), weight_startup=Decimal("0.75"), weight_mature=Decimal("1.25")),
        dict(code="high_tech", name="高新技术企业认定", category="bonus", source="record_count",
             record_indicator="high_tech", rule="bonus", points=Decimal("5"), cap=Decimal("5")),
    ]
    SchemeIndicator.objects.bulk_create([SchemeIndicator(scheme=scheme, **{**row, **edits}) for row in rows])
    return scheme, default_scheme.rows_digest(SchemeIndicator.objects.filter(scheme=scheme).values())


def update():
    return default_scheme.update_shipped_default(Scheme, SchemeIndicator, CalculationRun)


@pytest.fixture
def previous_release(monkeypatch):
    """A database as the previous release left it: no scheme of the new name."""
    Scheme.objects.filter(name=default_scheme.NAME).delete()
    scheme, digest = old_default()
    monkeypatch.setattr(default_scheme, "PREVIOUS_DIGEST", digest)
    return scheme


def test_an_untouched_previous_default_is_updated_in_place(previous_release):
    assert update() == "replaced in place"
    scheme = Scheme.objects.get(pk=previous_release.pk)
    assert scheme.name == default_scheme.NAME
    assert scheme.indicators.count() == len(default_scheme.INDICATORS)
    assert scheme.indicators.filter(kind="core").count() == 18


def test_a_frozen_previous_default_is_left_alone_and_copied(previous_release, batch):
    CalculationRun.objects.create(batch=batch, scheme=previous_release, status=CalculationRun.Status.FINAL)
    assert update() == "copied"
    old = Scheme.objects.get(pk=previous_release.pk)
    assert old.name == default_scheme.PREVIOUS_NAME and old.indicators.count() == 2
    new = Scheme.objects.get(name=default_scheme.NAME)
    assert new.copied_from == old and new.indicators.filter(kind="core").count() == 18


def test_an_edited_previous_default_is_left_alone_and_copied(previous_release):
    previous_release.indicators.filter(code="rd_expense").update(cap=Decimal("9"))
    assert update() == "copied"
    assert Scheme.objects.get(pk=previous_release.pk).indicators.get(code="rd_expense").cap == Decimal("9")
    assert Scheme.objects.filter(name=default_scheme.NAME).count() == 1


def test_a_fresh_database_gets_the_full_default_from_the_migrations(shipped):
    # 0002 installed it without the fields added later; 0008 completed it.
    assert shipped.indicators.filter(kind="core").count() == 18
    assert update() == "updated"
    assert Scheme.objects.filter(name=default_scheme.NAME).count() == 1

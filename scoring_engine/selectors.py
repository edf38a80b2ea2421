"""Reads about schemes that more than one screen needs: the most each stage can score."""

from decimal import Decimal

from .models import Category, Kind, Stage

STAGES = [stage.value for stage in Stage]
SCORED = (Category.INNOVATION, Category.OPERATION, Category.AUXILIARY)


def _get(indicator, name):
    return indicator[name] if isinstance(indicator, dict) else getattr(indicator, name)


def stage_caps(indicators) -> list[tuple[str, list[Decimal]]]:
    """The most each stage can score (满分值 × the stage's weight), summed: per first-level
    category over its core indicators, the core total, per category over its 地方指标, then
    加分 (most added) and 负面 (most deducted). `indicators`: SchemeIndicator objects or
    their field dicts (default_scheme.indicator_rows()). Rows with nothing are left out.

    Returns [(label, [初创期, 成长期, 稳定期])], points as Decimal.
    """
    labels = dict(Category.choices)

    def total(category, kind=None):
        sums = [Decimal(0)] * len(STAGES)
        for indicator in indicators:
            if _get(indicator, "category") != category or (kind and _get(indicator, "kind") != kind):
                continue
            for n, stage in enumerate(STAGES):
                sums[n] += Decimal(str(_get(indicator, "cap"))) * Decimal(str(_get(indicator, f"weight_{stage}")))
        return sums

    rows = [(f"{labels[c]}指标（核心）", total(c, Kind.CORE)) for c in SCORED]
    rows.append(("核心指标合计", [sum(column, Decimal(0)) for column in zip(*(r[1] for r in rows), strict=True)]))
    rows += [(f"{labels[c]}指标（地方）", total(c, Kind.LOCAL)) for c in SCORED]
    rows += [("加分（最多）", total(Category.BONUS)), ("负面（最多扣）", total(Category.NEGATIVE))]
    return [(label, values) for label, values in rows if any(values) or label == "核心指标合计"]

"""方案试算: run a draft scheme on a batch without publishing it, and read what it would change
against the batch's published run — who moves, by how much, and which indicators moved them —
so that a weight change is judged before it is adopted.

A trial is an ordinary calculation run marked `is_trial` (services.start_run): the engine,
the results and the comparison (publication.compare) are the same code as for a real run.
It is never published (publication.publish refuses it and a database constraint forbids it),
so enterprises, the ranking and banks never see it; it is never what a real run is compared
with, and never decides a batch's default scheme.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from . import publication
from .models import CalculationRun, EnterpriseResult, Scheme
from .services import start_run

# Rows listed on the trial page (the biggest moves first); the counts cover every enterprise.
LISTED = 200


def start_trial(batch, scheme: Scheme, user) -> CalculationRun:
    """A trial run of `batch` with `scheme` (any scheme, frozen or not), calculated as a task
    like a real run. Raises services.RunRefused as start_run does."""
    return start_run(batch, scheme, user, trial=True)


class NotATrial(Exception):
    """Only trial runs can be deleted here; the message is Chinese and meant for the user."""


@transaction.atomic
def delete_trial(run: CalculationRun) -> None:
    """Delete a finished trial run and its results. Raises NotATrial for any other run."""
    run = CalculationRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_trial:
        raise NotATrial("只能删除试算，正式计算的结果要保留。")
    if run.status == CalculationRun.Status.RUNNING:
        raise NotATrial("试算还在计算中，完成后才能删除。")
    EnterpriseResult.objects.filter(run=run).delete()
    run.delete()


def baseline(run: CalculationRun) -> CalculationRun | None:
    """What a trial is compared with by default: the batch's published run (公示中 or 已发布),
    else its latest calculated real run (publication.previous_run)."""
    return publication.previous_run(run)


@dataclass
class IndicatorEffect:
    """How one indicator's points changed over the enterprises whose points it changed."""

    name: str
    enterprises: int = 0
    gained: int = 0
    lost: int = 0
    net: Decimal = Decimal(0)  # points, summed over those enterprises

    @property
    def average(self) -> Decimal:
        return (self.net / self.enterprises).quantize(Decimal("0.01")) if self.enterprises else Decimal(0)


@dataclass
class TrialSummary:
    """The comparison of a trial with `against`, counted: every row of `comparison` is an
    enterprise whose total, rank, stage or tier differs, or that is in one run only."""

    comparison: publication.Comparison
    up: int = 0
    down: int = 0
    level: int = 0  # same rank, other points, stage or tier
    stage_changes: int = 0
    tier_changes: int = 0
    largest_rise: int = 0
    largest_fall: int = 0
    indicators: list[IndicatorEffect] = field(default_factory=list)

    @property
    def rows(self) -> list[publication.ChangeRow]:
        return self.comparison.rows[:LISTED]

    @property
    def more(self) -> int:
        return max(len(self.comparison.rows) - LISTED, 0)


def summarise(run: CalculationRun, against: CalculationRun | None) -> TrialSummary:
    """Compare `run` with `against` (publication.compare) and count who moved up or down, the
    largest moves in places, the stage and tier changes, and per indicator how many
    enterprises' points it changed and by how much in all (largest effect first)."""
    comparison = publication.compare(run, against)
    summary = TrialSummary(comparison)
    effects: dict[str, IndicatorEffect] = defaultdict(lambda: IndicatorEffect(""))
    for row in comparison.rows:
        if row.kind != "变化":
            continue
        change = row.rank_change or 0
        summary.up += change > 0
        summary.down += change < 0
        summary.level += change == 0
        summary.largest_rise = max(summary.largest_rise, change)
        summary.largest_fall = max(summary.largest_fall, -change)
        summary.stage_changes += row.old["stage"] != row.new["stage"]
        summary.tier_changes += row.old["tier"] != row.new["tier"]
        for indicator in row.indicators:
            delta = _points(indicator.new_points) - _points(indicator.old_points)
            if not delta:
                continue
            effect = effects[indicator.name]
            effect.name = indicator.name
            effect.enterprises += 1
            effect.gained += delta > 0
            effect.lost += delta < 0
            effect.net += delta
    summary.indicators = sorted(effects.values(), key=lambda e: (-abs(e.net), -e.enterprises, e.name))
    return summary


def _points(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))

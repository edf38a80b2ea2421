"""Whether an enterprise qualifies for a product (符合申请条件), and why not when it does not.

Only a **published** result counts: the enterprise's result in the most recent calculation run
that is 已发布 (status `final`), the most recent being the run of the latest data year (then the
latest to be finalised). A run still in 公示 (`publicity`) does not count: during 公示 the result
may still change after an objection, and a bank should lend on the final one. An enterprise
that has no result in that run (it did not take part that year) has no published result: an
older year's points are not used.

A product's requirements, each optional: 最低创新积分 (total ≥ the minimum, equal qualifies),
积分梯队 (the result's tier at least the required one: 领跑 > 竞跑 > 进取 > none) and 企业发展阶段
(the result's stage equals the product's).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from portal.core.generations import Memo, rows_of
from scoring_engine.models import CalculationRun, EnterpriseResult, Stage, Tier

# Higher is better; a result without a tier ranks below every tier.
TIER_RANK = {Tier.LEADING: 3, Tier.RACING: 2, Tier.ADVANCING: 1, Tier.NONE: 0}
NO_RESULT = "暂无正式发布的创新积分结果，发布后才能申请。"


# Every page of the market reads the latest final run for a logged-in enterprise; it changes
# only when a run is saved (finalised, superseded, deleted): each worker keeps it until then.
FINAL_RUN = Memo(rows_of("scoring_engine.CalculationRun"), max_entries=1)


def latest_final_run():
    """The latest 已发布 run with its batch (its scheme snapshot and percentile groups read only
    when used), or None; no query while no run has been saved since this worker read it."""
    return FINAL_RUN.get("latest", lambda: (
        CalculationRun.objects.filter(status=CalculationRun.Status.FINAL)
        .select_related("batch").defer("scheme_snapshot", "percentile_groups")
        .order_by("-batch__data_year", "-finalised_at", "-pk")
        .first()
    ))


def published_result(enterprise, run=None):
    """The enterprise's EnterpriseResult in the latest final run, or None."""
    run = run or latest_final_run()
    if run is None:
        return None
    result = EnterpriseResult.objects.filter(run=run, enterprise=enterprise).first()
    if result is not None:
        result.run = run
    return result


def tier_label(tier: str) -> str:
    return Tier(tier).label if tier else "未进入梯队"


@dataclass
class Match:
    """The outcome for one product: `qualifies`, or the `reasons` it does not, in Chinese."""

    reasons: list[str] = field(default_factory=list)

    @property
    def qualifies(self) -> bool:
        return not self.reasons


def match(product, result) -> Match:
    if result is None:
        return Match([NO_RESULT])
    reasons = []
    if product.min_points is not None and Decimal(result.total) < product.min_points:
        reasons.append(f"创新积分为{result.total}分，低于本产品要求的{product.min_points}分。")
    if product.tier and TIER_RANK[Tier(result.tier or "")] < TIER_RANK[Tier(product.tier)]:
        reasons.append(f"积分梯队为{tier_label(result.tier)}，本产品要求{Tier(product.tier).label}及以上。")
    if product.stage and result.stage != product.stage:
        reasons.append(f"企业发展阶段为{Stage(result.stage).label}，本产品面向{Stage(product.stage).label}企业。")
    return Match(reasons)


class Viewer:
    """A logged-in, approved enterprise looking at the market: its published result, read once."""

    def __init__(self, enterprise):
        self.enterprise = enterprise
        self.run = latest_final_run()
        self.result = published_result(enterprise, self.run)
        self._open = None

    @classmethod
    def for_request(cls, request):
        from enterprise_business.models import Enterprise

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        enterprise = getattr(user, "enterprise", None)
        if enterprise is None or enterprise.status != Enterprise.Status.APPROVED:
            return None
        return cls(enterprise)

    def match(self, product) -> Match:
        return match(product, self.result)

    def annotate(self, products):
        """Set `.match` on each product; return them, qualifying first (stable otherwise)."""
        for product in products:
            product.match = self.match(product)
        return sorted(products, key=lambda product: not product.match.qualifies)

    def open_application(self, product):
        from .models.lending import LoanApplication

        if self._open is None:
            self._open = {
                application.product_id: application
                for application in LoanApplication.objects.filter(
                    enterprise=self.enterprise, status__in=LoanApplication.OPEN_STATUSES
                )
            }
        return self._open.get(product.pk)

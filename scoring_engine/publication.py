"""Publishing a calculation run: compare it with the previous one, put it to 公示, answer the
objections (异议) raised during 公示, then publish it for good (正式发布).

Lifecycle of a run here: 待发布 (calculated) → 公示中 (publicity, with its dates) → 已发布 (final).
A batch has at most one published run at a time: publishing a newer run of the same batch
(after a corrected filing, say) makes the older published run 已作废 (superseded).

Who sees what: enterprises and the public see a run that is 已发布, or 公示中 from its start
date on (`visible_runs`). Objections are accepted only while 公示 is running, and only on the
enterprise's own result.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from enterprise_business.models import Batch
from portal.core.inquiries import services as inquiries
from portal.core.inquiries.forms import InquiryForm
from portal.core.jobs import enqueue
from portal.core.workflow import TransitionError

from .models import CalculationRun, EnterpriseResult, Stage
from .objection_models import ScoreObjection
from .results import STAGE_LABELS, TIER_LABELS, in_publicity, indicator_definitions, visible_runs  # noqa: F401 (re-exported)

Status = CalculationRun.Status
PUBLISHED = (Status.PUBLICITY, Status.FINAL)
RESULTS_LINK = "/enterprise/results/"
RANKING_LINK = "/ranking/"


class PublicationError(TransitionError):
    """A refused publication step; the message is Chinese and meant for the user."""


# ---- comparison ------------------------------------------------------------------------------


@dataclass
class IndicatorChange:
    name: str
    old_value: object
    new_value: object
    old_points: object
    new_points: object


@dataclass
class ChangeRow:
    """One enterprise whose result differs between the two runs, and why."""

    credit_code: str
    name: str
    kind: str  # 变化 / 新增 / 移出
    old: dict | None
    new: dict | None
    indicators: list[IndicatorChange] = field(default_factory=list)

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative); None when in only one run."""
        if self.old is None or self.new is None:
            return None
        return self.old["rank"] - self.new["rank"]

    @property
    def total_change(self) -> Decimal | None:
        """Points gained (positive) or lost (negative); None when in only one run."""
        if self.old is None or self.new is None:
            return None
        return Decimal(str(self.new["total"])) - Decimal(str(self.old["total"]))

    @property
    def rank_change_text(self) -> str:
        change = self.rank_change
        if not change:
            return ""
        return f"上升{change}位" if change > 0 else f"下降{-change}位"

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.old and self.new and self.old["stage"] != self.new["stage"]:
            out.append(f"发展阶段由{Stage(self.old['stage']).label}变为{Stage(self.new['stage']).label}")
        for change in self.indicators:
            points = f"得分 {_text(change.old_points)} → {_text(change.new_points)}"
            if _differs(change.old_value, change.new_value):
                out.append(f"{change.name}：数值 {_text(change.old_value)} → {_text(change.new_value)}，{points}")
            else:  # e.g. a percentile rule: the same figure ranks differently among the others
                out.append(f"{change.name}：数值未变（{_text(change.new_value)}），{points}")
        return out


@dataclass
class Comparison:
    run: CalculationRun
    previous: CalculationRun | None
    rows: list[ChangeRow]
    unchanged: int

    @property
    def counts(self) -> dict:
        kinds = [row.kind for row in self.rows]
        return {"变化": kinds.count("变化"), "新增": kinds.count("新增"), "移出": kinds.count("移出")}


def _text(value) -> str:
    if value is None:
        return "无"
    return format(Decimal(str(value)).normalize(), "f")


def previous_run(run: CalculationRun) -> CalculationRun | None:
    """What `run` is compared with by default: the batch's run published now, else the latest
    earlier run of the batch that has results. Trial runs are never the one compared with."""
    others = CalculationRun.objects.filter(batch_id=run.batch_id, is_trial=False).exclude(pk=run.pk)
    published = others.filter(status__in=PUBLISHED).order_by("-published_at", "-pk").first()
    if published is not None:
        return published
    return (
        others.filter(status__in=(Status.CALCULATED, Status.SUPERSEDED), started_at__lte=run.started_at)
        .order_by("-started_at", "-pk")
        .first()
    )


RESULT_FIELDS = ("enterprise_id", "credit_code", "name", "stage", "total", "rank", "stage_rank", "tier", "details")


def _results(run) -> dict:
    rows = {}
    for row in EnterpriseResult.objects.filter(run=run).values(*RESULT_FIELDS):
        row["stage_label"] = STAGE_LABELS.get(row["stage"], row["stage"])
        row["tier_label"] = TIER_LABELS.get(row["tier"], "—") if row["tier"] else "—"
        rows[row["enterprise_id"]] = row
    return rows


def compare(run: CalculationRun, previous: CalculationRun | None) -> Comparison:
    """Every enterprise whose total, rank, stage or tier differs between `previous` and `run`,
    with the indicators whose value or points changed (the "why"); enterprises in only one
    of the runs are listed as 新增 or 移出. Two queries, whatever the size of the runs."""
    new = _results(run)
    old = _results(previous) if previous is not None else {}
    names = {d["code"]: d["name"] for d in indicator_definitions(previous)} if previous is not None else {}
    names.update({d["code"]: d["name"] for d in indicator_definitions(run)})
    rows, unchanged = [], 0
    for enterprise_id in new.keys() | old.keys():
        before, after = old.get(enterprise_id), new.get(enterprise_id)
        if before is None or after is None:
            current = after or before
            rows.append(
                ChangeRow(current["credit_code"], current["name"], "新增" if before is None else "移出", before, after)
            )
            continue
        changes = []
        for code in after["details"].keys() | before["details"].keys():
            a, b = after["details"].get(code) or {}, before["details"].get(code) or {}
            if _differs(a.get("value"), b.get("value")) or _differs(a.get("points"), b.get("points")):
                changes.append(
                    IndicatorChange(
                        names.get(code, code), b.get("value"), a.get("value"), b.get("points"), a.get("points")
                    )
                )
        moved = any(before[k] != after[k] for k in ("total", "rank", "stage", "tier", "stage_rank"))
        if moved or changes:
            # The biggest effect on the total first.
            changes.sort(key=lambda c: (-abs(_number(c.new_points) - _number(c.old_points)), c.name))
            rows.append(ChangeRow(after["credit_code"], after["name"], "变化", before, after, changes))
        else:
            unchanged += 1
    rows.sort(key=lambda r: (-abs(r.rank_change or 0), (r.new or r.old)["rank"], r.credit_code))
    return Comparison(run, previous, rows, unchanged)


def _number(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))


def _differs(a, b) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return Decimal(str(a)) != Decimal(str(b))


# ---- publication -----------------------------------------------------------------------------


def _locked_run(pk) -> CalculationRun:
    run = CalculationRun.objects.select_for_update().select_related("batch").get(pk=pk)
    # The batch row serialises publications of the same batch.
    Batch.objects.select_for_update().filter(pk=run.batch_id).first()
    return run


def check_ranking(top_n, top_percent):
    if top_n and top_percent:
        raise PublicationError("榜单企业数和榜单比例只能填写其中一项。")
    if not top_n and not top_percent:
        raise PublicationError("请填写榜单企业数或榜单比例（%）其中一项。")
    if top_percent is not None and not (Decimal(0) < Decimal(top_percent) <= Decimal(100)):
        raise PublicationError("榜单比例须大于0且不超过100。")


def publish(
    run: CalculationRun,
    user,
    starts_on: date,
    ends_on: date,
    *,
    top_n=None,
    top_percent=None,
    today: date | None = None,
) -> CalculationRun:
    """Put a 待发布 run to 公示 from `starts_on` to `ends_on` (both included); the batch's
    previously published run, if any, becomes 已作废. Notifies every enterprise of the run."""
    today = today or timezone.localdate()
    if starts_on is None or ends_on is None:
        raise PublicationError("请填写公示开始日期和结束日期。")
    if starts_on < today:
        raise PublicationError("公示开始日期不能早于今天。")
    if ends_on < starts_on:
        raise PublicationError("公示结束日期不能早于开始日期。")
    check_ranking(top_n, top_percent)
    with transaction.atomic():
        run = _locked_run(run.pk)
        if run.is_trial:
            raise PublicationError("试算结果只用于对比方案，不能发布；请用该方案发起正式计算后再发布。")
        if run.status != Status.CALCULATED:
            raise PublicationError(f"只有“待发布”的计算可以发布公示，该计算当前为“{run.get_status_display()}”。")
        if run.enterprise_count == 0 and not run.results.exists():
            raise PublicationError("该计算没有任何企业的结果，不能发布。")
        CalculationRun.objects.filter(batch_id=run.batch_id, status__in=PUBLISHED).exclude(pk=run.pk).update(
            status=Status.SUPERSEDED
        )
        run.status = Status.PUBLICITY
        run.publicity_starts_on, run.publicity_ends_on = starts_on, ends_on
        run.published_at, run.published_by = timezone.now(), user
        run.ranking_top_n = top_n or None
        run.ranking_top_percent = top_percent or None
        run.save(
            update_fields=[
                "status",
                "publicity_starts_on",
                "publicity_ends_on",
                "published_at",
                "published_by",
                "ranking_top_n",
                "ranking_top_percent",
            ]
        )
        notify_enterprises(run, "results_in_publicity", user,
                           starts_on=f"{starts_on:%Y-%m-%d}", ends_on=f"{ends_on:%Y-%m-%d}")
    return run


def finalise(run: CalculationRun, user, *, early: bool = False, today: date | None = None) -> CalculationRun:
    """Publish a 公示中 run for good. Before 公示 has ended only with `early` (the staff's
    explicit confirmation); never while an objection is unanswered."""
    today = today or timezone.localdate()
    with transaction.atomic():
        run = _locked_run(run.pk)
        if run.status != Status.PUBLICITY:
            raise PublicationError(f"只有“公示中”的计算可以正式发布，该计算当前为“{run.get_status_display()}”。")
        if run.publicity_ends_on is not None and today <= run.publicity_ends_on and not early:
            raise PublicationError(
                f"公示期到{run.publicity_ends_on:%Y-%m-%d}才结束；如确需提前正式发布，请勾选“公示期未满，确认提前正式发布”。"
            )
        pending = ScoreObjection.objects.filter(result__run=run, status=ScoreObjection.Status.PENDING).count()
        if pending:
            raise PublicationError(f"还有{pending}条积分异议未答复，答复后才能正式发布。")
        run.status = Status.FINAL
        run.finalised_at = timezone.now()
        run.save(update_fields=["status", "finalised_at"])
        notify_enterprises(run, "results_final", user)
    return run


NOTIFY_JOB = "scoring.notify"
NOTICE_TITLES = {"results_in_publicity": "积分结果公示通知", "results_final": "积分结果正式发布通知"}


def notify_enterprises(run: CalculationRun, template_name: str, user=None, **params):
    """The catalogue's `template_name` (with the batch's name) as 消息 and SMS to every
    enterprise of the run: a job for the workers (`notify_job`), committed with the publication
    step that calls it, so the staff's request does not wait for thousands of SMS."""
    title = f"{NOTICE_TITLES.get(template_name, '结果通知')}：{run.batch.name}（第{run.pk}次计算）"
    return enqueue(NOTIFY_JOB, title,
                   user=user, params={"run_id": run.pk, "template": template_name, "params": params},
                   key=f"scoring-notify:{run.pk}:{template_name}")


# ---- objections ------------------------------------------------------------------------------


class ObjectionForm(InquiryForm):
    """积分异议 on the enterprise's own result; the field names are those of the results page."""

    text_field = "reason"
    text_label = "异议理由"
    text_help = "请写明对哪一项指标或数值有异议，以及理由（不超过1000字）。"
    attachment_label = "证明材料（可选）"

    def __init__(self, *args, enterprise=None, user=None, **kwargs):
        kwargs.setdefault("prefix", "objection")
        super().__init__(*args, owner=enterprise.user if enterprise is not None else None, user=user, **kwargs)


def raise_objection(
    result: EnterpriseResult, enterprise, user, reason: str, attachment=None, today: date | None = None
) -> ScoreObjection:
    if result.enterprise_id != enterprise.pk:
        raise PublicationError("只能对本企业的积分结果提出异议。")
    if not in_publicity(result.run, today):
        raise PublicationError("不在公示期内，不能提出异议。")
    if not reason.strip():
        raise PublicationError("请填写异议理由。")
    return inquiries.ask(ScoreObjection, asked_by=user, text=reason, attachment=attachment, result=result,
                         enterprise=enterprise)


def answer_objection(pk, user, text: str) -> ScoreObjection:
    """Answer a pending objection and tell the enterprise (消息 + SMS)."""
    return inquiries.answer(ScoreObjection.objects.all(), pk, user, text)

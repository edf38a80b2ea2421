"""积分方案 and 计算批次: the scheme as data, each calculation run and its per-enterprise results.

A scheme is a list of indicators. Each indicator reads one value per enterprise (`source`),
turns it into points with one of a closed set of rules (`rule`: an entry of
`scoring_engine.rules.RULES`, which holds its checks, words and function) capped at `cap`,
and multiplies the points by the weight of the enterprise's stage. Nothing in a scheme is
code: every parameter is a plain field.
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.core.records import NotContent

from .rules import RULES, RuleParams, fmt


class Stage(models.TextChoices):
    STARTUP = "startup", "初创期"
    GROWTH = "growth", "成长期"
    MATURE = "mature", "稳定期"


class Tier(models.TextChoices):
    """Within-stage tiers: 领跑 top 5 %, 竞跑 5–10 %, 进取 10–20 %, else none."""

    NONE = "", "—"
    LEADING = "leading", "领跑"
    RACING = "racing", "竞跑"
    ADVANCING = "advancing", "进取"


class Category(models.TextChoices):
    INNOVATION = "innovation", "技术创新"
    OPERATION = "operation", "成长经营"
    AUXILIARY = "auxiliary", "辅助"
    BONUS = "bonus", "加分"
    NEGATIVE = "negative", "负面"


class Kind(models.TextChoices):
    """Whether an indicator is one of the national guideline's core indicators (核心指标) or
    one the zone adds itself (地方指标)."""

    CORE = "core", "核心指标"
    LOCAL = "local", "地方指标"


class Source(models.TextChoices):
    FIELD = "field", "填报数值"
    RATIO = "ratio", "两项填报数值之比（%）"
    GROWTH = "growth", "较上年增长率（%）"
    RECORD_COUNT = "record_count", "资质记录条数"
    RECORD_SUM = "record_sum", "资质记录金额合计（万元）"


# The rules' codes and labels, from the registry (one entry per rule in scoring_engine.rules).
Rule = models.TextChoices("Rule", [(code.upper(), (code, rule.label)) for code, rule in RULES.items()])


# The numbers a points filing holds (万元 or 人), by field name, as the engine reads them from
# the approved snapshot. `age` is derived: whole years from 成立日期 to the end of year Y.
FILING_FIELDS = {
    "equity_begin": "Y年初所有者权益",
    "equity_end": "Y年末所有者权益",
    "rd_expense": "Y年研发费用",
    "rd_expense_prev": "Y-1年研发费用",
    "revenue": "Y年营业收入",
    "revenue_prev": "Y-1年营业收入",
    "tax_paid": "Y年企业实际上缴税费总额",
    "tax_paid_prev": "Y-1年企业实际上缴税费总额",
    "rd_tax_deduction": "企业Y年研发费用加计扣除所得税减免额",
    "social_security": "Y年12月社保人数",
    "social_security_prev": "Y-1年12月社保人数",
    "bachelor_count": "大学本科学历人数",
    "postgraduate_count": "研究生学历人数",
    "staff_total": "期末人员总数",
    "graduates_hired": "企业当年吸纳高校应届毕业生人数",
    "rd_staff": "研发人员数",
}
AMOUNT_FIELDS = frozenset(
    {
        "equity_begin",
        "equity_end",
        "rd_expense",
        "rd_expense_prev",
        "revenue",
        "revenue_prev",
        "tax_paid",
        "tax_paid_prev",
        "rd_tax_deduction",
    }
)
# Derived per-enterprise values a scheme may also read.
DERIVED_FIELDS = {
    "age": "成立年限（年）",
    "degree_count": "本科及以上学历人数",
}
FIELD_CHOICES = [(name, label) for name, label in {**FILING_FIELDS, **DERIVED_FIELDS}.items()]
FIELD_LABELS = dict(FIELD_CHOICES)

class FrozenSchemeError(ValidationError):
    pass


FROZEN_MESSAGE = "该方案已用于公示或发布的计算，不能再修改；请先“复制方案”，再修改副本。"


class Scheme(ClusterableModel):
    """积分方案: indicators, and the stage rule.

    Stage rule (assigned per enterprise from its approved figures of year Y):
    初创期 when its age at the end of Y is under `startup_max_age` years or its Y revenue is
    under `startup_max_revenue` 万元; otherwise 稳定期 when its Y revenue is at least
    `mature_min_revenue` 万元; otherwise 成长期. Unknown age counts as not young; unknown revenue
    counts as 0 (so an enterprise with no revenue figure is 初创期).

    Small stages: a percentile indicator compares an enterprise with the enterprises of its
    stage that have a value, unless they are fewer than `percentile_min_group`; then with
    every enterprise of the batch that has one (a stage of one would otherwise give it the
    full points whatever its figures).
    """

    name = models.CharField("方案名称", max_length=100)
    description = models.TextField("方案说明", blank=True)
    startup_max_age = models.PositiveSmallIntegerField(
        "初创期：成立年限少于（年）", default=3, help_text="成立不满该年限的企业为初创期。"
    )
    startup_max_revenue = models.DecimalField(
        "初创期：营业收入低于（万元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("1000"),
        help_text="Y年营业收入低于该值的企业也为初创期。",
    )
    mature_min_revenue = models.DecimalField(
        "稳定期：营业收入不低于（万元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("20000"),
        help_text="不属初创期且Y年营业收入不低于该值的企业为稳定期，其余为成长期。",
    )
    percentile_min_group = models.PositiveSmallIntegerField(
        "百分位计分：同阶段至少（家）",
        default=10,
        help_text="同阶段计分的指标，本阶段有该项数值的企业少于该数时，改为在全批次企业中计算百分位。",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name="复制自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "积分方案"
        verbose_name_plural = "积分方案"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    # --- frozen --------------------------------------------------------------------------
    @property
    def is_frozen(self) -> bool:
        """True once a run using this scheme has been put to 公示 or published — and for good:
        a published run later superseded by a newer one still has to be reproducible."""
        if self.pk is None:
            return False
        return self.runs.filter(
            models.Q(status__in=CalculationRun.FROZEN_STATUSES) | models.Q(published_at__isnull=False)
        ).exists()

    is_frozen.fget.short_description = "已冻结"

    def _check_not_frozen(self):
        if self.pk is not None and Scheme.objects.get(pk=self.pk).is_frozen:
            raise FrozenSchemeError(FROZEN_MESSAGE)

    def clean(self):
        super().clean()
        self._check_not_frozen()
        if self.startup_max_revenue is not None and self.mature_min_revenue is not None:
            if self.mature_min_revenue < self.startup_max_revenue:
                raise ValidationError({"mature_min_revenue": "稳定期的营业收入门槛不能低于初创期的门槛。"})

    def save(self, *args, **kwargs):
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_not_frozen()
        return super().delete(*args, **kwargs)

    # --- copy and version ---------------------------------------------------------------
    @transaction.atomic
    def copy(self, name: str | None = None) -> "Scheme":
        """A new, unfrozen scheme with the same parameters and a copy of every indicator."""
        new = Scheme.objects.create(
            name=name or f"{self.name}（副本）"[:100],
            description=self.description,
            startup_max_age=self.startup_max_age,
            startup_max_revenue=self.startup_max_revenue,
            mature_min_revenue=self.mature_min_revenue,
            percentile_min_group=self.percentile_min_group,
            copied_from=self,
        )
        indicators = []
        for indicator in SchemeIndicator.objects.filter(scheme=self).order_by("sort_order", "pk"):
            indicator.pk = None
            indicator.id = None
            indicator.scheme = new
            indicator._state.adding = True
            indicators.append(indicator)
        SchemeIndicator.objects.bulk_create(indicators)
        return new

    def definition(self) -> dict:
        """Everything that decides the results, as plain JSON (stored on each run)."""
        return {
            "name": self.name,
            "startup_max_age": self.startup_max_age,
            "startup_max_revenue": fmt(self.startup_max_revenue),
            "mature_min_revenue": fmt(self.mature_min_revenue),
            "percentile_min_group": self.percentile_min_group,
            "indicators": [
                indicator.definition()
                for indicator in SchemeIndicator.objects.filter(scheme=self).order_by("sort_order", "pk")
            ],
        }

    @staticmethod
    def version_of(definition: dict) -> str:
        return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def version(self) -> str:
        return self.version_of(self.definition())


class SchemeIndicator(models.Model):
    """One indicator of a scheme: what it reads, how it scores, its weights per stage and its cap.

    points = weight(stage) × rule(value), where rule(value) lies between 0 and `cap` (a
    deduction between −`cap` and 0). A missing value (no figure, a ratio over zero, a growth
    rate over a missing or non-positive previous year) scores 0.
    """

    scheme = ParentalKey(Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name="积分方案")
    code = models.SlugField("指标代码", max_length=40, help_text="方案内唯一，例如 rd_intensity。")
    name = models.CharField("指标名称", max_length=50)
    category = models.CharField("指标类别", max_length=12, choices=Category.choices)
    kind = models.CharField(
        "指标性质",
        max_length=8,
        choices=Kind.choices,
        default=Kind.LOCAL,
        help_text="核心指标：全国“创新积分制”工作指引的18项核心指标之一；地方指标：本区自行增设。",
    )
    stands_in_for = models.CharField(
        "代替的指引指标",
        max_length=50,
        blank=True,
        help_text="本指标代替指引中平台无法采集的核心指标时，写明被代替的指标，例如 净资产利润率；否则留空。",
    )

    source = models.CharField("取值方式", max_length=12, choices=Source.choices, default=Source.FIELD)
    field = models.CharField(
        "填报数值",
        max_length=30,
        choices=FIELD_CHOICES,
        blank=True,
        help_text="填报数值、比值的分子、增长率的本年数值。",
    )
    denominator_field = models.CharField("比值的分母", max_length=30, choices=FIELD_CHOICES, blank=True)
    previous_field = models.CharField("增长率的上年数值", max_length=30, choices=FIELD_CHOICES, blank=True)
    record_indicator = models.SlugField(
        "资质指标代码",
        max_length=40,
        blank=True,
        help_text="资质记录计数或求和时的资质指标代码，例如 invention_patent。",
    )
    record_kind = models.CharField(
        "记录分类筛选", max_length=50, blank=True, help_text="只统计该分类的记录，例如 国家级；留空统计全部。"
    )

    rule = models.CharField("计分规则", max_length=12, choices=Rule.choices, default=Rule.SEGMENTS)
    segments = models.CharField(
        "分段",
        max_length=300,
        blank=True,
        help_text="门槛值:分值，逗号分隔、门槛递增，例如 0:0,100:5,500:10（达到100得5分，达到500得10分）。",
    )
    lower = models.DecimalField(
        "线性下限", max_digits=14, decimal_places=4, null=True, blank=True, help_text="数值不高于下限得0分。"
    )
    upper = models.DecimalField(
        "线性上限", max_digits=14, decimal_places=4, null=True, blank=True, help_text="数值达到上限得满分。"
    )
    points = models.DecimalField(
        "每项分值",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="加分、减分规则中每项（每条记录）的分值。",
    )
    cap = models.DecimalField(
        "满分值", max_digits=8, decimal_places=2, help_text="本指标最多得分（减分时为最多扣分）。"
    )
    weight_startup = models.DecimalField("初创期权重", max_digits=5, decimal_places=2, default=Decimal("1"))
    weight_growth = models.DecimalField("成长期权重", max_digits=5, decimal_places=2, default=Decimal("1"))
    weight_mature = models.DecimalField("稳定期权重", max_digits=5, decimal_places=2, default=Decimal("1"))
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    description = models.TextField("指标说明", blank=True)

    class Meta:
        verbose_name = "积分指标"
        verbose_name_plural = "积分指标"
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="one_indicator_code_per_scheme")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.scheme_id is not None:
            scheme = Scheme.objects.filter(pk=self.scheme_id).first()
            if scheme is not None and scheme.is_frozen:
                raise FrozenSchemeError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.scheme_id is not None and Scheme.objects.get(pk=self.scheme_id).is_frozen:
            raise FrozenSchemeError(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)

    # --- validation ---------------------------------------------------------------------
    def clean(self):
        super().clean()
        if self.scheme_id is not None and Scheme.objects.filter(pk=self.scheme_id).exists():
            if Scheme.objects.get(pk=self.scheme_id).is_frozen:
                raise FrozenSchemeError(FROZEN_MESSAGE)
        errors = {}
        needs_field = {Source.FIELD, Source.RATIO, Source.GROWTH}
        if self.source in needs_field and not self.field:
            errors["field"] = "请选择填报数值。"
        if self.source == Source.RATIO and not self.denominator_field:
            errors["denominator_field"] = "比值需要分母。"
        if self.source == Source.GROWTH and not self.previous_field:
            errors["previous_field"] = "增长率需要上年数值。"
        if self.source in {Source.RECORD_COUNT, Source.RECORD_SUM} and not self.record_indicator:
            errors["record_indicator"] = "请填写资质指标代码。"
        if self.record_indicator:
            from enterprise_business.models import QualificationIndicator

            if not QualificationIndicator.objects.filter(code=self.record_indicator).exists():
                errors["record_indicator"] = f"没有代码为“{self.record_indicator}”的资质指标。"
        rule = RULES.get(self.rule)
        if rule is not None:
            errors.update(rule.check(RuleParams.of(self)))
        if self.cap is not None and self.cap < 0:
            errors["cap"] = "满分值不能为负数；减分规则填写最多扣分的正数。"
        if self.stands_in_for and self.kind != Kind.CORE:
            errors["stands_in_for"] = "只有核心指标才能注明代替的指引指标。"
        if self.category == Category.NEGATIVE and not (rule and rule.deducts):
            errors["rule"] = "负面指标只能用减分规则。"
        for name in ("weight_startup", "weight_growth", "weight_mature"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                errors[name] = "权重不能为负数。"
        if errors:
            raise ValidationError(errors)

    def weight_for(self, stage: str) -> Decimal:
        return {Stage.STARTUP: self.weight_startup, Stage.GROWTH: self.weight_growth, Stage.MATURE: self.weight_mature}[
            stage
        ]

    # --- description --------------------------------------------------------------------
    def value_in_words(self, year: int | None = None) -> str:
        """What the indicator reads, in words; with `year`, Y and Y-1 become the actual years."""
        text = self._value_in_words()
        if year is not None:
            text = text.replace("Y-1年", f"{year - 1}年").replace("Y年", f"{year}年")
        return text

    def _value_in_words(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        if self.source == Source.FIELD:
            return label
        if self.source == Source.RATIO:
            return f"{label}/{FIELD_LABELS.get(self.denominator_field, self.denominator_field)}（%）"
        if self.source == Source.GROWTH:
            return f"{label}较{FIELD_LABELS.get(self.previous_field, self.previous_field)}的增长率（%）"
        name, amount = self.record_terms()
        kind = f"（{self.record_kind}）" if self.record_kind else ""
        if self.source == Source.RECORD_COUNT:
            return f"{name}{kind}数量"
        amount = amount or "金额"
        return f"{name}{kind}{amount}合计（万元）"

    def record_terms(self) -> tuple[str, str | None]:
        """(the record indicator's name, or its code when the catalogue lacks it; the label of
        its amount column, or None): `known_record_terms` when whoever built this indicator set
        it (results.indicators_of, for all of a run's indicators at once), else two queries."""
        known = getattr(self, "known_record_terms", None)
        if known is not None:
            return known
        from enterprise_business.models import IndicatorColumn, QualificationIndicator

        name = QualificationIndicator.objects.filter(code=self.record_indicator).values_list("name", flat=True).first()
        amount = IndicatorColumn.objects.filter(indicator__code=self.record_indicator, role=IndicatorColumn.Role.AMOUNT
                                                ).values_list("label", flat=True).first()
        return name or self.record_indicator, amount

    def rule_in_words(self, year: int | None = None) -> str:
        """The rule as one Chinese sentence, e.g. "Y年研发费用/Y年营业收入（%），在同阶段企业中的百分位×满分10分"
        (with `year`, "2024年研发费用/…")."""
        value = self.value_in_words(year)
        rule = RULES.get(self.rule)
        return rule.words(RuleParams.of(self), value) if rule else value

    rule_in_words.short_description = "计分规则"

    def weights_in_words(self) -> str:
        return (
            f"初创期×{fmt(self.weight_startup)}，成长期×{fmt(self.weight_growth)}，稳定期×{fmt(self.weight_mature)}"
        )

    def definition(self) -> dict:
        """Everything about the indicator that decides its points, as plain JSON (decimals as
        text); the parameters of rules other than its own are left out."""
        rule = RULES.get(self.rule)
        taken = rule.fields if rule else ()

        def dec(value):
            if value is None:
                return None
            try:
                return fmt(value)
            except (InvalidOperation, TypeError):  # an unsaved form's raw text
                return str(value)

        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "kind": self.kind,
            "stands_in_for": self.stands_in_for,
            "source": self.source,
            "field": self.field,
            "denominator_field": self.denominator_field,
            "previous_field": self.previous_field,
            "record_indicator": self.record_indicator,
            "record_kind": self.record_kind,
            "rule": self.rule,
            "segments": self.segments if "segments" in taken else "",
            "lower": dec(self.lower),
            "upper": dec(self.upper),
            "points": dec(self.points),
            "cap": dec(self.cap),
            "weight_startup": dec(self.weight_startup),
            "weight_growth": dec(self.weight_growth),
            "weight_mature": dec(self.weight_mature),
        }


class CalculationRun(models.Model):
    """One calculation of a batch with a scheme: who, when, which scheme version, which inputs.

    Lifecycle: 计算中 → 待发布 (or 计算失败) → 公示中 → 已发布; a run replaced by a newer one
    becomes 已作废. Once a run is 公示中 or 已发布 its scheme is frozen.

    A trial run (`is_trial`, 试算) is calculated the same way to judge a draft scheme against
    the published run, and never goes further than 待发布: the database refuses a trial run
    that is published, so no page for enterprises, the public or banks can ever show one.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "计算中"
        FAILED = "failed", "计算失败"
        CALCULATED = "calculated", "待发布"
        PUBLICITY = "publicity", "公示中"
        FINAL = "final", "已发布"
        SUPERSEDED = "superseded", "已作废"

    FROZEN_STATUSES = (Status.PUBLICITY, Status.FINAL)

    batch = models.ForeignKey(
        "enterprise_business.Batch", on_delete=models.PROTECT, related_name="scoring_runs", verbose_name="填报批次"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs", verbose_name="积分方案")
    scheme_version = models.CharField("方案版本", max_length=64, blank=True, help_text="计算时方案全部参数的 SHA-256。")
    scheme_snapshot = models.JSONField("计算时的方案", null=True, blank=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField("错误信息", blank=True)
    input_hash = models.CharField(
        "输入数据摘要", max_length=64, blank=True, help_text="全部输入数据（排序、规范化后）的 SHA-256。"
    )
    enterprise_count = models.PositiveIntegerField("企业数", default=0)
    is_trial = models.BooleanField("试算", default=False, help_text="试算只供对比方案，不能发布。")
    percentile_groups = models.JSONField(
        "百分位计分的比较范围",
        default=dict,
        blank=True,
        editable=False,
        help_text="每个同阶段百分位指标、每个发展阶段：在本阶段还是全批次中比较，参与比较的企业数，"
        "数值低于最高值的企业数和最高值（见 rules.percentile_points）。",
    )

    # 公示 and publication (used by the publication screens).
    publicity_starts_on = models.DateField("公示开始日期", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束日期", null=True, blank=True)
    published_at = models.DateTimeField("发布公示时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    finalised_at = models.DateTimeField("正式发布时间", null=True, blank=True)
    ranking_top_n = models.PositiveIntegerField("榜单企业数", null=True, blank=True)
    ranking_top_percent = models.DecimalField("榜单比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "积分计算"
        verbose_name_plural = "积分计算"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["batch", "status"])]
        permissions = [("run_calculation", "发起积分计算")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_trial=False)
                | (models.Q(status__in=("running", "failed", "calculated")) & models.Q(published_at__isnull=True)),
                name="a_trial_run_is_never_published",
            )
        ]

    def __str__(self):
        return f"{self.batch} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.RUNNING


class TextJSONField(models.JSONField):
    """JSON kept as PostgreSQL `json` (the text, syntax-checked) rather than `jsonb`.

    A result's details are written once per run in bulk and read whole, never searched inside;
    `json` is written in less than half the time of `jsonb` (520,000 results of 27 indicators:
    see README, Performance). Key lookups (`->`, `->>`) work on both. Other databases: the
    plain JSONField.
    """

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if isinstance(value, dict | list):  # psycopg2 decodes `json` (not `jsonb`) itself
            return value
        return super().from_db_value(value, expression, connection)


class EnterpriseResult(NotContent, models.Model):
    """One enterprise's result in one run.

    One tie rule (rules.competition_rank): equal totals are level. Ranks are competition
    ranks ("1224"): 1 + the number of enterprises with a strictly higher total. `percentile`
    (of the run; of its stage for `stage_percentile`): the number of enterprises with a
    strictly lower total ÷ the number strictly lower than the highest total, in percent with
    two decimals — 100.00 for the first place (tied or not), 0.00 for the last; in a run of
    5 with distinct totals: 100, 75, 50, 25, 0. Lists order by rank, then credit code.
    Tier (within stage, by stage rank): 领跑 when stage_rank ≤ 5 % of the stage's enterprises
    (at least the first), 竞跑 ≤ 10 %, 进取 ≤ 20 %, else blank.
    """

    # No database-level foreign keys: a run writes its results once, in bulk, with ids it has
    # just read, and PostgreSQL's per-row key checks (a row lock on every enterprise) cost more
    # than the insert itself. Deleting a run or an enterprise still cascades (in Django).
    run = models.ForeignKey(
        CalculationRun, on_delete=models.CASCADE, related_name="results", verbose_name="计算", db_constraint=False
    )
    enterprise = models.ForeignKey(
        "enterprise_business.Enterprise",
        on_delete=models.CASCADE,
        related_name="scoring_results",
        verbose_name="企业",
        db_constraint=False,
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("企业名称", max_length=200)
    industry = models.CharField("所属行业", max_length=1, blank=True)
    stage = models.CharField("发展阶段", max_length=10, choices=Stage.choices)
    total = models.DecimalField("总积分", max_digits=10, decimal_places=2)
    category_points = TextJSONField("分类积分", default=dict)
    details = TextJSONField("指标明细", default=dict)
    rank = models.PositiveIntegerField("总排名")
    percentile = models.DecimalField("百分位", max_digits=5, decimal_places=2)
    stage_rank = models.PositiveIntegerField("阶段内排名")
    stage_percentile = models.DecimalField("阶段内百分位", max_digits=5, decimal_places=2)
    tier = models.CharField("梯队", max_length=10, choices=Tier.choices, blank=True, default=Tier.NONE)

    class Meta:
        verbose_name = "企业积分结果"
        verbose_name_plural = "企业积分结果"
        ordering = ["rank", "credit_code"]
        indexes = [
            models.Index(fields=["run", "rank"], name="scoring_result_run_rank"),
            models.Index(fields=["run", "stage", "stage_rank"], name="scoring_result_run_stage"),
        ]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="one_result_per_enterprise")]

    def __str__(self):
        return f"{self.name} {self.total}"


# 积分异议 lives with the publication code (scoring_engine.publication); imported here so that
# Django registers it with the app's models.
from .objection_models import ScoreObjection  # noqa: E402, F401

"""相关资质: the qualification indicators, the departments that own them, their records
(imported by the department, or reported by the enterprise with a proof), every change to a
record, and the enterprise's data questions (数据异议) to a department."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.core.inquiries.models import Inquiry
from portal.core.records import AppendOnlyModel, NotContent

from ..accounts.models import Enterprise, User
from ..filings.models import Batch, PointsFiling


class Department(models.Model):
    """数据负责部门, e.g. 高新区科技创新局. Its staff are the members of its own group (数据负责部门·<名称>,
    made when the department is saved: `enterprise_business.qualifications.services.department_group`) and
    see only the indicators it owns."""

    name = models.CharField("部门名称", max_length=100, unique=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False, related_name="department",
                                 verbose_name="用户组")

    class Meta:
        verbose_name = "数据负责部门"
        verbose_name_plural = "数据负责部门"
        ordering = ["name"]

    def __str__(self):
        return self.name



class QualificationIndicator(ClusterableModel):
    """One row of the 相关资质填报 page: what its records hold and who answers for them."""

    code = models.SlugField("指标代码", max_length=40, unique=True,
                            help_text="积分方案用它引用本指标的记录，例如 tech_contract。")
    name = models.CharField("指标名称", max_length=50)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="indicators",
                                   verbose_name="负责部门")
    contact_person = models.CharField("负责人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    self_reported = models.BooleanField(
        "自行填报", default=False, help_text="勾选后由企业自行填报记录并上传证明文件（页面上以黄色显示）。"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "资质指标"
        verbose_name_plural = "资质指标"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @property
    def ordered_columns(self):
        return list(self.columns.all())

    def column_with_role(self, role):
        return next((c for c in self.ordered_columns if c.role == role), None)


class IndicatorColumn(models.Model):
    """A column of an indicator's records table, e.g. 技术合同's 成交额."""

    class Type(models.TextChoices):
        TEXT = "text", "文本"
        AMOUNT = "amount", "金额（万元）"
        INTEGER = "integer", "整数"
        DATE = "date", "日期"

    class Role(models.TextChoices):
        PLAIN = "", "—"
        KEY = "key", "唯一标识（如合同编号）"
        AMOUNT = "amount", "计分金额（积分求和用）"
        KIND = "kind", "分类（积分可按此筛选）"

    indicator = ParentalKey(QualificationIndicator, on_delete=models.CASCADE, related_name="columns")
    key = models.SlugField("字段代码", max_length=40)
    label = models.CharField("列名", max_length=30)
    type = models.CharField("类型", max_length=10, choices=Type.choices, default=Type.TEXT)
    role = models.CharField("用途", max_length=10, choices=Role.choices, blank=True, default=Role.PLAIN)
    required = models.BooleanField("必填", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "记录字段"
        verbose_name_plural = "记录字段"
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator", "key"], name="one_column_key_per_indicator")]

    def __str__(self):
        return self.label

    def clean(self):
        if self.role == self.Role.AMOUNT and self.type != self.Type.AMOUNT:
            raise ValidationError({"role": "计分金额只能是金额类型的字段。"})


class QualificationRecord(NotContent, models.Model):
    """One record of an indicator for one enterprise (by credit code) and one batch.

    `values` holds every column as entered; `record_key`, `amount` and `kind` copy the columns
    with those roles so that counting and summing for the scoring is a plain SQL aggregate.
    A record is `in_force` — counted by the scoring — when its department imported it, or when
    the filing it was reported with has been approved; a self-reported record deleted after
    approval stays in force (`withdrawn`) until the next approval.
    """

    class Source(models.TextChoices):
        IMPORT = "import", "部门导入"
        SELF = "self", "企业自行填报"

    indicator = models.ForeignKey(QualificationIndicator, on_delete=models.PROTECT, related_name="records",
                                  verbose_name="指标")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="qualification_records",
                              verbose_name="填报批次")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    record_key = models.CharField("唯一标识", max_length=100)
    values = models.JSONField("记录内容", default=dict)
    amount = models.DecimalField("计分金额（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    kind = models.CharField("分类", max_length=50, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.IMPORT)
    filing = models.ForeignKey(PointsFiling, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="self_records", verbose_name="积分数据填报")
    proof = models.ForeignKey("core.PrivateFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name="证明文件")
    in_force = models.BooleanField("计入积分", default=True)
    withdrawn = models.BooleanField("企业已删除（待审核）", default=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "资质记录"
        verbose_name_plural = "资质记录"
        ordering = ["indicator__sort_order", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator", "batch", "credit_code", "record_key"],
                                               name="one_record_per_key")]
        indexes = [models.Index(fields=["batch", "credit_code", "indicator"]),
                   models.Index(fields=["batch", "indicator", "in_force"])]

    def __str__(self):
        return f"{self.indicator} {self.record_key}"


class RecordChange(AppendOnlyModel):
    """Every change to a qualification record: who, when, what it was and what it became."""

    record_id = models.PositiveBigIntegerField("记录编号")
    indicator = models.ForeignKey(QualificationIndicator, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="指标")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+", verbose_name="填报批次")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    action = models.CharField("操作", max_length=20)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "资质记录变更"
        verbose_name_plural = "资质记录变更"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["indicator", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.record_id}"


class DataQuestion(Inquiry):
    """数据异议: an enterprise's question on an indicator's records, answered by its department."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="data_questions",
                                   verbose_name="企业")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+", verbose_name="填报批次")
    indicator = models.ForeignKey(QualificationIndicator, on_delete=models.PROTECT, related_name="questions",
                                  verbose_name="指标")

    answered_template = "data_question_answered"

    class Meta(Inquiry.Meta):
        verbose_name = "数据异议"
        verbose_name_plural = "数据异议"

    def __str__(self):
        return f"{self.enterprise} · {self.indicator}"

    def recipient(self):
        return self.enterprise

    def answer_params(self):
        return {"indicator": self.indicator.name, "department": self.indicator.department.name}

    def answer_link(self):
        return f"/enterprise/filings/{self.batch_id}/qualifications/"

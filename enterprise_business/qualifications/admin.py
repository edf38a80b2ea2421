"""相关资质 in the Wagtail admin: the indicator catalogue (scoring admins), and for each
department only its own indicators' records (import, correct, delete), their change log and
the data questions enterprises raised on them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from enterprise_business.filings.review import TransitionError
from enterprise_business.models import (
    Batch,
    DataQuestion,
    Department,
    QualificationIndicator,
    QualificationRecord,
    RecordChange,
)
from portal.core.admin import LeanListing, OnlyRoutedViews, yes_no_column
from portal.core.imports import enqueue_import
from portal.core.inquiries.admin import InquiryViewSet
from portal.core.jobs.exports import ExportAsJobMixin

from . import selectors
from . import services as qualifications
from .forms import RecordForm

RECORD_PERMISSION = "enterprise_business.change_qualificationrecord"


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = "数据负责部门"
    url_prefix = "departments"
    url_namespace = "departments"
    list_display = ["name", "group"]
    form_fields = ["name"]


class IndicatorViewSet(ModelViewSet):
    model = QualificationIndicator
    icon = "list-ul"
    menu_label = "资质指标"
    url_prefix = "indicators"
    url_namespace = "indicators"
    list_display = ["name", "code", "department", "contact_person", "contact_phone",
                    yes_no_column(QualificationIndicator, "self_reported"), "sort_order"]
    list_filter = {"department": ["exact"], "self_reported": ["exact"]}
    ordering = ["sort_order"]
    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("code"), FieldPanel("sort_order")], heading="指标"),
        MultiFieldPanel([FieldPanel("department"), FieldPanel("contact_person"), FieldPanel("contact_phone"),
                         FieldPanel("self_reported")], heading="负责部门"),
        InlinePanel("columns", heading="记录字段", label="字段"),
    ]


class ScopedIndexView(ExportAsJobMixin, IndexView):
    """A department's list: the rows of its own indicators only."""

    related = ()
    indicator_path = "indicator"

    def get_base_queryset(self):
        departments = selectors.departments_of(self.request.user)
        return super().get_base_queryset().filter(
            **{f"{self.indicator_path}__department__in": departments}).select_related(*self.related)


class RecordIndexView(LeanListing, ScopedIndexView):
    """A department's records, lean (portal.core.admin.LeanListing): a row's only button was 编辑,
    the title's own link."""

    related = ("indicator", "batch")
    counted = ("enterprise_business.QualificationRecord", "enterprise_business.QualificationIndicator",
               "enterprise_business.Batch", "enterprise_business.Department")
    # Every cell shows a field of the `counted` models (portal.core.admin.LeanListing).
    memo_rows = True

    # Records come in by import, and are deleted from their edit page (a POST, logged).
    def get_add_url(self):
        return None

    def get_delete_url(self, instance):
        return None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("enterprise_business.add_qualificationrecord"):
            buttons.append(HeaderButton("导入CSV/XLSX文件", url=reverse("qualification_records:import"),
                                        icon_name="upload"))
        return buttons


class RecordViewSet(OnlyRoutedViews, ModelViewSet):
    model = QualificationRecord
    index_view_class = RecordIndexView
    icon = "table"
    menu_label = "资质记录"
    url_prefix = "qualification-records"
    url_namespace = "qualification_records"
    copy_view_enabled = False
    list_display = ["credit_code", "indicator", "batch", "record_key", "amount", "kind", "source",
                    yes_no_column(QualificationRecord, "in_force"), "updated_at"]
    list_filter = {"indicator": ["exact"], "batch": ["exact"], "source": ["exact"]}
    search_fields = ["credit_code", "record_key"]
    list_export = ["credit_code", "indicator", "batch", "record_key", "amount", "kind", "source", "in_force",
                   "values", "updated_at"]
    export_filename = "资质记录"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("import/", import_records, name="import"),
            path("edit/<int:pk>/", edit_record, name="edit"),
            path("delete/<int:pk>/", delete_record, name="delete"),
        ]


class ImportForm(forms.Form):
    batch = forms.ModelChoiceField(label="填报批次", queryset=Batch.objects.all(),
                                   error_messages={"required": "请选择填报批次。"})
    indicator = forms.ModelChoiceField(label="资质指标", queryset=QualificationIndicator.objects.none(),
                                       error_messages={"required": "请选择资质指标。"})
    file = forms.FileField(label="数据文件", error_messages={"required": "请选择要导入的文件。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = selectors.indicators_of(user)


@never_cache
def import_records(request):
    if not request.user.has_perm("enterprise_business.add_qualificationrecord"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        indicator, batch = form.cleaned_data["indicator"], form.cleaned_data["batch"]
        return enqueue_import(request, qualifications.RecordImport(indicator, batch, request.user),
                              form.cleaned_data["file"], f"导入资质记录：{indicator.name}（{batch.name}）")
    indicators = [(i.name, ["统一社会信用代码", *[c.label for c in i.ordered_columns]])
                  for i in selectors.indicators_of(request.user).prefetch_related("columns")]
    return render(request, "enterprise_business/admin/record_import.html", {
        "title": "导入资质记录", "form": form, "indicators": indicators,
    })


def _own_record(request, pk):
    if not request.user.has_perm(RECORD_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(selectors.records_of(request.user).select_related("indicator", "batch"), pk=pk)


@never_cache
def edit_record(request, pk):
    record = _own_record(request, pk)
    initial = dict(record.values)
    form = RecordForm(request.POST or None, initial=initial, indicator=record.indicator)
    if request.method == "POST" and form.is_valid():
        try:
            qualifications.correct(record, request.user, form)
        except TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "记录已修改，修改已记入变更日志。")
            return redirect("qualification_records:index")
    return render(request, "enterprise_business/admin/record_edit.html", {
        "title": f"修改{record.indicator.name}记录", "record": record, "form": form,
        "changes": RecordChange.objects.filter(record_id=record.pk).select_related("actor")[:20],
    })


@require_POST
def delete_record(request, pk):
    record = _own_record(request, pk)
    try:
        qualifications.remove(record, request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "记录已删除，删除已记入变更日志。")
    return redirect("qualification_records:index")


class ChangeViewSet(OnlyRoutedViews, ModelViewSet):
    model = RecordChange
    index_view_class = ScopedIndexView
    icon = "history"
    menu_label = "资质记录变更"
    url_prefix = "qualification-changes"
    url_namespace = "qualification_changes"
    list_display = ["created_at", "action", "indicator", "credit_code", "record_id", "actor"]
    list_filter = {"indicator": ["exact"], "action": ["exact"], "created_at": ["date__gte", "date__lte"]}
    search_fields = ["credit_code"]
    list_export = ["created_at", "action", "indicator", "batch", "credit_code", "record_id", "before", "after",
                   "actor"]
    export_filename = "资质记录变更"

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index"), path("results/", self.index_results_view,
                                                               name="index_results")]


class QuestionViewSet(InquiryViewSet):
    """数据异议: a department sees and answers the questions on its own indicators only."""

    model = DataQuestion
    menu_label = "数据异议"
    url_prefix = "data-questions"
    url_namespace = "data_questions"
    subject_template = "enterprise_business/admin/question_subject.html"
    details_template = "enterprise_business/admin/question_records.html"
    list_display = ["enterprise", "indicator", "summary", "asked_at", "answered_at"]
    list_filter = {"batch": ["exact"], "indicator": ["exact"], "indicator__department": ["exact"],
                   "status": ["exact"]}
    search_fields = ["enterprise__name", "enterprise__credit_code", "text"]
    ordering = ["-status", "-asked_at"]  # 待处理 (pending) before 已答复 (answered)

    def scope(self, user):
        return selectors.questions_for(user)

    def can_answer(self, user):
        return user.has_perm("enterprise_business.change_dataquestion")

    def subject_context(self, inquiry, request):
        return {"records": QualificationRecord.objects.filter(
            indicator=inquiry.indicator, batch=inquiry.batch, credit_code=inquiry.enterprise.credit_code)}

"""The background side of calculation runs (services.py), of their publication's notices
(publication.py) and of large results workbooks (export.py): the "scoring.calculate",
"scoring.notify" and "scoring.export" jobs."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.urls import reverse

from enterprise_business.models import Enterprise
from portal.core import jobs
from portal.core.notifications.services import notify_all

from . import engine, export
from .models import CalculationRun
from .publication import NOTIFY_JOB, RESULTS_LINK
from .services import JOB_KIND, RunRefused


def _again(run: CalculationRun) -> CalculationRun:
    """Staff retried the job of a failed run: calculate the same run again, unless another run of
    the batch is being calculated meanwhile."""
    with transaction.atomic():
        run = CalculationRun.objects.select_for_update().select_related("batch").get(pk=run.pk)
        if CalculationRun.objects.filter(batch_id=run.batch_id, status=CalculationRun.Status.RUNNING).exists():
            raise RunRefused("该批次已有正在进行的计算，请等待其完成后再重试。")
        run.status, run.error, run.progress, run.finished_at = CalculationRun.Status.RUNNING, "", 0, None
        run.save(update_fields=["status", "error", "progress", "finished_at"])
    return run


@jobs.register(JOB_KIND, "积分计算")
def calculate_job(context) -> dict:
    """A worker's side of a run: calculate it unless it is already calculated (by a worker that
    was taken for dead); the run's stages (percent) are the job's progress."""
    run = CalculationRun.objects.select_related("batch").get(pk=context.params["run_id"])
    if run.status == CalculationRun.Status.FAILED and context.job.attempt > 1:
        run = _again(run)
    if run.status == CalculationRun.Status.RUNNING:
        context.progress(0, 100)
        engine.calculate(run, report=context.progress)
    if run.status == CalculationRun.Status.FAILED:
        raise RuntimeError(run.error)
    link = reverse("scoring_trials:detail" if run.is_trial else "scoring_runs:inspect", args=[run.pk])
    return {"run_id": run.pk, "status": run.status, "enterprise_count": run.enterprise_count,
            "link": link, "link_text": f"查看第{run.pk}次计算的结果（{run.enterprise_count}家企业）"}


@jobs.register(NOTIFY_JOB, "结果通知（消息和短信）")
def notify_job(context) -> dict:
    run = CalculationRun.objects.select_related("batch").get(pk=context.params["run_id"])
    enterprises = Enterprise.objects.filter(scoring_results__run=run)
    return notify_all(context, enterprises, context.params["template"], link=RESULTS_LINK, batch=run.batch.name,
                      **context.params["params"])


@jobs.register(export.EXPORT_JOB, "导出积分结果")
def export_job(context) -> dict:
    """The workbook of a larger run (params "run_id"), written by a worker as the job's file."""
    run = CalculationRun.objects.select_related("batch", "scheme").get(pk=context.params["run_id"])
    context.progress(0, run.enterprise_count)
    with tempfile.TemporaryFile() as target:
        export.write_workbook(run, target)
        target.seek(0)
        context.save_result_file(export.filename(run), File(target))
    context.progress(run.enterprise_count)
    return {"summary": f"已导出 {run.enterprise_count} 家企业的积分结果。"}

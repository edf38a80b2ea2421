"""Starting a calculation run: from the admin (a job for the background workers) or from
`manage.py run_scoring` (in the command's own process).

From the admin the run and its job (`portal.core.jobs`, kind "scoring.calculate") are created
in one transaction; the request answers at once with the job's page, and a `db_worker` process
calculates the run, reporting the engine's stages as the job's progress. A worker killed
mid-run leaves the run 计算中 without results; the job is given to another worker, which
calculates it again from the same frozen scheme (`engine.calculate` writes the results once).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.core import jobs

from . import engine
from .default_scheme import NAME as DEFAULT_SCHEME_NAME
from .models import CalculationRun, Scheme


class RunRefused(Exception):
    """A run that cannot start; the message is Chinese and meant for the user."""


def default_scheme(batch=None) -> Scheme | None:
    """The scheme a batch is calculated with when none is named: the one its last run (not a
    trial) used, else the shipped default, else the newest."""
    if batch is not None:
        last = CalculationRun.objects.filter(batch=batch, is_trial=False).order_by("-started_at", "-pk").first()
        if last is not None:
            return last.scheme
    return Scheme.objects.filter(name=DEFAULT_SCHEME_NAME).order_by("pk").first() or Scheme.objects.first()


# A run takes under a minute even for 520,000 enterprises; one still 计算中 after this long with
# no job queued or running for it lost its process (`run_scoring` interrupted) and would
# otherwise block the batch for good. A run whose job waits for a worker is left alone.
ABANDONED_AFTER = timedelta(minutes=30)
JOB_KIND = "scoring.calculate"


def job_key(run_pk) -> str:
    return f"scoring-run:{run_pk}"


def _fail_abandoned_runs(batch):
    stale = list(CalculationRun.objects.filter(
        batch=batch, status=CalculationRun.Status.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER,
    ).values_list("pk", flat=True))
    if not stale:  # the usual case: one query, as many as a start of a run has always cost
        return
    active = set(jobs.Job.objects.filter(key__in=[job_key(pk) for pk in stale], status__in=jobs.Job.ACTIVE)
                 .values_list("key", flat=True))
    CalculationRun.objects.filter(pk__in=[pk for pk in stale if job_key(pk) not in active]).update(
        status=CalculationRun.Status.FAILED, finished_at=timezone.now(),
        error="计算进程中断（超过30分钟未完成），已标记为计算失败，请重新发起计算。")


def start_run(batch, scheme: Scheme, user=None, *, background: bool = True, trial: bool = False) -> CalculationRun:
    """Create a run of `batch` with `scheme` (its definition frozen onto the run) and calculate it.

    background=True creates the run's job with the run (see the module docstring; the job is
    `run.job`); background=False calculates before returning (management command, demo).
    trial=True makes it a trial run (试算: never published, see CalculationRun).
    Refused (RunRefused) while another run of the same batch is still 计算中, or when the
    scheme has no indicators.
    """
    definition = scheme.definition()
    if not definition["indicators"]:
        raise RunRefused("该积分方案还没有指标，不能计算。")
    with transaction.atomic():
        # The batch row is the lock: two admins starting a run at once do not both get one.
        type(batch).objects.select_for_update().filter(pk=batch.pk).first()
        _fail_abandoned_runs(batch)
        if CalculationRun.objects.filter(batch=batch, status=CalculationRun.Status.RUNNING).exists():
            raise RunRefused("该批次已有正在进行的计算，请等待其完成后再发起。")
        run = CalculationRun.objects.create(
            batch=batch,
            scheme=scheme,
            scheme_version=Scheme.version_of(definition),
            scheme_snapshot=definition,
            started_by=user,
            status=CalculationRun.Status.RUNNING,
            is_trial=trial,
        )
        if background:
            kind = "方案试算" if trial else "积分计算"
            run.job = jobs.enqueue(JOB_KIND, f"{kind}：{batch}（第{run.pk}次计算）", user=user,
                                   params={"run_id": run.pk}, key=job_key(run.pk))
    if not background:
        engine.calculate(run)
    return run

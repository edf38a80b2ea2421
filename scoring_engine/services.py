"""Starting a calculation run: from the admin (as a task) or from `manage.py run_scoring`.

Tasks: the project's TASKS backend is django-tasks' ImmediateBackend (portal/settings/base.py),
which runs a task inside the request that enqueues it. That is the right default here: a
run over the zone's few thousand enterprises takes seconds (520,000 take well under a
minute, see README), the site needs no worker process, and the run page simply shows the
finished run. The run still goes through a task, enqueued after the run row is committed,
and records its progress on the row as it goes, so that configuring a real background
backend (django-tasks' database backend and a worker) makes the admin return at once and its
progress page (which polls `progress.json`) show each stage finish, without code changes.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

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


# A run takes under a minute even for 520,000 enterprises; one still 计算中 after this long lost
# its process (a restart, a killed worker) and would otherwise block the batch for good.
ABANDONED_AFTER = timedelta(minutes=30)


def _fail_abandoned_runs(batch):
    CalculationRun.objects.filter(
        batch=batch, status=CalculationRun.Status.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER
    ).update(status=CalculationRun.Status.FAILED, finished_at=timezone.now(),
             error="计算进程中断（超过30分钟未完成），已标记为计算失败，请重新发起计算。")


def start_run(batch, scheme: Scheme, user=None, *, background: bool = True, trial: bool = False) -> CalculationRun:
    """Create a run of `batch` with `scheme` (its definition frozen onto the run) and calculate it.

    background=True enqueues the calculation as a task once the run is committed (see the
    module docstring); background=False calculates before returning (management command,
    demo). trial=True makes it a trial run (试算: never published, see CalculationRun).
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
        transaction.on_commit(lambda: calculate_run.enqueue(run.pk))
    else:
        engine.calculate(run)
    return run


@task()
def calculate_run(run_id: int) -> str:
    run = CalculationRun.objects.select_related("batch").get(pk=run_id)
    if run.status == CalculationRun.Status.RUNNING:
        engine.calculate(run)
    return run.status

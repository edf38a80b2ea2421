"""Enqueueing, running, resuming and retrying jobs (see the package's docstring)."""

import logging
import os
import socket
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import task

from ..files.storage import private_storage
from .models import Job
from .pacing import pace, paced

logger = logging.getLogger(__name__)
Status = Job.Status


class JobRefused(Exception):
    """A job that cannot start (the same work is already queued or running); Chinese message."""

    def __init__(self, message, job=None):
        super().__init__(message)
        self.job = job


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    handler: Callable[["Context"], dict | None]
    result_template: str = ""


KINDS: dict[str, Kind] = {}


def register(name: str, label: str, *, result_template: str = ""):
    """Decorator: `handler(context) -> result dict` does the work of jobs of kind `name`. A
    handler must be safe to call again after a worker died inside it (see the package)."""

    def decorate(handler):
        KINDS[name] = Kind(name, label, handler, result_template)
        return handler

    return decorate


def enqueue(kind: str, title: str, *, user=None, params=None, key: str = "", upload=None) -> Job:
    """A queued job of `kind`, handed to the workers once the current transaction commits.
    `upload` (a file) is kept in the private storage for the worker, which may be another
    machine. JobRefused when a job with the same `key` is already queued or running."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, title=title[:200], params=params or {}, key=key, created_by=user)
    if upload is not None:
        job.input_name = os.path.basename(upload.name or "upload")[:200]
        job.input_file = private_storage().save(f"jobs/input/{job.input_name}", upload)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        if job.input_file:
            private_storage().delete(job.input_file)
        active = Job.objects.filter(key=key, status__in=Job.ACTIVE).first()
        raise JobRefused("相同的任务已在排队或进行中，请等待其完成。", active) from None
    _send(job)
    return job


def _send(job: Job) -> None:
    pk, attempt = job.pk, job.attempt
    transaction.on_commit(lambda: run_job.using(backend=settings.JOBS_TASK_BACKEND).enqueue(pk, attempt))


def retry(job: Job) -> Job:
    """Queue a failed job again (staff's 重试): a new attempt, progress and error cleared."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.FAILED:
            raise JobRefused("只有失败的任务可以重试。", job)
        job.status, job.attempt, job.error = Status.QUEUED, job.attempt + 1, ""
        job.done, job.started_at, job.finished_at, job.heartbeat_at = 0, None, None, None
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            raise JobRefused("相同的任务已在排队或进行中，请等待其完成。") from None
        _send(job)
    return job


def recover_abandoned(now=None) -> list[int]:
    """Jobs still 进行中 whose worker stopped writing its heartbeat (killed, machine gone) are
    queued again as a new attempt for the next worker; returns their ids. For cron, every minute."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    recovered = []
    candidates = Job.objects.filter(status=Status.RUNNING, heartbeat_at__lt=stale).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            job = Job.objects.select_for_update(skip_locked=True).filter(
                pk=pk, status=Status.RUNNING, heartbeat_at__lt=stale).first()
            if job is None:
                continue
            logger.warning("job %s (%s) lost its worker %s; queued again", job.pk, job.kind, job.worker)
            job.status, job.attempt = Status.QUEUED, job.attempt + 1
            job.save(update_fields=["status", "attempt"])
            _send(job)
            recovered.append(pk)
    return recovered


class Context:
    """What a handler gets: the job, its parameters, progress reporting, files and completion."""

    def __init__(self, job: Job, heartbeat: "_Heartbeat | None" = None):
        self.job = job
        self.params = job.params
        self._heartbeat = heartbeat
        # Transactions the handler is called in (a test's); those it opens itself are deeper.
        self._depth = len(connection.atomic_blocks)

    def _mine(self):
        return Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt, status=Status.RUNNING)

    def progress(self, done: int, total: int | None = None) -> None:
        """Show `done` of `total` on the job's page (a pacing point, too). Inside the handler's
        own transaction (an import's all-or-nothing write) the heartbeat writes it on its
        connection: an update here would show only at the commit, and would hold the job's row,
        stopping the heartbeat until then (a long import then looked abandoned)."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        # (SQLite lets no other connection write while a transaction writes: there it shows at
        # the commit.)
        if (self._heartbeat is not None and len(connection.atomic_blocks) > self._depth
                and connection.vendor != "sqlite"):
            self._heartbeat.report(done, self.job.total)
        else:
            self._mine().update(done=done, total=self.job.total, heartbeat_at=timezone.now())
        pace()

    def open_input(self):
        return private_storage().open(self.job.input_file, "rb")

    def save_result_file(self, name: str, content) -> None:
        """Keep `content` (a File) as the job's download, named `name`."""
        path = private_storage().save(f"jobs/result/{name}", content)
        self._mine().update(result_file=path, result_name=name)
        self.job.result_file, self.job.result_name = path, name

    def complete(self, result: dict | None = None) -> bool:
        """Mark the job 已完成 with `result`, inside the handler's own transaction when the
        outcome must commit with it (an import). False when this attempt no longer owns the job."""
        done = self.job.total or self.job.done
        return bool(self._mine().update(
            status=Status.SUCCEEDED, result=result or {}, finished_at=timezone.now(), done=done))


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat every JOBS_HEARTBEAT_SECONDS on a connection of its own while
    the handler works, so a long step without progress reports is not taken for a dead worker;
    and, at once, the progress the handler reports from inside its own transaction."""

    def __init__(self, job: Job):
        super().__init__(daemon=True, name=f"job-{job.pk}-heartbeat")
        self.job, self.stopped, self.woken = job, threading.Event(), threading.Event()
        self._lock = threading.Lock()
        self._progress: tuple[int, int | None] | None = None

    def report(self, done: int, total: int | None) -> None:
        with self._lock:
            self._progress = (done, total)
        self.woken.set()

    def run(self):
        try:
            while True:
                self.woken.wait(settings.JOBS_HEARTBEAT_SECONDS)
                if self.stopped.is_set():
                    break
                self.woken.clear()
                with self._lock:
                    progress, self._progress = self._progress, None
                fields = {"heartbeat_at": timezone.now()}
                if progress is not None:
                    fields["done"], fields["total"] = progress
                try:
                    Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt, status=Status.RUNNING).update(
                        **fields)
                except OperationalError:  # a busy SQLite file: the next beat will do
                    continue
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.woken.set()
        self.join()


def _claim(job_id: int, attempt: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.attempt != attempt or job.status != Status.QUEUED:
            return None  # another attempt owns it, or it is already done
        now = timezone.now()
        job.status, job.heartbeat_at, job.worker = Status.RUNNING, now, f"{socket.gethostname()}:{os.getpid()}"
        job.started_at = job.started_at or now
        job.save(update_fields=["status", "heartbeat_at", "worker", "started_at"])
    return job


LOCAL_DATABASE_HOSTS = ("", "localhost", "127.0.0.1", "::1")


@contextmanager
def _spare_the_site():
    """Keep a job's database work from crowding out the web requests (make bench measures it).

    On PostgreSQL the job's queries run without parallel workers, on one core. With
    JOBS_DATABASE_NICE set and PostgreSQL on this machine, the server process that serves
    the job's connection also gets that niceness (the worker itself runs at systemd's Nice=,
    README Deploying): the run's reads and writes then take only the CPU the site leaves.
    Without the right to renice it (another user without CAP_SYS_NICE) nothing changes. Both
    are undone afterwards, for a connection that also serves other work.

    Yields the pid of that database process when it runs on this machine (else None)."""
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    # A pid names a process of this machine only: never use it when the server is elsewhere.
    local = None
    if connection.settings_dict.get("HOST", "") in LOCAL_DATABASE_HOSTS:
        try:
            local = backend if Path(f"/proc/{backend}/comm").read_text().strip() == "postgres" else None
        except OSError:
            local = None
    reniced = None
    nice = settings.JOBS_DATABASE_NICE
    if nice and local:
        try:
            reniced = os.getpriority(os.PRIO_PROCESS, backend)
            os.setpriority(os.PRIO_PROCESS, backend, nice)
        except OSError as error:
            reniced = None
            logger.info("could not renice the database process %s: %s", backend, error)
    try:
        yield local
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET max_parallel_workers_per_gather")
            if reniced is not None:
                os.setpriority(os.PRIO_PROCESS, backend, reniced)
        except (OSError, DatabaseError) as error:  # the connection or the process is gone
            logger.info("could not restore the database process %s: %s", backend, error)


# Jobs are work someone started and waits for (a run, an import, notices): workers take them
# before the index upkeep Wagtail and modelsearch queue at the default priority (0) on saves.
JOB_PRIORITY = 50


@task(priority=JOB_PRIORITY)
def run_job(job_id: int, attempt: int) -> str:
    """The one task of the queue: run attempt `attempt` of job `job_id`, if it is still that."""
    job = _claim(job_id, attempt)
    if job is None:
        return "skipped"
    heartbeat = _Heartbeat(job)
    context = Context(job, heartbeat)
    heartbeat.start()
    try:
        with _spare_the_site() as database_pid, paced(settings.JOBS_DUTY_CYCLE, database_pid=database_pid) as duty:
            result = KINDS[job.kind].handler(context)
        if duty is not None:
            logger.info("job %s rested %.1f s while the machine was in use and skipped %.1f s of rest while it "
                        "was quiet", job.pk, duty.rested, duty.skipped)
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the job for staff
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        context._mine().update(status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
                               finished_at=timezone.now())
        return Status.FAILED
    finally:
        heartbeat.stop()
    context.complete(result)
    return Status.SUCCEEDED

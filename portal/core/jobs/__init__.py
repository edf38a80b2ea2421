"""Jobs: long work done by background workers, never inside a web request.

A job is a row (`Job`) that says what is to be done (its kind and parameters), how far it has
got (done of total), what came of it (a report, a file to download) or why it failed. The
request that starts one enqueues it and answers at once (`start`, which redirects to the job's
page); a `manage.py db_worker` process — any number of them, on any number of machines, sharing
the django-tasks database queue — takes it and calls the kind's handler (`register`).

Exactly once: a job is run by the task carrying its current attempt number, under a row lock,
so two tasks for one job never both proceed; a handler commits its outcome in one transaction
(or in chunks that record how far they got), so a worker killed mid-way leaves nothing
half-written; `recover_abandoned` (cron, every minute) gives a job whose worker stopped writing
its heartbeat to the next worker, which finishes it.
"""

from .models import Job
from .pacing import is_paced, pace
from .services import Context, JobRefused, enqueue, register

__all__ = ["Context", "Job", "JobRefused", "enqueue", "is_paced", "pace", "register"]

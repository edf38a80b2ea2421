"""Pacing: a job on a machine it shares with the site works only a set share of the time.

A handler's long loops call `pace()` between units of work (a chunk read, an indicator
computed, a chunk written, a progress report). In a worker whose JOBS_DUTY_CYCLE is below 100
(percent), `pace()` rests so that the job works at most that share of the wall time; the
database process serving the job rests with it, since it only works while the job waits for
it. Niceness alone does not do this on a small machine: a niced process still takes a core the
site's requests would have had, and its database process holds locks and memory bandwidth the
site's queries need (README, Performance, measures both).

A paced job rests only while the machine is in use by others: where the machine's CPU time can
be read (Linux), a rest is skipped while the processes other than the job and its database
process use less than QUIET_CORES of a core, so that a run at night goes nearly at full speed
and one during the filing season's peak leaves the site its speed.

Outside a paced job (a web request, a test, a worker at 100) `pace()` returns at once.
"""

import contextvars
import os
import time
from contextlib import contextmanager
from pathlib import Path

# Rests shorter than this are added up rather than taken: a sleep of a few hundred
# microseconds costs about as much as it rests and oversleeps by more.
SHORTEST_REST = 0.01  # seconds
# Others using less than this share of one core leave the machine to the job: an idle server's
# upkeep (Redis, a monitoring agent) and PostgreSQL's WAL writer and checkpointer writing the
# job's own rows (0.1–0.2 of a core measured) stay under it; the site's requests do not.
QUIET_CORES = 0.25
# The others' use is judged over at least this long: the machine's CPU time comes in ticks
# (10 ms), too coarse to judge the few milliseconds between two units of work.
QUIET_WINDOW = 0.5  # seconds
TICK = 1 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01  # seconds per /proc tick


def _cpu_seconds(pid: int | None = None) -> float | None:
    """CPU seconds used so far by the whole machine (`pid` None: /proc/stat, without idle,
    iowait and time stolen by the hypervisor) or by process `pid` (/proc/<pid>/stat); None
    where /proc cannot be read (not Linux, or the process is gone)."""
    try:
        if pid is None:
            ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
            user, nice, system, _idle, _iowait, irq, softirq = ticks
            return (user + nice + system + irq + softirq) * TICK
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * TICK  # utime, stime
    except (OSError, ValueError, IndexError):
        return None


def others_cpu_seconds(database_pid: int | None = None):
    """A function giving the CPU seconds used so far on this machine by processes other than
    this one and `database_pid` (the database process serving it, when on this machine), or
    None where the machine's CPU time cannot be read."""
    if _cpu_seconds() is None:
        return None

    def others() -> float | None:
        machine = _cpu_seconds()
        database = _cpu_seconds(database_pid) if database_pid else 0.0
        if machine is None or database is None:
            return None
        return machine - time.process_time() - database

    return others


_CURRENT: contextvars.ContextVar["Pace | None"] = contextvars.ContextVar("job_pace", default=None)


class Pace:
    """A duty cycle of `percent` (1–100): after each unit of work that took t seconds of wall
    time, rest t × (100 − percent) / percent seconds (added up until SHORTEST_REST, taken
    QUIET_WINDOW at a time), except while `others()` (cumulative CPU seconds of the machine's
    other processes, see `others_cpu_seconds`; None: unknown) shows them using less than
    QUIET_CORES. `rested` and `skipped` add up the seconds of rest taken and not taken."""

    def __init__(self, percent: int, *, clock=time.monotonic, sleep=time.sleep, others=None):
        if not 1 <= percent <= 100:
            raise ValueError(f"a duty cycle is 1 to 100 percent, not {percent}")
        self.percent = percent
        self._clock, self._sleep, self._others = clock, sleep, others
        self._resumed = self._decided = clock()
        self._others_then = others() if others else None
        self._was_quiet = False
        self._owed = 0.0
        self.rested = 0.0
        self.skipped = 0.0

    def _quiet(self, now: float) -> bool:
        """Whether the others used less than QUIET_CORES over the last QUIET_WINDOW or more
        (the verdict stands until the next window is over; not quiet until the first is)."""
        elapsed = now - self._decided
        if self._others is None or elapsed < QUIET_WINDOW:
            return self._was_quiet
        others = self._others()
        then, self._others_then, self._decided = self._others_then, others, now
        self._was_quiet = others is not None and then is not None and others - then < QUIET_CORES * elapsed
        return self._was_quiet

    def __call__(self) -> None:
        now = self._clock()
        self._owed += (now - self._resumed) * (100 - self.percent) / self.percent
        if self._owed >= SHORTEST_REST:
            # A long rest is taken a window at a time: it ends as soon as the machine is quiet.
            while self._owed > 0 and not self._quiet(now):
                rest = min(self._owed, QUIET_WINDOW)
                self._sleep(rest)
                self.rested += rest
                self._owed -= rest
                now = self._clock()
            self.skipped += self._owed
            self._owed = 0.0
        self._resumed = now


@contextmanager
def paced(percent: int, *, database_pid: int | None = None):
    """Within the block, `pace()` keeps this thread's work (and threads started with its
    context) to `percent` of the wall time while others use the machine (`database_pid`: the
    database process serving the job, if on this machine, is not one of them); at 100 it does
    nothing. Yields the Pace or None."""
    pace_ = Pace(percent, others=others_cpu_seconds(database_pid)) if percent < 100 else None
    token = _CURRENT.set(pace_)
    try:
        yield pace_
    finally:
        _CURRENT.reset(token)


def pace() -> None:
    """A point between two units of a job's work: rest here if the job is paced (see module)."""
    current = _CURRENT.get()
    if current is not None:
        current()


def is_paced() -> bool:
    """Whether the work of this context is paced (a handler may then work in smaller units)."""
    return _CURRENT.get() is not None

"""Pacing (portal.core.jobs.pacing): the rest after each unit of work keeps a job to its duty
cycle, short rests add up rather than being lost, and nothing outside a paced block rests."""

import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.core.jobs import pacing


class Clock:
    """A clock that moves only when work is done or a rest is taken."""

    def __init__(self):
        self.now = 100.0
        self.rests = []

    def __call__(self):
        return self.now

    def work(self, seconds):
        self.now += seconds

    def sleep(self, seconds):
        self.rests.append(seconds)
        self.now += seconds


def test_a_unit_of_work_is_followed_by_its_share_of_rest():
    clock = Clock()
    pace = pacing.Pace(25, clock=clock, sleep=clock.sleep)
    clock.work(0.1)
    pace()
    assert clock.rests == [pytest.approx(0.3)]  # 25 % busy: 0.1 s of work, 0.3 s of rest


def test_short_rests_add_up_until_they_are_worth_a_sleep():
    clock = Clock()
    pace = pacing.Pace(50, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        clock.work(0.003)
        pace()
    assert clock.rests == [pytest.approx(0.012)]  # not four sleeps of 3 ms


def test_rest_is_not_counted_as_work():
    clock = Clock()
    pace = pacing.Pace(50, clock=clock, sleep=clock.sleep)
    clock.work(0.1)
    pace()
    pace()  # no work since the rest: no further rest
    assert clock.rests == [pytest.approx(0.1)]


@given(percent=st.integers(1, 100), units=st.lists(st.floats(0, 2, allow_nan=False), max_size=50))
def test_busy_time_is_the_duty_cycle_of_the_wall_time(percent, units):
    clock = Clock()
    started = clock.now
    pace = pacing.Pace(percent, clock=clock, sleep=clock.sleep)
    for seconds in units:
        clock.work(seconds)
        pace()
    work, rest = sum(units), sum(clock.rests)
    owed = work * (100 - percent) / percent
    # Every rest owed is taken, but for less than one SHORTEST_REST still being added up.
    assert owed - pacing.SHORTEST_REST - 1e-9 <= rest <= owed + 1e-9
    assert clock.now - started == pytest.approx(work + rest)


@pytest.mark.parametrize("percent", [0, 101, -5])
def test_a_duty_cycle_outside_1_to_100_is_refused(percent):
    with pytest.raises(ValueError):
        pacing.Pace(percent)


def test_pace_does_nothing_outside_a_paced_block_or_at_100(monkeypatch):
    slept = []
    monkeypatch.setattr(pacing.time, "sleep", slept.append)
    pacing.pace()
    with pacing.paced(100) as pace:
        assert pace is None and not pacing.is_paced()
        pacing.pace()
    assert slept == []


def test_a_paced_block_ends_with_the_block():
    with pacing.paced(40) as pace:
        assert pacing.is_paced() and pace.percent == 40
    assert not pacing.is_paced()



class Others:
    """The machine's other processes: `cores` of CPU while the clock moves (the CPU seconds
    they used in all, as `pacing.others_cpu_seconds` gives them)."""

    def __init__(self, clock, cores):
        self.clock, self.cores, self.used, self.seen = clock, cores, 0.0, clock.now

    def __call__(self):
        self.used += (self.clock.now - self.seen) * self.cores
        self.seen = self.clock.now
        return self.used


@pytest.mark.parametrize(("cores", "rests"), [(0.0, False), (0.05, False), (0.5, True), (1.5, True)])
def test_a_paced_job_rests_only_while_others_use_the_machine(cores, rests):
    clock = Clock()
    pace = pacing.Pace(20, clock=clock, sleep=clock.sleep, others=Others(clock, cores))
    for _ in range(10):
        clock.work(0.1)
        pace()
    if rests:
        assert sum(clock.rests) == pytest.approx(4.0) and pace.skipped == 0  # 1 s of work at 20 %
    else:  # it rests until the first QUIET_WINDOW has shown the machine quiet
        assert clock.rests == [pytest.approx(0.4)] and pace.skipped == pytest.approx(3.6)


def test_the_job_rests_again_as_soon_as_the_site_gets_busy():
    clock = Clock()
    others = Others(clock, 0.0)
    pace = pacing.Pace(50, clock=clock, sleep=clock.sleep, others=others)
    for seconds in (0.1, 0.4):  # quiet: one rest before the first window is judged
        clock.work(seconds)
        pace()
    others.cores = 1.0  # requests arrive
    clock.work(0.6)
    pace()
    assert clock.rests[0] == pytest.approx(0.1) and pace.skipped == pytest.approx(0.4)
    assert sum(clock.rests[1:]) == pytest.approx(0.6) and max(clock.rests) <= pacing.QUIET_WINDOW


def test_a_long_rest_ends_when_the_machine_gets_quiet():
    clock = Clock()
    others = Others(clock, 1.0)
    pace = pacing.Pace(10, clock=clock, sleep=clock.sleep, others=others)

    def sleep(seconds):
        others()  # busy until the rest starts
        others.cores = 0.0  # the site's requests end as the job rests
        clock.sleep(seconds)

    pace._sleep = sleep
    clock.work(1.0)
    pace()  # 9 s owed at 10 %
    assert clock.rests == [pacing.QUIET_WINDOW] and pace.skipped == pytest.approx(9 - pacing.QUIET_WINDOW)


def test_unknown_cpu_time_means_resting():
    clock = Clock()
    pace = pacing.Pace(50, clock=clock, sleep=clock.sleep, others=lambda: None)
    clock.work(0.1)
    pace()
    assert clock.rests == [pytest.approx(0.1)]


def _burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


BURNER = "import sys, time\nfor _ in range(2):\n    sys.stdin.readline()\n    end = time.process_time() + 0.5\n" \
         "    while time.process_time() < end:\n        pass\n    print('done', flush=True)\n"


@pytest.mark.skipif(pacing.others_cpu_seconds() is None, reason="the machine's CPU time is read from Linux's /proc")
def test_others_cpu_time_leaves_out_this_process_and_its_database_process_only():
    database = subprocess.Popen([sys.executable, "-c", BURNER], stdin=subprocess.PIPE,  # noqa: S603
                                stdout=subprocess.PIPE, text=True)
    site = subprocess.Popen([sys.executable, "-c", BURNER], stdin=subprocess.PIPE,  # noqa: S603
                            stdout=subprocess.PIPE, text=True)
    others = pacing.others_cpu_seconds(database_pid=database.pid)

    def burn_in(process):
        process.stdin.write("go\n")
        process.stdin.flush()
        assert process.stdout.readline() == "done\n"

    try:
        # This process and "the database process" work half a second each: the machine's CPU
        # time grows by a second more than the others' (whatever else runs meanwhile shows in both).
        machine_before, others_before = pacing._cpu_seconds(), others()
        _burn(0.5)
        burn_in(database)
        left_out = (pacing._cpu_seconds() - machine_before) - (others() - others_before)
        # Another process ("the site") works half a second: the others' time grows by that at least.
        others_before = others()
        burn_in(site)
        counted = others() - others_before
    finally:
        for process in (database, site):
            process.kill()
            process.wait()
    assert left_out >= 0.8 and counted >= 0.4

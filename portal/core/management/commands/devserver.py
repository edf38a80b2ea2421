"""`manage.py devserver [addrport]` (what `make run` starts): the development server and one
background worker (`db_worker`) side by side, so the jobs the admin starts are done; Ctrl-C
(or SIGTERM) stops both, and when either stops by itself the other is stopped too."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动开发服务器和一个后台工作进程；按 Ctrl-C 同时停止两者。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, skip_checks=False, **options):
        manage = [sys.executable, sys.argv[0]]
        # The worker logs a line per task run (Wagtail queues one per page saved) at its default
        # verbosity: one step quieter than ours, so `make run` keeps its address on the screen.
        # A job's failure still shows on its page in the admin (任务).
        worker = ["db_worker", "--backend", settings.JOBS_TASK_BACKEND, "--no-startup-delay", "--no-reload",
                  "--verbosity", str(max(0, options["verbosity"] - 1))]
        # Each in a process group of its own, signalled as a group: runserver's reloader child too.
        children = [subprocess.Popen([*manage, *command], process_group=0)  # noqa: S603 - our own manage.py
                    for command in (["runserver", addrport, *(["--skip-checks"] if skip_checks else [])], worker)]
        stopping = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda number, frame: stopping.append(number))
        self.stdout.write(f"开发服务器 http://{addrport}/ 和后台工作进程已启动；按 Ctrl-C 停止。")
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("开发服务器和后台工作进程已停止。")

"""`manage.py devserver` (what `make run` starts): the development server answers, a background
worker runs beside it, and Ctrl-C (SIGINT) stops the server, its reloader child and the worker."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.db import connection

from tests.processes import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db


def devserver_environment(tmp_path: Path) -> dict:
    """The environment of a devserver on a migrated database of its own: a copy of the test
    database (SQLite: a file in `tmp_path`) or the PostgreSQL test database itself (it only reads)."""
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        copy = tmp_path / "db.sqlite3"
        with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        name, url = str(copy), ""
    else:
        name = ""
        url = (f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
               f"{database['PORT'] or 5432}/{database['NAME']}")
    (tmp_path / "devserver_settings.py").write_text(
        "from portal.settings.test import *  # noqa: F403\n"
        'JOBS_TASK_BACKEND = "database"\n'
        + (f'DATABASES["default"]["NAME"] = {name!r}  # noqa: F405\n' if name else ""),
        encoding="utf-8")
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "devserver_settings", "DATABASE_URL": url,
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]), "PYTHONUNBUFFERED": "1",
            "PORTAL_TEST_MEDIA": str(tmp_path / "media")}


def health_status(port: int) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"GET /health/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return int(sock.recv(64).split()[1])
    except OSError:
        return None


def _running(process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_devserver_serves_runs_a_worker_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"], cwd=ROOT,
        env=devserver_environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    parent, family = psutil.Process(server.pid), []
    try:
        assert wait_for(lambda: health_status(port) == 200, 90, "/health/ to answer 200")
        worker = wait_for(lambda: next((p for p in parent.children(recursive=True)
                                        if "db_worker" in p.cmdline()), None), 30, "the db_worker process")
        assert worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE
        family[:] = [parent, *parent.children(recursive=True)]
        assert len(family) >= 4  # devserver, runserver's reloader and its server, db_worker

        server.send_signal(signal.SIGINT)
        # devserver gives each child 10 s to stop before it kills it; on a loaded machine (CI runs
        # two suites side by side) a child may need most of that.
        _, alive = psutil.wait_procs(family, timeout=30)
        # A child that has exited but whose parent has not reaped it yet (a zombie) is stopped.
        alive = [p for p in alive if _running(p)]
        assert alive == [], [p.pid for p in alive]
        assert server.wait(timeout=1) == 0 and health_status(port) is None
        output = server.stdout.read().decode()
        assert "后台工作进程已启动" in output and "开发服务器和后台工作进程已停止。" in output
    finally:
        for process in family or [parent]:
            if process.is_running():
                process.kill()
        server.wait()

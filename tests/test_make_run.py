"""`make run` on a fresh database (issue 19): at most a screenful before the demo accounts, no
audit or Wagtail log lines, and the accounts table the last thing before the server's address."""

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
SCREENFUL = 24


@pytest.fixture
def output(tmp_path):
    """The lines `make run` prints until the server gives its address; then the server is stopped."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.make_run_settings",
           "MAKE_RUN_DATABASE": str(tmp_path / "fresh.sqlite3"), "MEDIA_ROOT": str(tmp_path / "media"),
           "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    make = shutil.which("make") or pytest.skip("make is not installed")
    process = subprocess.Popen([make, "--no-print-directory", "run", f"PORT={free_port()}"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Starting development server at"):
                break
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return lines


def test_make_run_shows_the_accounts_then_the_address(output):
    address = next(n for n, line in enumerate(output) if line.startswith("开发服务器 http://"))
    table = output.index("演示账号（仅用于本地演示）：")
    assert table <= SCREENFUL, "\n".join(output[:table])
    after_table = output[table + 1:address]
    # After the accounts, nothing but the address of the server (and its worker).
    assert after_table and all("账号：" in line for line in after_table), "\n".join(output)
    assert not [line for line in output if "portal.audit" in line or " wagtail " in line or " INFO " in line]

"""The README's cron lines (Deploying, Scheduled work) name commands that exist and take no
arguments they do not know, so a copied crontab does not fail every minute."""

import re
import shlex
from pathlib import Path

from django.core.management import get_commands, load_command_class

README = Path(__file__).resolve().parents[1] / "README.md"


def cron_commands() -> list[list[str]]:
    """Each `manage.py` command line of the README's ```cron block, as argv after manage.py."""
    block = re.search(r"```cron\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    lines = [shlex.split(line.split("manage.py", 1)[1]) for line in block.splitlines() if "manage.py" in line]
    assert lines, "the README's cron block names no manage.py command"
    return lines


def test_the_readme_cron_lines_name_commands_that_exist():
    commands = get_commands()
    for name, *arguments in cron_commands():
        assert name in commands, f"manage.py {name} does not exist"
        command = load_command_class(commands[name], name)
        command.create_parser("manage.py", name).parse_args(arguments)  # exits on an unknown argument


def test_the_readme_names_the_job_commands():
    assert {"recover_jobs", "retry_sms"} <= {name for name, *_ in cron_commands()}

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core import demo
from portal.core.audit import logger as audit_logger
from portal.core.logs import quiet


class Command(BaseCommand):
    """Demo content and accounts. Quiet by default, so that the accounts table `make run`
    prints stays on the screen: one line for the content (each step with --verbosity 2), the
    audit and Wagtail log lines kept off the console (the audit table still has them), and
    the accounts table last."""

    help = "创建演示内容和演示账号（可重复运行；生产环境禁止使用）。"

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError("演示内容和演示账号不能在生产环境中创建（DEMO_CONTENT_ALLOWED 未开启）。")
        self.verbosity = options["verbosity"]
        self.steps = 0
        with quiet(audit_logger.name, "wagtail", "scoring_engine"), transaction.atomic():
            accounts = demo.build(self._report)
        if self.verbosity == 1:
            self.stdout.write(f"演示内容已就绪（{self.steps} 项，加 --verbosity 2 查看明细）。")
        self.stdout.write(self.style.SUCCESS("演示账号（仅用于本地演示）："))
        for username, password, role in accounts:
            self.stdout.write(f"  {role:<12} 账号：{username:<20} 密码：{password}")

    def _report(self, message: str) -> None:
        self.steps += 1
        if self.verbosity > 1:
            self.stdout.write(f"- {message}")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core import demo


class Command(BaseCommand):
    help = "创建演示内容和演示账号（可重复运行；生产环境禁止使用）。"

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError("演示内容和演示账号不能在生产环境中创建（DEMO_CONTENT_ALLOWED 未开启）。")
        with transaction.atomic():
            accounts = demo.build(self._report)
        self.stdout.write(self.style.SUCCESS("演示账号（仅用于本地演示）："))
        for username, password, role in accounts:
            self.stdout.write(f"  {role:<12} 账号：{username:<20} 密码：{password}")

    def _report(self, message: str) -> None:
        self.stdout.write(f"- {message}")

from django.core.management.base import BaseCommand, CommandError

from scoring_engine.default_scheme import NAME
from scoring_engine.models import Scheme
from scoring_engine.scheme_doc import DOC, document_with, generated


class Command(BaseCommand):
    help = "输出（或用 --write 写回 docs/scoring-scheme.md）由默认积分方案生成的指标与满分表。"

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="写回 docs/scoring-scheme.md 的生成部分")

    def handle(self, *args, write=False, **options):
        scheme = Scheme.objects.filter(name=NAME).order_by("pk").first()
        if scheme is None:
            raise CommandError(f"没有名为“{NAME}”的积分方案，请先 migrate。")
        block = generated(scheme)
        if not write:
            self.stdout.write(block)
            return
        DOC.write_text(document_with(block, DOC.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已更新 {DOC}"))

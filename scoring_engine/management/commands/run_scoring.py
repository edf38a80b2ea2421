from django.core.management.base import BaseCommand, CommandError

from enterprise_business.models import Batch
from scoring_engine.models import CalculationRun, Scheme
from scoring_engine.services import RunRefused, default_scheme, start_run


class Command(BaseCommand):
    help = "对一个填报批次计算创新积分（使用审核通过的填报数据），结果为“待发布”。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, required=True, help="填报批次编号")
        parser.add_argument("--scheme", type=int, help="积分方案编号（默认：该批次上次使用的方案，或默认方案）")

    def handle(self, *args, batch, scheme=None, **options):
        try:
            batch_obj = Batch.objects.get(pk=batch)
        except Batch.DoesNotExist:
            raise CommandError(f"没有编号为 {batch} 的填报批次。") from None
        if scheme is not None:
            scheme_obj = Scheme.objects.filter(pk=scheme).first()
            if scheme_obj is None:
                raise CommandError(f"没有编号为 {scheme} 的积分方案。")
        else:
            scheme_obj = default_scheme(batch_obj)
            if scheme_obj is None:
                raise CommandError("还没有积分方案，请先在管理后台创建。")
        try:
            run = start_run(batch_obj, scheme_obj, background=False)
        except RunRefused as error:
            raise CommandError(str(error)) from None
        if run.status != CalculationRun.Status.CALCULATED:
            raise CommandError(f"计算失败（计算编号 {run.pk}）：{run.error}")
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(self.style.SUCCESS(
            f"计算完成：{batch_obj.name} · {scheme_obj.name}，企业 {run.enterprise_count} 家，"
            f"用时 {seconds:.1f} 秒，计算编号 {run.pk}，输入数据摘要 {run.input_hash[:12]}。"
        ))

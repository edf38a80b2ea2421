"""`manage.py clean_uploads`: remove abandoned uploads (see portal/core/files/cleanup.py), for cron (daily)."""

from django.core.management.base import BaseCommand

from portal.core.files.cleanup import remove_abandoned_licences, remove_orphan_files


class Command(BaseCommand):
    help = ("清理无人使用的上传文件：超过7天未被任何填报、记录或异议使用的证明文件，"
            "超过1天未完成注册的营业执照。供定时任务每天运行。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, dry_run, **options):
        proofs = remove_orphan_files(dry_run=dry_run)
        licences = remove_abandoned_licences(dry_run=dry_run)
        verb = "可清理" if dry_run else "已清理"
        self.stdout.write(f"{verb}：证明文件 {proofs} 个，未完成注册的营业执照 {licences} 个。")

"""`manage.py recover_jobs`, for cron (every minute): a job whose worker stopped writing its
heartbeat (killed, machine gone) is queued again for the next worker, which finishes it."""

from django.core.management.base import BaseCommand

from portal.core.jobs.services import recover_abandoned


class Command(BaseCommand):
    help = "将工作进程中断的任务重新排队，由其他工作进程接续完成；供定时任务每分钟运行。"

    def handle(self, *args, **options):
        recovered = recover_abandoned()
        self.stdout.write(f"任务接续：重新排队 {len(recovered)} 个。")

from django.core.management.base import BaseCommand

from enterprise_business.desk import reminders


class Command(BaseCommand):
    help = "Queue today's automatic 填报提醒 (batches with 截止前自动提醒 set); for cron, daily."

    def handle(self, *args, **options):
        queued = reminders.enqueue_due()
        for job in queued:
            self.stdout.write(f"已排队：{job.title}（任务 {job.pk}）")
        if not queued:
            self.stdout.write("今天没有需要发送的自动提醒。")

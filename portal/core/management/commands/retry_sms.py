"""`manage.py retry_sms`, for cron (every minute): queues one pass over the SMS queue for the
workers (the "sms.retry" job; none is queued while one is waiting or running), or with --now
makes the pass in this process and reports it.

Messages the gateway did not take are queued by `portal.core.notifications.sms.send_sms`; each pass
retries those that are due (30 s after the first failure, then doubling, at most 8 tries);
a verification code's message is dropped once the code has expired.
"""

from django.core.management.base import BaseCommand

from portal.core.jobs import JobRefused, enqueue
from portal.core.notifications.sms import RETRY_JOB, outcome_text, retry_queued


class Command(BaseCommand):
    help = "重试发送排队中的短信（网关故障时未发出的短信）：提交后台任务，或用 --now 立即执行；供定时任务每分钟运行。"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="在本进程中立即执行并报告结果，而不是提交后台任务")
        parser.add_argument("--limit", type=int, default=1000, help="与 --now 一起：本次最多处理的短信条数（默认1000）")

    def handle(self, *args, now, limit, **options):
        if now:
            self.stdout.write(outcome_text(retry_queued(limit=limit)))
            return
        try:
            job = enqueue(RETRY_JOB, "短信重试", key=RETRY_JOB)
        except JobRefused:
            self.stdout.write("短信重试：已有短信重试任务在排队或进行中。")
        else:
            self.stdout.write(f"短信重试：已提交后台任务（任务{job.pk}）。")

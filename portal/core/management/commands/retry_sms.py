"""`manage.py retry_sms`: one pass over the SMS queue, for cron (every minute).

Messages the gateway did not take are queued by `portal.core.notifications.sms.send_sms`; each pass
retries those that are due (30 s after the first failure, then doubling, at most 8 tries);
a verification code's message is dropped once the code has expired.
"""

from django.core.management.base import BaseCommand

from portal.core.notifications.models import SmsMessage
from portal.core.notifications.sms import retry_queued


class Command(BaseCommand):
    help = "重试发送排队中的短信（网关故障时未发出的短信），供定时任务每分钟运行。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="本次最多处理的短信条数（默认1000）")

    def handle(self, *args, limit, **options):
        outcome = retry_queued(limit=limit)
        waiting = SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).count()
        self.stdout.write(
            f"短信重试：发送成功 {outcome['sent']} 条，仍待重试 {outcome['queued']} 条，"
            f"放弃 {outcome['failed']} 条，验证码过期未发 {outcome['expired']} 条；队列中还有 {waiting} 条。"
        )

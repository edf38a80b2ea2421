"""`manage.py sms_templates`: every SMS template of the catalogue as it is registered with the
provider (parameters as {1}, {2}, …), with the names SMS_TEMPLATE_IDS maps to their IDs."""

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.core.notifications.catalogue import TEMPLATES


class Command(BaseCommand):
    help = "列出全部短信模板（按短信服务商的格式），供在短信服务商处申请模板。"

    def handle(self, *args, **options):
        for name, template in TEMPLATES.items():
            template_id = settings.SMS_TEMPLATE_IDS.get(name, "未配置")
            params = "、".join(f"{{{n}}}={p}" for n, p in enumerate(template.params, start=1)) or "无"
            self.stdout.write(f"{name}（模板ID：{template_id}；参数：{params}）\n  {template.provider_text()}\n")

"""A real SMS gateway: Tencent Cloud SMS (腾讯云短信) through its official Python SDK.

Selected with SMS_BACKEND=portal.core.notifications.gateways.TencentCloudBackend. Each
catalogue template is registered with Tencent Cloud under the platform's signature
(`manage.py sms_templates` prints their text in Tencent's {1}, {2} form); SMS_TEMPLATE_IDS
maps the catalogue's names to the template IDs Tencent assigned. Settings (README,
Configuration): TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, SMS_SDK_APP_ID,
SMS_SIGN_NAME, SMS_TEMPLATE_IDS, SMS_REGION, SMS_ENDPOINT and SMS_ENDPOINT_PROTOCOL (the last
two only to reach another endpoint, as the tests do on loopback).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .sms import Outgoing


class GatewayRefused(Exception):
    """The gateway answered, but did not take the message (a bad template, a blocked number, …)."""


class TencentCloudBackend:
    keeps_text = False

    def __init__(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        missing = [name for name in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "SMS_SDK_APP_ID",
                                     "SMS_SIGN_NAME") if not getattr(settings, name, "")]
        if missing:
            raise ImproperlyConfigured(f"Tencent Cloud SMS needs {', '.join(missing)}.")
        http = HttpProfile(protocol=settings.SMS_ENDPOINT_PROTOCOL, endpoint=settings.SMS_ENDPOINT, reqTimeout=10)
        self.client = sms_client.SmsClient(
            credential.Credential(settings.TENCENTCLOUD_SECRET_ID, settings.TENCENTCLOUD_SECRET_KEY),
            settings.SMS_REGION, ClientProfile(httpProfile=http),
        )

    def send(self, outgoing: Outgoing) -> None:
        """Send one templated message; raises GatewayRefused or the SDK's exception."""
        from tencentcloud.sms.v20210111 import models

        template_id = settings.SMS_TEMPLATE_IDS.get(outgoing.template)
        if not template_id:
            raise GatewayRefused(f"短信模板“{outgoing.template}”没有配置模板ID（SMS_TEMPLATE_IDS）。")
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.SMS_SDK_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template_id
        request.TemplateParamSet = list(outgoing.params)
        request.PhoneNumberSet = [f"+86{outgoing.phone}"]
        response = self.client.SendSms(request)
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            raise GatewayRefused(f"{status.Code}: {status.Message}")

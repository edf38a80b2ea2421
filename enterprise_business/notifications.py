"""Telling an enterprise something: a 消息 on /enterprise/ and the same text by SMS."""

from .models import Message
from .sms import send_sms


def notify(enterprise, title: str, body: str, link: str = "") -> Message:
    message = Message.objects.create(enterprise=enterprise, title=title, body=body, link=link)
    send_sms(enterprise.phone, f"{title}：{body}")
    return message

"""Telling someone something: a 消息 on their pages and the same text by SMS, from the catalogue.

A recipient is anything with `user_id` (the account whose 消息 it becomes) and `phone` (an
11-digit mobile number), such as an enterprise.
"""

from .catalogue import template
from .models import Message
from .sms import send_sms


def notify(recipient, template_name: str, *, link: str = "", **params) -> Message:
    """The catalogue's `template_name` with `params`, as a 消息 to `recipient.user_id` (linking
    to `link`) and an SMS to `recipient.phone`. ValueError for wrong parameters."""
    rendered = template(template_name).render(params)
    message = Message.objects.create(recipient_id=recipient.user_id, template=template_name, title=rendered.title,
                                     body=rendered.body, link=link)
    send_sms(recipient.phone, template_name, **params)
    return message


def notify_many(recipients, template_name: str, *, link: str = "", **params) -> int:
    """The same template to every recipient: the 消息 in bulk inserts, the SMS one by one (a
    gateway takes one phone at a time). Returns how many were told."""
    recipients = list(recipients)
    rendered = template(template_name).render(params)
    Message.objects.bulk_create(
        [Message(recipient_id=r.user_id, template=template_name, title=rendered.title, body=rendered.body, link=link)
         for r in recipients],
        batch_size=1000,
    )
    for recipient in recipients:
        send_sms(recipient.phone, template_name, **params)
    return len(recipients)

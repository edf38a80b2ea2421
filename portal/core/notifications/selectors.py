"""Reading what the platform told someone."""

from .models import Message


def latest_messages(user, limit: int = 10):
    """The newest `limit` 消息 of account `user`, newest first."""
    return Message.objects.filter(recipient=user)[:limit]

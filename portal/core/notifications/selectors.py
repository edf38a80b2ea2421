"""Reading what the platform told someone."""

from ..generations import Tokens
from .models import Message

# Each account's 消息 generation: renewed whenever one of its messages is added, changed or
# deleted (the receivers below, and the bulk inserts of services), for pages that keep what
# they show of them in the cache.
INBOX = Tokens("inbox")


def renew_inbox(instance, **kwargs) -> None:
    """A post_save/post_delete receiver of Message."""
    INBOX.renew(instance.recipient_id)


def latest_messages(user, limit: int = 10):
    """The newest `limit` 消息 of account `user`, newest first."""
    return Message.objects.filter(recipient=user)[:limit]

"""The kernel's models, registered with the `core` app."""

from .audit.models import AuditEvent
from .files.models import PrivateFile
from .jobs.models import Job
from .notifications.models import Message, SmsMessage

__all__ = ["AuditEvent", "Job", "Message", "PrivateFile", "SmsMessage"]

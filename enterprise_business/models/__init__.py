from .accounts import AppendOnlyModel, Enterprise, RegistrationReview, SmsCode, SmsMessage, User
from .basic_info import BasicInfo
from .messages import Message
from .registry import RegistryRecord
from .review import FilingEvent, FilingStatus

__all__ = [
    "AppendOnlyModel", "BasicInfo", "Enterprise", "FilingEvent", "FilingStatus", "Message", "RegistrationReview",
    "RegistryRecord", "SmsCode", "SmsMessage", "User",
]

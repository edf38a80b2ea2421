from .accounts import AppendOnlyModel, Enterprise, RegistrationReview, SmsCode, SmsMessage, User
from .basic_info import BasicInfo
from .messages import Message
from .points import Batch, PointsFiling, ProofFile, TorchRecord
from .registry import RegistryRecord
from .review import FilingEvent, FilingStatus

__all__ = [
    "AppendOnlyModel", "BasicInfo", "Batch", "Enterprise", "FilingEvent", "FilingStatus", "Message", "PointsFiling",
    "ProofFile", "RegistrationReview", "RegistryRecord", "SmsCode", "SmsMessage", "TorchRecord", "User",
]

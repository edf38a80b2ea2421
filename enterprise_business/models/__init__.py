from .accounts import AppendOnlyModel, Enterprise, RegistrationReview, SmsCode, SmsMessage, User
from .audit import AuditEvent
from .basic_info import BasicInfo
from .messages import Message
from .points import Batch, PointsFiling, ProofFile, TorchRecord
from .qualifications import (
    DataQuestion,
    Department,
    IndicatorColumn,
    QualificationIndicator,
    QualificationRecord,
    RecordChange,
)
from .registry import RegistryRecord
from .review import FilingEvent, FilingStatus

__all__ = [
    "AppendOnlyModel", "AuditEvent", "BasicInfo", "Batch", "DataQuestion", "Department", "Enterprise", "FilingEvent",
    "FilingStatus", "IndicatorColumn", "Message", "PointsFiling", "ProofFile", "QualificationIndicator",
    "QualificationRecord", "RecordChange", "RegistrationReview", "RegistryRecord", "SmsCode", "SmsMessage",
    "TorchRecord", "User",
]

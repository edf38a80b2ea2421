"""The app's models, one module per concern; Django finds them all through this module."""

from .accounts.models import Enterprise, RegistrationReview, SmsCode, User
from .desk.models import Reminder
from .filings.models import BasicInfo, Batch, FilingEvent, FilingStatus, PointsFiling
from .imports.models import RegistryRecord, TorchRecord
from .qualifications.models import (
    DataQuestion,
    Department,
    IndicatorColumn,
    QualificationIndicator,
    QualificationRecord,
    RecordChange,
)

__all__ = [
    "BasicInfo", "Batch", "DataQuestion", "Department", "Enterprise", "FilingEvent", "FilingStatus",
    "IndicatorColumn", "PointsFiling", "QualificationIndicator", "QualificationRecord", "RecordChange", "Reminder",
    "RegistrationReview", "RegistryRecord", "SmsCode", "TorchRecord", "User",
]

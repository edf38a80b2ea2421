from .accounts import Enterprise, RegistrationReview, SmsCode, User
from .basic_info import BasicInfo
from .points import Batch, PointsFiling, TorchRecord
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
    "BasicInfo", "Batch", "DataQuestion", "Department", "Enterprise", "FilingEvent", "FilingStatus",
    "IndicatorColumn", "PointsFiling", "QualificationIndicator", "QualificationRecord", "RecordChange",
    "RegistrationReview", "RegistryRecord", "SmsCode", "TorchRecord", "User",
]

"""Storing private files: checked by content (`checks`), kept in the private storage under a
random name, counted against the owner's quota, and written to the audit log."""

import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models import Sum

from .. import audit
from .checks import OWNER_QUOTA_BYTES, check_proof
from .models import PrivateFile

STORAGE_UNAVAILABLE = "文件存储服务暂时不可用，请稍后重试。"

logger = logging.getLogger(__name__)


@contextmanager
def storage_errors():
    """A failing private storage (the S3 endpoint down, a full disk) becomes the form error the
    user reads at the file's field, instead of a server error."""
    try:
        yield
    except ValidationError:
        raise
    except Exception as error:  # botocore's, OSError: whatever the storage backend raises
        logger.error("Private storage unavailable: %r", error)
        raise ValidationError(STORAGE_UNAVAILABLE, code="storage_unavailable") from error


def store(upload, owner, uploaded_by) -> PrivateFile:
    """Check `upload` (a proof: PDF, JPG or PNG up to 10 MB) and store it as `owner`'s private
    file (an image upright and re-encoded, `checks.upright_image`). Raises ValidationError
    (Chinese) for a refused file, a full quota (500 MB per owner) or an unavailable storage;
    a stored file whose row then fails is deleted."""
    content_type, upload = check_proof(upload)
    used = PrivateFile.objects.filter(owner=owner).aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > OWNER_QUOTA_BYTES:
        raise ValidationError("本企业上传的文件总量已达上限，请联系平台管理员。")
    private_file = PrivateFile(owner=owner, original_name=upload.name[-200:], size=upload.size,
                               content_type=content_type, uploaded_by=uploaded_by)
    with storage_errors():
        private_file.file.save(upload.name, upload, save=False)
    try:
        private_file.save()
    except Exception:
        private_file.file.delete(save=False)  # no stored file without its row
        raise
    audit.record(audit.Kind.UPLOAD, actor=uploaded_by, target=f"证明文件 #{private_file.pk}",
                 detail=private_file.original_name)
    return private_file

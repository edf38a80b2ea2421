"""Private files (证明文件, attachments): uploaded by an account, kept in the private storage
under a random name, handed out only by `portal.core.files.views.download` to whoever
`portal.core.files.access.can_read` allows."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone

from .storage import private_storage


def private_upload_to(instance, filename):
    # A random name: the uploaded name is never trusted or shown to anyone else.
    return f"proofs/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class PrivateFile(models.Model):
    """An uploaded file, private to its owner account and the staff allowed to read it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_files",
                              verbose_name="所属账号")
    file = models.FileField("文件", storage=private_storage, upload_to=private_upload_to)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField("类型", max_length=50)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "证明文件"
        verbose_name_plural = "证明文件"

    def __str__(self):
        return self.original_name

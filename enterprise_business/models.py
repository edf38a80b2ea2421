from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Every person who logs in: staff of each role and enterprise accounts alike.

    Enterprise accounts use their 统一社会信用代码 as the username; their profile and
    review state live in their own models, linked to this one.
    """

    display_name = models.CharField("显示名称", max_length=100, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

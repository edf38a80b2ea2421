"""Password rules (MLPS 2.0): at least 8 and at most 128 characters, letters and digits
both present, not the account itself, not common, not like the account's other data.

Django's validators are used with their messages in Chinese written here: Django 5.2's
changed message ids are not in its zh_Hans catalogue, so they would appear in English.
"""

import re

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError

MAX_LENGTH = 128


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return "密码与%(verbose_name)s过于相似。"

    def get_help_text(self):
        return "密码不能与账号、邮箱等个人信息过于相似。"


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return "密码过于常见，容易被猜到，请换一个。"

    def get_help_text(self):
        return "密码不能是常见密码。"


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全部是数字。"

    def get_help_text(self):
        return "密码不能全部是数字。"


class LettersAndDigitsValidator:
    def validate(self, password, user=None):
        if len(password) > MAX_LENGTH:
            raise ValidationError(f"密码不能超过{MAX_LENGTH}个字符。", code="password_too_long")
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError("密码必须同时包含字母和数字。", code="password_letters_digits")
        if user is not None and user.username and password.upper() == user.username.upper():
            raise ValidationError("密码不能与账号相同。", code="password_is_account")

    def get_help_text(self):
        return "密码须同时包含字母和数字，且不能与账号相同。"

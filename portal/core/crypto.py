"""Encryption at rest for personal numbers (身份证号, 手机号) and keyed hashes to look them up.

The key comes from FIELD_ENCRYPTION_KEY (production requires it); the lookup hash uses a
key derived from it, so neither a database dump nor a guessed number reveals anything
without the key.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _keys(secret: str) -> tuple[Fernet, bytes]:
    master = hashlib.sha256(f"portal-field-encryption:{secret}".encode()).digest()
    fernet = Fernet(base64.urlsafe_b64encode(hmac.new(master, b"encrypt", hashlib.sha256).digest()))
    lookup_key = hmac.new(master, b"lookup", hashlib.sha256).digest()
    return fernet, lookup_key


def _current_keys() -> tuple[Fernet, bytes]:
    return _keys(settings.FIELD_ENCRYPTION_KEY)


def encrypt(value: str) -> str:
    return _current_keys()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current_keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("The field could not be decrypted with the configured key.") from exc


def lookup_hash(value: str) -> str:
    """A keyed hash for equality lookups (one account per phone, reset by phone)."""
    return hmac.new(_current_keys()[1], value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores a short string encrypted; reads it back decrypted. Not searchable: store a
    `lookup_hash` beside it where equality lookups are needed."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

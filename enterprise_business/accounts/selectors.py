"""Finding accounts: by what a person types as 账号 (any width or case of a credit code)."""

from django.core.exceptions import ValidationError

from portal.core.crypto import lookup_hash
from portal.core.identifiers import normalize_credit_code
from portal.core.text import clean_text

from .models import User


def canonical_username(raw: str) -> str:
    """The account a person means by what they typed as 账号: a credit code in its canonical
    form (any width or case), otherwise the text cleaned (NFKC, controls dropped, trimmed)."""
    try:
        return normalize_credit_code(raw)
    except ValidationError:
        return clean_text(raw)


def find_enterprise_user(username: str, phone: str):
    return (
        User.objects.filter(
            username=canonical_username(username), enterprise__phone_hash=lookup_hash(phone), is_active=True
        ).first()
    )

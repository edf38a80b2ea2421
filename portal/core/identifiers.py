"""China's identifiers: 统一社会信用代码 (GB 32100-2015), 居民身份证号码 (GB 11643-1999) and
mainland mobile numbers. Each `normalize_*` returns the canonical form or raises
ValidationError with a Chinese message; input is cleaned (`portal.core.text.clean_text`:
NFKC, so full-width digits and letters become half-width; zero-width and control
characters dropped), stripped of spaces and upper-cased."""

import re
from datetime import date

from django.core.exceptions import ValidationError

from .text import clean_text

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
# Province-level codes of GB/T 2260 (the first two digits of an ID number).
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83", "91",
}

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# What people write between the digits of a phone number: spaces, dashes, dots, brackets.
PHONE_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.·()\[\]]")
COUNTRY_PREFIX = re.compile(r"^(?:\+|00)?86(?=1\d{10}$)")


def _clean(value: str) -> str:
    return "".join(clean_text(value).split()).upper()


def credit_code_check_char(first17: str) -> str:
    values = (CREDIT_CODE_CHARS.index(char) for char in first17)
    total = sum(value * weight for value, weight in zip(values, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    code = _clean(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位。", code="length")
    if not CREDIT_CODE_RE.match(code):
        raise ValidationError("统一社会信用代码含有无效字符（不使用 I、O、S、V、Z）。", code="chars")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入。", code="checksum")
    return code


def id_number_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str, today: date | None = None) -> str:
    number = _clean(value)
    if len(number) != 18:
        raise ValidationError("身份证号码应为18位。", code="length")
    if not ID_RE.match(number):
        raise ValidationError("身份证号码格式不正确：前17位应为数字，最后一位为数字或X。", code="chars")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError("身份证号码的地区代码不正确。", code="region")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期不存在。", code="birth") from None
    if birth > (today or date.today()) or birth.year < 1900:
        raise ValidationError("身份证号码中的出生日期不正确。", code="birth")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入。", code="checksum")
    return number


def normalize_mobile(value: str) -> str:
    """A mainland mobile number in its canonical form, 11 digits ("13912340003"), from the
    ways people write it: full-width digits, spaces, dashes, dots or brackets between the
    digits, and a +86, 0086 or 86 country prefix ("+86-139-1234-0003", "(+86)13912340003",
    "0086 13912340003"). Raises ValidationError (code "mobile") for anything else."""
    phone = COUNTRY_PREFIX.sub("", PHONE_SEPARATORS.sub("", _clean(value)))
    if not MOBILE_RE.match(phone):
        raise ValidationError("请输入正确的11位手机号码。", code="mobile")
    return phone


def mask_id_number(number: str) -> str:
    """110101********002X: region and last four only."""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}" if len(number) > 10 else "****"


def mask_phone(phone: str) -> str:
    """138****1234."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"

"""Enterprise accounts in a given registration state, staff, batches and a complete points
filing, for tests."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprise_business.models import BasicInfo, Batch, Enterprise, RegistrationReview, User
from enterprise_business.tests.helpers import png_bytes
from portal.core import roles
from portal.core.identifiers import credit_code_check_char, id_number_check_char

PASSWORD = "Qiye2025abc"
_numbers = itertools.count(1)


def make_enterprise(status=Enterprise.Status.APPROVED, reason="", password=PASSWORD, phone=None):
    n = next(_numbers)
    first17 = f"9121023100{n:07d}"
    code = first17 + credit_code_check_char(first17)
    id17 = f"2102031985061{n:04d}"
    user = User.objects.create_user(username=code, password=password, email=f"e{n}@example.cn")
    enterprise = Enterprise(
        user=user, credit_code=code, name=f"测试企业{n}有限公司", contact_name="联系人",
        contact_id_number=id17 + id_number_check_char(id17), email=user.email,
        phone=phone or f"139{n:08d}", consented_at=timezone.now(), status=status, reject_reason=reason,
    )
    enterprise.licence.save("licence.png", ContentFile(png_bytes()), save=False)
    enterprise.save()
    RegistrationReview.objects.create(enterprise=enterprise, action="submitted", actor=user)
    return enterprise


def make_staff(username, group_name=None, superuser=False):
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def make_reviewer(username="reviewer1"):
    return make_staff(username, roles.REVIEWER)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def approved_enterprise():
    enterprise = make_enterprise()
    BasicInfo.objects.create(enterprise=enterprise, status="approved", approved_at=timezone.now(),
                             approved_snapshot={"name": enterprise.name})
    return enterprise


def make_batch(year=2025, open_=True):
    today = timezone.localdate()
    opens, closes = (today - timedelta(days=5), today + timedelta(days=5)) if open_ else \
        (today - timedelta(days=30), today - timedelta(days=1))
    return Batch.objects.create(name=f"{year}年度创新积分数据填报", data_year=year, opens_on=opens, closes_on=closes)


def pdf(name="proof.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete(**overrides):
    data = {
        "filler_name": "王工", "filler_phone": "13940111111", "equity_begin": "800", "equity_end": "960.50",
        "rd_expense": "150", "rd_expense_prev": "120", "revenue": "2100", "revenue_prev": "1800", "tax_paid": "130",
        "tax_paid_prev": "110", "rd_tax_deduction": "22", "social_security": "45", "social_security_prev": "40",
        "bachelor_count": "20", "postgraduate_count": "6", "staff_total": "50", "graduates_hired": "3",
        "rd_staff": "15", "balance_sheet": pdf("资产负债表.pdf"), "tax_return": pdf(), "tax_return_prev": pdf(),
        "social_security_proof": pdf(), "social_security_prev_proof": pdf(), "staff_proof": pdf(),
        "records_confirmed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}

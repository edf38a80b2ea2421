"""Enterprise accounts in a given registration state, for tests."""

import itertools

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from enterprise_business.models import Enterprise, RegistrationReview, User
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

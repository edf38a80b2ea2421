"""Adds 10,000 approved enterprises, each with a submitted points filing in the open 2025
batch, so that the reviewer queue of `make bench` lists a batch of 10,000 filings. Run after
load_demo_content, with DJANGO_SETTINGS_MODULE=bench.settings; the bench database is thrown
away afterwards.

Everything goes in with bulk_create, a few thousand rows per INSERT: no signals, no
`Enterprise.save()` (so `phone_hash` is set here), one password hash shared by every account,
no registration reviews or filing events (the queue reads neither); the rows' generations
(`portal.core.generations.rows_of`: counts and figures kept in the shared cache) are renewed
here, as every bulk writer must. The bench accounts are
named 91210231MB<7 digits><check character>, valid credit codes of their own.
"""

import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from enterprise_business.models import Batch, Enterprise, FilingStatus, PointsFiling, User  # noqa: E402
from portal.core.crypto import lookup_hash  # noqa: E402
from portal.core.generations import rows_of  # noqa: E402
from portal.core.identifiers import credit_code_check_char, id_number_check_char  # noqa: E402

EXTRA_FILINGS = int(os.environ.get("BENCH_EXTRA_FILINGS", "10000"))
CHUNK = 2000


def credit_code(n: int) -> str:
    first17 = f"91210231MB{n:07d}"
    return first17 + credit_code_check_char(first17)


def main() -> None:
    started = time.monotonic()
    batch = Batch.objects.get(data_year=2025)
    codes = [credit_code(n) for n in range(1, EXTRA_FILINGS + 1)]
    existing = set(User.objects.filter(username__in=codes).values_list("username", flat=True))
    todo = [(n, code) for n, code in enumerate(codes, start=1) if code not in existing]
    now = timezone.now()
    password = make_password("Qiye12345")
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=code, password=password, email=f"bench{n}@example.cn", date_joined=now)
             for n, code in todo],
            batch_size=CHUNK,
        )
        enterprises = []
        for (n, code), user in zip(todo, users, strict=True):
            phone = f"150{n:08d}"
            id17 = f"210203199001{n % 100000:05d}"
            enterprises.append(Enterprise(
                user=user, credit_code=code, name=f"大连性能测试第{n:05d}号科技有限公司", contact_name=f"联系人{n}",
                contact_id_number=id17 + id_number_check_char(id17), email=user.email, phone=phone,
                phone_hash=lookup_hash(phone), licence="", status=Enterprise.Status.APPROVED,
                consented_at=now, submitted_at=now - timedelta(days=30), reviewed_at=now - timedelta(days=29),
            ))
        enterprises = Enterprise.objects.bulk_create(enterprises, batch_size=CHUNK)
        PointsFiling.objects.bulk_create(
            [PointsFiling(
                enterprise=enterprise, batch=batch, status=FilingStatus.SUBMITTED,
                submitted_at=now - timedelta(seconds=37 * n), filler_name=enterprise.contact_name,
                filler_phone=f"150{n:08d}",
                equity_begin=Decimal(800 + n % 900), equity_end=Decimal(960 + n % 900),
                rd_expense=Decimal(150 + n % 300), rd_expense_prev=Decimal(120 + n % 300),
                revenue=Decimal(2100 + n % 5000), revenue_prev=Decimal(1800 + n % 5000),
                tax_paid=Decimal(130 + n % 200), tax_paid_prev=Decimal(110 + n % 200),
                rd_tax_deduction=Decimal(22 + n % 50),
                social_security=40 + n % 60, social_security_prev=35 + n % 60, bachelor_count=20 + n % 30,
                postgraduate_count=6 + n % 10, staff_total=100 + n % 60, graduates_hired=3 + n % 5,
                rd_staff=15 + n % 20,
            ) for (n, _code), enterprise in zip(todo, enterprises, strict=True)],
            batch_size=CHUNK,
        )
    for model in (User, Enterprise, PointsFiling):
        rows_of(model._meta.label).new()
    in_queue = PointsFiling.objects.filter(batch=batch).exclude(status=FilingStatus.NOT_FILED).count()
    print(f"- 性能测试积分填报：新建企业及已提交填报 {len(todo)} 家，{batch.name}共 {in_queue} 份"
          f"（{time.monotonic() - started:.0f} 秒）")


if __name__ == "__main__":
    main()

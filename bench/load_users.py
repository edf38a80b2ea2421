"""Accounts and sessions for the load and fault runs of `make bench` (bench/locustfile.py,
bench/faults.py): writes one JSON file the load scripts read.

- `--enterprises N` approved enterprises with an approved basic-info filing and no points
  filing in the open 2025 batch, so each can save (暂存) and submit (提交) it once; named
  91210231MC<7 digits><check>, after the 91210231MB… accounts of seed_filings.py. `--offset`
  starts the numbering elsewhere, so two runs on one database never share an account.
- `--reviewers N` staff accounts in the 审核员 group (load_reviewer_<n>).
- a session of each, made the way `django.contrib.auth.login` leaves one (bench/sessions.py),
  without the slider, the password hash or django-axes;
- the public URLs a visitor browses: home, the section lists, 40 notices and 10 policies;
- the 2025 batch and the ids of its submitted filings, for the reviewers to decide.

Run with DJANGO_SETTINGS_MODULE=bench.settings after seed_filings.py; the bench database is
thrown away afterwards. Bulk inserts, as seed_filings.py, with one shared password hash.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from enterprise_business.models import BasicInfo, Batch, Enterprise, FilingStatus, PointsFiling, User  # noqa: E402
from notices.models import NoticePage  # noqa: E402
from policies.models import PolicyPage  # noqa: E402
from portal.core import roles  # noqa: E402
from portal.core.crypto import lookup_hash  # noqa: E402
from portal.core.identifiers import credit_code_check_char, id_number_check_char  # noqa: E402
from portal.core.sessions import session_for  # noqa: E402


def credit_code(n: int) -> str:
    first17 = f"91210231MC{n:07d}"
    return first17 + credit_code_check_char(first17)


@transaction.atomic
def make_enterprises(count: int, offset: int) -> list[dict]:
    now = timezone.now()
    password = make_password("Qiye12345")
    numbers = range(offset + 1, offset + count + 1)
    users = User.objects.bulk_create(
        [User(username=credit_code(n), password=password, email=f"load{n}@example.cn", date_joined=now)
         for n in numbers], batch_size=2000,
    )
    enterprises = []
    for n, user in zip(numbers, users, strict=True):
        phone = f"151{n:08d}"
        id17 = f"210203198801{n % 100000:05d}"
        enterprises.append(Enterprise(
            user=user, credit_code=user.username, name=f"大连负载测试第{n:05d}号科技有限公司",
            contact_name=f"联系人{n}",
            contact_id_number=id17 + id_number_check_char(id17), email=user.email, phone=phone,
            phone_hash=lookup_hash(phone), licence="", status=Enterprise.Status.APPROVED, consented_at=now,
            submitted_at=now, reviewed_at=now,
        ))
    enterprises = Enterprise.objects.bulk_create(enterprises, batch_size=2000)
    BasicInfo.objects.bulk_create(
        [BasicInfo(enterprise=e, name=e.name, status=FilingStatus.APPROVED, submitted_at=now, approved_at=now,
                   approved_snapshot={"name": e.name}) for e in enterprises],
        batch_size=2000,
    )
    return [{"username": e.credit_code, "phone": e.phone, "session": session_for(e.user)} for e in enterprises]


def make_reviewers(count: int) -> list[dict]:
    group = Group.objects.get(name=roles.REVIEWER)
    reviewers = []
    for n in range(1, count + 1):
        user, _ = User.objects.get_or_create(username=f"load_reviewer_{n}", defaults={"is_staff": True})
        user.groups.add(group)
        reviewers.append({"username": user.username, "session": session_for(user)})
    return reviewers


def public_urls() -> list[str]:
    notices = NoticePage.objects.live().public().order_by("-date", "-pk")[:40]
    policies = PolicyPage.objects.live().public().order_by("-date", "-pk")[:10]
    sections = {page.get_parent().specific.url for page in (notices[0], policies[0])}
    return ["/", *sorted(sections), *(page.url for page in notices), *(page.url for page in policies)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    batch = Batch.objects.get(data_year=2025)
    if not batch.is_open():
        raise SystemExit(f"load_users.py: {batch.name} is not open today")
    submitted = list(PointsFiling.objects.filter(batch=batch, status=FilingStatus.SUBMITTED)
                     .order_by("pk").values_list("pk", flat=True))
    data = {
        "batch": batch.pk,
        "public_urls": public_urls(),
        "enterprises": make_enterprises(args.enterprises, args.offset),
        "reviewers": make_reviewers(args.reviewers),
        "submitted_filings": submitted,
    }
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False))
    print(f"- 负载测试账号：企业 {args.enterprises} 家（基本信息已审核通过，{batch.name}未填报），"
          f"审核员 {args.reviewers} 名；待审核填报 {len(submitted)} 份，公开页面 {len(data['public_urls'])} 个"
          f"（{time.monotonic() - started:.0f} 秒）")


if __name__ == "__main__":
    main()

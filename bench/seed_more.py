"""Adds 500 published notices under the notice index, so that the figures of `make bench`
hold whatever the number of notices. Run after load_demo_content, with
DJANGO_SETTINGS_MODULE=bench.settings; the bench database is thrown away afterwards.
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from notices.models import NoticeIndexPage, NoticePage  # noqa: E402

EXTRA_NOTICES = int(os.environ.get("BENCH_EXTRA_NOTICES", "500"))
FIRST_DATE = date(2019, 1, 1)


def main() -> None:
    started = time.monotonic()
    index = NoticeIndexPage.objects.get()
    existing = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
    added = 0
    with transaction.atomic():
        for n in range(1, EXTRA_NOTICES + 1):
            slug = f"bench-notice-{n:04d}"
            if slug in existing:
                continue
            page = index.add_child(instance=NoticePage(
                title=f"性能测试通知第{n}号：关于企业创新积分工作的有关事项",
                slug=slug,
                date=FIRST_DATE + timedelta(days=5 * n),
                body=[{
                    "type": "paragraph",
                    "value": f"<p>这是第{n}篇用于性能测试的通知正文，内容仅供基准测试使用。</p>",
                }],
            ))
            page.save_revision().publish()
            added += 1
    total = NoticePage.objects.live().count()
    print(f"- 性能测试通知：新建 {added} 篇，通知共 {total} 篇（{time.monotonic() - started:.0f} 秒）")


if __name__ == "__main__":
    main()

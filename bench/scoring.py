"""`make bench`, scoring: a calculation run over 100,000 and over 520,000 enterprises (the
national programme scored 520,000 firms in 2024), end to end from the database.

    python bench/scoring.py            seed both batches (once) and time a run of each
    python bench/scoring.py seed       seed only
    python bench/scoring.py run <id>   one run of batch <id> in this process (what `main` spawns)

Seeding writes straight into the tables with COPY (no model code, no signals): 520,000
approved enterprise accounts, each with an approved basic-info snapshot (name, 成立日期,
行业) and an approved points filing snapshot in the batch "性能测试·52万家", and about 7.5
qualification records per enterprise across every indicator of the default catalogue; the
batch "性能测试·10万家" holds the first 100,000 of them with their own filings and records.
Figures are drawn from a seeded generator (three stages, missing previous years, zero
revenue, negative growth). Then VACUUM ANALYZE, as a live database would be.

Each run starts in a fresh child process (`run <id>`) with the default scheme, so its peak
resident memory (ru_maxrss) is the run's alone: Django, the input queries, the pandas
frame, the ranks, and the results written back with COPY. Goal: 520,000 enterprises in
under 60 s and 2 GiB on this 2-core machine. Run with DJANGO_SETTINGS_MODULE=bench.settings
and DATABASE_URL set (bench/run.sh does).
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from enterprise_business.models import (  # noqa: E402
    BasicInfo,
    Batch,
    Enterprise,
    PointsFiling,
    QualificationIndicator,
    QualificationRecord,
    User,
)
from portal.core.identifiers import CREDIT_CODE_CHARS, CREDIT_CODE_WEIGHTS  # noqa: E402

# BENCH_SCORING_SIZES="100000,520000" (the default) sets the batches; the largest holds every
# bench enterprise and each smaller one the first of them.
SIZES = {
    f"性能测试·{int(size) // 10_000}万家" if int(size) >= 10_000 else f"性能测试·{int(size)}家": int(size)
    for size in os.environ.get("BENCH_SCORING_SIZES", "100000,520000").split(",")
}
DATA_YEAR = 2023
CHUNK = 100_000
PREFIX = "91210231MC"
# (indicator code, mean records per enterprise, kinds, amount range in 万元 or None)
RECORDS = [
    ("tech_contract", 0.8, ["技术开发", "技术服务", "技术转让"], (5, 500)),
    ("invention_patent", 1.0, ["有效"], None),
    ("utility_patent", 1.4, ["有效"], None),
    ("software_copyright", 1.4, [""], None),
    ("trademark", 0.8, ["第9类", "第42类"], None),
    ("high_tech", 0.35, [""], None),
    ("tech_sme", 0.45, [""], None),
    ("rd_institution", 0.35, ["国家级", "省级", "市级"], None),
    ("sci_award", 0.2, ["国家级", "省级", "市级"], None),
    ("sci_project", 0.3, ["国家级", "省级", "市级"], (10, 300)),
    ("venture_capital", 0.15, [""], (50, 5000)),
    ("standard", 0.3, ["国家标准", "行业标准", "团体标准"], None),
    ("negative_record", 0.03, ["行政处罚"], None),
]
INDUSTRIES = np.array(list("CIMCIMCNFL"))


def credit_codes(numbers: np.ndarray) -> np.ndarray:
    """Valid 统一社会信用代码: PREFIX + 7 digits + the GB 32100 check character, vectorised."""
    first17 = np.char.add(PREFIX, np.char.zfill(numbers.astype(str), 7)).astype("<U17")
    points = np.frombuffer(first17.tobytes(), dtype=np.uint32).reshape(-1, 17)
    lookup = np.zeros(128, dtype=np.int64)
    lookup[[ord(c) for c in CREDIT_CODE_CHARS]] = np.arange(len(CREDIT_CODE_CHARS))
    total = (lookup[points] * np.array(CREDIT_CODE_WEIGHTS)).sum(axis=1)
    check = np.array(list(CREDIT_CODE_CHARS))[(31 - total % 31) % 31]
    return np.char.add(first17, check)


TEXT_TYPES = ("CharField", "TextField", "SlugField", "EmailField", "FileField")


def _default(field, now: str):
    """What a column the frame lacks gets: NULL, its default, or the empty string."""
    if field.null:
        return None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        if callable(field.default):
            return now if field.default is timezone.now else json.dumps(field.get_default())
        if isinstance(field.default, bool):
            return "t" if field.default else "f"
        return field.default
    return ""


def copy(model, frame: pd.DataFrame) -> None:
    """COPY `frame` into `model`'s table (ids included when the frame has them)."""
    now = timezone.now().isoformat()
    data = {"id": frame["id"]} if "id" in frame.columns else {}
    not_null_text = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        data[field.column] = frame[field.column] if field.column in frame.columns else _default(field, now)
        if field.get_internal_type() in TEXT_TYPES and not field.null:
            not_null_text.append(field.column)
    table = pd.DataFrame(data, index=frame.index)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, header=False, lineterminator="\n")
    buffer.seek(0)
    # Unquoted empty text would be NULL in CSV: FORCE_NOT_NULL keeps it ''.
    force = f", FORCE_NOT_NULL ({', '.join(not_null_text)})" if not_null_text else ""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(table.columns)}) FROM STDIN WITH (FORMAT csv{force})", buffer
        )


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 - a model's table
        return cursor.fetchone()[0]


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608


def _money(values: np.ndarray) -> pd.Series:
    return pd.Series(np.round(np.maximum(values, 0), 2)).map("{:.2f}".format)


def seed_enterprises(total: int) -> pd.DataFrame:
    """Accounts, enterprises and approved basic info for `total` enterprises (once)."""
    existing = Enterprise.objects.filter(credit_code__startswith=PREFIX).count()
    rng = np.random.default_rng(520)
    if existing < total:
        now = timezone.now().isoformat()
        for start in range(existing, total, CHUNK):
            numbers = np.arange(start + 1, min(start + CHUNK, total) + 1)
            codes = credit_codes(numbers)
            n = len(numbers)
            user_id = np.arange(_next_id(User), _next_id(User) + n)
            copy(
                User,
                pd.DataFrame(
                    {
                        "id": user_id,
                        "username": codes,
                        "password": "!",
                        "email": np.char.add(codes, "@bench.cn"),
                        "is_superuser": "f",
                        "is_staff": "f",
                        "is_active": "t",
                        "date_joined": now,
                    }
                ),
            )
            enterprise_id = np.arange(_next_id(Enterprise), _next_id(Enterprise) + n)
            names = np.char.add(np.char.add("大连性能测试", np.char.zfill(numbers.astype(str), 7)), "号科技有限公司")
            copy(
                Enterprise,
                pd.DataFrame(
                    {
                        "id": enterprise_id,
                        "user_id": user_id,
                        "credit_code": codes,
                        "name": names,
                        "contact_name": "联系人",
                        "contact_id_number": "bench",
                        "email": np.char.add(codes, "@bench.cn"),
                        "phone": "bench",
                        "phone_hash": np.char.add("bench-", codes),
                        "licence": "",
                        "status": "approved",
                        "consented_at": now,
                        "submitted_at": now,
                        "reviewed_at": now,
                    }
                ),
            )
            founded = rng.integers(1995, DATA_YEAR + 1, n)
            established = pd.Series(founded.astype(str)) + "-06-15"
            industry = INDUSTRIES[rng.integers(0, len(INDUSTRIES), n)]
            snapshot = (
                '{"name": "'
                + pd.Series(names)
                + '", "established_on": "'
                + established
                + '", "industry": "'
                + pd.Series(industry)
                + '"}'
            )
            copy(
                BasicInfo,
                pd.DataFrame(
                    {
                        "enterprise_id": enterprise_id,
                        "status": "approved",
                        "name": names,
                        "established_on": established,
                        "industry": industry,
                        "approved_snapshot": snapshot,
                        "approved_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                ),
            )
            print(f"  企业 {start + n:,} / {total:,}", flush=True)
        for model in (User, Enterprise):
            _reset_sequence(model)
    rows = (
        Enterprise.objects.filter(credit_code__startswith=PREFIX)
        .order_by("credit_code")
        .values_list("id", "credit_code")[:total]
    )
    return pd.DataFrame.from_records(list(rows), columns=["id", "credit_code"])


def seed_batch(name: str, enterprises: pd.DataFrame, seed: int) -> Batch:
    batch, created = Batch.objects.get_or_create(
        name=name, defaults={"data_year": DATA_YEAR, "opens_on": "2024-06-01", "closes_on": "2024-07-15"}
    )
    if not created and PointsFiling.objects.filter(batch=batch).exists():
        return batch
    rng = np.random.default_rng(seed)
    indicators = dict(QualificationIndicator.objects.values_list("code", "id"))
    now = timezone.now().isoformat()
    for start in range(0, len(enterprises), CHUNK):
        chunk = enterprises.iloc[start : start + CHUNK]
        n = len(chunk)
        stage = rng.choice([0, 1, 2], n, p=[0.3, 0.55, 0.15])
        revenue = np.where(
            stage == 0,
            rng.uniform(0, 1500, n),
            np.where(stage == 1, rng.uniform(1000, 20000, n), rng.uniform(20000, 200000, n)),
        )
        revenue[rng.random(n) < 0.01] = 0  # zero revenue
        growth = rng.normal(0.15, 0.3, n)  # negative growth too
        rd = revenue * rng.uniform(0, 0.15, n)
        staff = np.maximum(5, (revenue / rng.uniform(30, 150, n)).astype(int))
        figures = {
            "equity_begin": _money(revenue * rng.uniform(0.2, 1, n)),
            "equity_end": _money(revenue * rng.uniform(0.2, 1.2, n)),
            "rd_expense": _money(rd),
            "rd_expense_prev": _money(rd / (1 + rng.normal(0.1, 0.3, n).clip(-0.5))),
            "revenue": _money(revenue),
            "revenue_prev": _money(revenue / (1 + growth.clip(-0.6))),
            "tax_paid": _money(revenue * rng.uniform(0.01, 0.08, n)),
            "tax_paid_prev": _money(revenue * rng.uniform(0.01, 0.08, n)),
            "rd_tax_deduction": _money(rd * rng.uniform(0, 0.25, n)),
            "social_security": pd.Series(staff).astype(str),
            "social_security_prev": pd.Series((staff / rng.uniform(0.8, 1.4, n)).astype(int)).astype(str),
            "bachelor_count": pd.Series((staff * rng.uniform(0.2, 0.6, n)).astype(int)).astype(str),
            "postgraduate_count": pd.Series((staff * rng.uniform(0, 0.2, n)).astype(int)).astype(str),
            "staff_total": pd.Series(staff).astype(str),
            "graduates_hired": pd.Series(rng.integers(0, 12, n)).astype(str),
            "rd_staff": pd.Series((staff * rng.uniform(0.05, 0.4, n)).astype(int)).astype(str),
        }
        missing_prev = rng.random(n) < 0.05  # no previous year
        snapshot = pd.Series(["{"] * n)
        for position, (key, text) in enumerate(figures.items()):
            quoted = key not in (
                "social_security",
                "social_security_prev",
                "bachelor_count",
                "postgraduate_count",
                "staff_total",
                "graduates_hired",
                "rd_staff",
            )
            value = ('"' + text + '"') if quoted else text
            if key.endswith("_prev"):
                value = value.where(~missing_prev, "null")
            snapshot = snapshot + ("" if position == 0 else ", ") + f'"{key}": ' + value.reset_index(drop=True)
        snapshot = snapshot + "}"
        copy(
            PointsFiling,
            pd.DataFrame(
                {
                    "enterprise_id": chunk["id"].to_numpy(),
                    "batch_id": batch.pk,
                    "status": "approved",
                    "approved_snapshot": snapshot.to_numpy(),
                    "approved_at": now,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                    "decided_at": now,
                    "torch_imported": "f",
                }
            ),
        )
        codes = chunk["credit_code"].to_numpy()
        for code, mean, kinds, amounts in RECORDS:
            counts = rng.poisson(mean, n)
            if code in ("high_tech", "tech_sme"):
                counts = np.minimum(counts, 1)
            total = int(counts.sum())
            owner = np.repeat(codes, counts)
            serial = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            keys = pd.Series(owner) + "-" + code + "-" + pd.Series(serial).astype(str)
            amount = _money(rng.uniform(*amounts, total)) if amounts else pd.Series([None] * total, dtype=object)
            copy(
                QualificationRecord,
                pd.DataFrame(
                    {
                        "indicator_id": indicators[code],
                        "batch_id": batch.pk,
                        "credit_code": owner,
                        "record_key": keys.to_numpy(),
                        "values": "{}",
                        "amount": amount.to_numpy(),
                        "kind": np.array(kinds, dtype=object)[rng.integers(0, len(kinds), total)],
                        "source": "import",
                        "in_force": "t",
                        "withdrawn": "f",
                        "created_at": now,
                        "updated_at": now,
                    }
                ),
            )
        print(f"  {name}：填报及资质记录 {start + n:,} / {len(enterprises):,}", flush=True)
    return batch


def seed() -> list[Batch]:
    started = time.monotonic()
    enterprises = seed_enterprises(max(SIZES.values()))
    batches = []
    with transaction.atomic():
        for seed_number, (name, size) in enumerate(SIZES.items()):
            batches.append(seed_batch(name, enterprises.iloc[:size], seed_number))
    with connection.cursor() as cursor:
        for model in (User, Enterprise, BasicInfo, PointsFiling, QualificationRecord):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    records = QualificationRecord.objects.filter(batch__in=batches).count()
    seconds = time.monotonic() - started
    print(f"- 积分性能测试数据：企业 {len(enterprises):,} 家，资质记录 {records:,} 条（{seconds:.0f} 秒）")
    return batches


def run(batch_id: int) -> None:
    """One run in this process; prints a JSON line for `main`."""
    from scoring_engine.models import CalculationRun
    from scoring_engine.services import default_scheme, start_run

    batch = Batch.objects.get(pk=batch_id)
    scheme = default_scheme()
    started = time.monotonic()
    calculation = start_run(batch, scheme, background=False)
    seconds = time.monotonic() - started
    if calculation.status != CalculationRun.Status.CALCULATED:
        raise SystemExit(f"scoring run failed: {calculation.error}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB
    print(
        json.dumps(
            {
                "enterprises": calculation.enterprise_count,
                "seconds": round(seconds, 1),
                "peak_mib": round(peak),
                "run": calculation.pk,
            }
        )
    )


def main() -> None:
    batches = seed()
    lines = []
    for batch in batches:
        output = subprocess.run(  # noqa: S603 - this very script, with a batch id
            [sys.executable, __file__, "run", str(batch.pk)], check=True, capture_output=True, text=True
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        goal = "（目标：60 秒、2 GiB 以内）" if figures["enterprises"] >= 500_000 else ""
        lines.append(
            f"积分计算 {figures['enterprises']:>9,} 家企业：{figures['seconds']:6.1f} 秒，"
            f"峰值内存 {figures['peak_mib']:,} MiB{goal}"
        )
        print(lines[-1], flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        run(int(sys.argv[2]))
    elif sys.argv[1:2] == ["seed"]:
        seed()
    else:
        main()

"""The calculation of one run, end to end from the database and back, vectorised.

1. `load_inputs`: three queries whatever the number of enterprises — the approved snapshots
   of the batch's points filings (`approved_snapshot`, not the working copy, which may be a
   newer draft), the approved basic-info snapshots of the same enterprises, and one grouped
   aggregate of the in-force qualification records (a count and a sum per scheme indicator,
   with FILTER clauses). On PostgreSQL each comes back through COPY … TO STDOUT as CSV.
2. `compute`: one pandas DataFrame, one row per enterprise, sorted by credit code; stage,
   values, points, category sums, total, ranks, percentiles and tiers, column by column
   (`scoring_engine.rules`); the input hash over the sorted, normalised inputs, so the order
   in which rows were stored never matters.
3. `write_results`: COPY into the results table on PostgreSQL, bulk_create elsewhere.

`calculate(run)` runs the three, records progress on the run as each finishes, and marks
the run 待发布 or, on any error, 计算失败 with the message (never a half-written result set).
"""

import hashlib
import io
import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.fields.json import KT
from django.utils import timezone

from . import rules
from .models import (
    DERIVED_FIELDS,
    FILING_FIELDS,
    CalculationRun,
    Category,
    EnterpriseResult,
    Rule,
    Source,
    Stage,
    parse_segments,
)

logger = logging.getLogger(__name__)

TEXT_COLUMNS = ("credit_code", "account_name", "b_name", "b_industry", "b_established_on")
STAGES = [stage.value for stage in Stage]
CATEGORIES = [category.value for category in Category]
WRITE_CHUNK = 50_000


# ---------------------------------------------------------------------------------------
# 1. Inputs


@dataclass
class RecordColumn:
    """One (qualification indicator, kind) pair the scheme reads: its count and sum columns."""

    code: str
    kind: str
    count_column: str
    sum_column: str


def record_columns(definition: dict) -> list[RecordColumn]:
    pairs = []
    for indicator in definition["indicators"]:
        if indicator["source"] in (Source.RECORD_COUNT, Source.RECORD_SUM):
            pair = (indicator["record_indicator"], indicator["record_kind"])
            if pair not in pairs:
                pairs.append(pair)
    return [RecordColumn(code, kind, f"rc_{i}", f"rs_{i}") for i, (code, kind) in enumerate(pairs)]


def _frame(queryset, columns: list[str]) -> pd.DataFrame:
    """Run a values() queryset and return its rows as a DataFrame with `columns` (all text read
    as text, everything else parsed as numbers). PostgreSQL: COPY (query) TO STDOUT as CSV."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg2 cursor under Django's wrapper
            statement = raw.mogrify(sql, params).decode()
            buffer = io.BytesIO()
            raw.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER true)", buffer)
            buffer.seek(0)
            text = {name: str for name in columns if name in TEXT_COLUMNS}
            frame = pd.read_csv(buffer, dtype=text, keep_default_na=False, na_values=[""])
        else:
            cursor.execute(sql, params)
            names = [description[0] for description in cursor.description]
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=names)
    frame = frame[columns] if len(frame.columns) else pd.DataFrame(columns=columns)
    for name in columns:
        if name in TEXT_COLUMNS:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), "").astype(str)
        else:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def load_inputs(batch, definition: dict) -> pd.DataFrame:
    """One row per enterprise with an approved points filing in `batch`, sorted by credit code."""
    from enterprise_business.models import BasicInfo, PointsFiling, QualificationIndicator, QualificationRecord

    fields = list(FILING_FIELDS)
    filings = (
        PointsFiling.objects.filter(batch=batch, approved_at__isnull=False, approved_snapshot__isnull=False)
        .order_by()
        .annotate(
            eid=F("enterprise_id"),
            credit_code=F("enterprise__credit_code"),
            account_name=F("enterprise__name"),
            **{f"f_{name}": KT(f"approved_snapshot__{name}") for name in fields},
        )
        .values("eid", "credit_code", "account_name", *(f"f_{name}" for name in fields))
    )
    frame = _frame(filings, ["eid", "credit_code", "account_name", *(f"f_{name}" for name in fields)])
    frame = frame.rename(columns={f"f_{name}": name for name in fields})

    basic = (
        BasicInfo.objects.filter(
            approved_at__isnull=False,
            approved_snapshot__isnull=False,
            enterprise_id__in=PointsFiling.objects.filter(batch=batch, approved_at__isnull=False).values(
                "enterprise_id"
            ),
        )
        .order_by()
        .annotate(
            eid=F("enterprise_id"),
            b_name=KT("approved_snapshot__name"),
            b_industry=KT("approved_snapshot__industry"),
            b_established_on=KT("approved_snapshot__established_on"),
        )
        .values("eid", "b_name", "b_industry", "b_established_on")
    )
    info = _frame(basic, ["eid", "b_name", "b_industry", "b_established_on"])
    info.columns = ["eid", "name", "industry", "established_on"]
    frame = frame.merge(info, on="eid", how="left")
    for column in ("name", "industry", "established_on"):
        frame[column] = frame[column].fillna("").astype(str)
    # The account's name stands in when the basic information has none.
    frame["name"] = frame["name"].where(frame["name"] != "", frame.pop("account_name"))

    columns = record_columns(definition)
    if columns:
        ids = dict(QualificationIndicator.objects.filter(code__in={c.code for c in columns}).values_list("code", "id"))
        aggregates = {}
        for column in columns:
            condition = Q(indicator_id=ids.get(column.code, -1))
            if column.kind:
                condition &= Q(kind=column.kind)
            aggregates[column.count_column] = Count("pk", filter=condition)
            aggregates[column.sum_column] = Sum("amount", filter=condition)
        records = (
            QualificationRecord.objects.filter(batch=batch, in_force=True, indicator_id__in=list(ids.values()))
            .order_by()
            .values("credit_code")
            .annotate(**aggregates)
            .values("credit_code", *aggregates)
        )
        counts = _frame(records, ["credit_code", *aggregates])
        frame = frame.merge(counts, on="credit_code", how="left")
        for name in aggregates:
            # No record is a count (or sum) of 0, not a missing value.
            frame[name] = frame[name].fillna(0.0).astype(float)
    return frame.sort_values("credit_code", kind="mergesort").reset_index(drop=True)


def input_hash(frame: pd.DataFrame, data_year: int) -> str:
    """SHA-256 over the sorted, normalised inputs (credit code order; numbers to 4 decimals;
    database ids left out), so the same inputs stored in any order give the same hash."""
    columns = [c for c in frame.columns if c != "eid"]
    ordered = frame.sort_values("credit_code", kind="mergesort")[columns]
    digest = hashlib.sha256(f"data_year={data_year}\n".encode())
    for start in range(0, len(ordered), 100_000):
        chunk = ordered.iloc[start : start + 100_000]
        digest.update(chunk.to_csv(index=False, header=start == 0, float_format="%.4f", lineterminator="\n").encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------
# 2. Computation


def source_values(frame: pd.DataFrame, indicator: dict, records: dict[tuple[str, str], RecordColumn]) -> np.ndarray:
    source = indicator["source"]
    if source in (Source.RECORD_COUNT, Source.RECORD_SUM):
        column = records[(indicator["record_indicator"], indicator["record_kind"])]
        name = column.count_column if source == Source.RECORD_COUNT else column.sum_column
        return frame[name].to_numpy(dtype=float)
    value = frame[indicator["field"]].to_numpy(dtype=float)
    if source == Source.RATIO:
        return rules.ratio(value, frame[indicator["denominator_field"]].to_numpy(dtype=float))
    if source == Source.GROWTH:
        return rules.growth(value, frame[indicator["previous_field"]].to_numpy(dtype=float))
    return value


def rule_points(values: np.ndarray, stages: np.ndarray, indicator: dict) -> np.ndarray:
    cap = float(indicator["cap"] or 0)
    rule = indicator["rule"]
    if rule == Rule.SEGMENTS:
        steps = parse_segments(indicator["segments"])
        return rules.segments(values, [float(t) for t, _ in steps], [float(p) for _, p in steps], cap)
    if rule == Rule.PERCENTILE:
        return rules.percentile(values, stages, cap)
    if rule == Rule.LINEAR:
        return rules.linear(values, float(indicator["lower"]), float(indicator["upper"]), cap)
    if rule == Rule.YES_NO:
        return rules.yes_no(values, cap)
    if rule == Rule.BONUS:
        return rules.bonus(values, float(indicator["points"]), cap)
    if rule == Rule.DEDUCTION:
        return rules.deduction(values, float(indicator["points"]), cap)
    raise ValueError(f"unknown rule {rule!r}")


def add_derived(frame: pd.DataFrame, data_year: int) -> None:
    """age (whole years from 成立日期 to the end of year Y) and degree_count (本科 + 研究生)."""
    year = pd.to_numeric(frame["established_on"].str.slice(0, 4), errors="coerce").to_numpy(dtype=float)
    frame["age"] = np.where(np.isnan(year), np.nan, np.maximum(data_year - year, 0))
    frame["degree_count"] = frame[["bachelor_count", "postgraduate_count"]].sum(axis=1, min_count=1)
    assert set(DERIVED_FIELDS) <= set(frame.columns)


def compute(frame: pd.DataFrame, definition: dict, data_year: int) -> pd.DataFrame:
    """Stage, value and points of every indicator, category points, total, ranks and tiers.

    Returns one row per enterprise (the input's order, by credit code) with columns eid,
    credit_code, name, industry, stage, v_<code> and p_<code> per indicator, c_<category>
    per category, total, rank, percentile, stage_rank, stage_percentile, tier.
    """
    frame = frame.copy()
    add_derived(frame, data_year)
    stages = rules.assign_stage(
        frame["age"].to_numpy(dtype=float),
        frame["revenue"].to_numpy(dtype=float),
        float(definition["startup_max_age"]),
        float(definition["startup_max_revenue"]),
        float(definition["mature_min_revenue"]),
    )
    records = {(c.code, c.kind): c for c in record_columns(definition)}
    out = {
        "eid": frame["eid"].to_numpy(dtype=np.int64),
        "credit_code": frame["credit_code"].to_numpy(dtype=object),
        "name": frame["name"].to_numpy(dtype=object),
        "industry": frame["industry"].to_numpy(dtype=object),
        "stage": stages,
    }
    categories = {category: np.zeros(len(frame)) for category in CATEGORIES}
    for indicator in definition["indicators"]:
        values = source_values(frame, indicator, records)
        raw = rule_points(values, stages, indicator)
        weight = np.select(
            [stages == "startup", stages == "growth", stages == "mature"],
            [float(indicator["weight_startup"]), float(indicator["weight_growth"]), float(indicator["weight_mature"])],
            0.0,
        )
        points = rules.round2(raw * weight)
        out[f"v_{indicator['code']}"] = rules.round2(values)
        out[f"p_{indicator['code']}"] = points
        categories[indicator["category"]] = categories[indicator["category"]] + points
    for category, points in categories.items():
        out[f"c_{category}"] = rules.round2(points)
    total = rules.round2(sum(categories.values()))
    out["total"] = total
    rank, percent = rules.competition_rank(total)
    stage_rank, stage_percent = rules.competition_rank(total, stages)
    stage_size = pd.Series(stages).map(pd.Series(stages).value_counts()).to_numpy(dtype=np.int64)
    out.update(
        rank=rank,
        percentile=percent,
        stage_rank=stage_rank,
        stage_percentile=stage_percent,
        tier=rules.tiers(stage_rank, stage_size),
    )
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------
# 3. Results


def _number_text(values: np.ndarray) -> pd.Series:
    """JSON number text with at most two decimals and no trailing zeros; NaN → null."""
    series = pd.Series(values, dtype=float)
    text = series.map("{:.2f}".format).str.rstrip("0").str.rstrip(".")
    text = text.where(text != "-0", "0")
    return text.where(series.notna(), "null")


def json_columns(results: pd.DataFrame, definition: dict) -> tuple[pd.Series, pd.Series]:
    """The details and category_points JSON of each row, built column-wise (no row loop)."""
    details = None
    for indicator in definition["indicators"]:
        code = indicator["code"]
        part = (
            f'"{code}":{{"value":'
            + _number_text(results[f"v_{code}"].to_numpy())
            + ',"points":'
            + _number_text(results[f"p_{code}"].to_numpy())
            + "}"
        )
        details = part if details is None else details + "," + part
    if details is None:
        details = pd.Series([""] * len(results), dtype=object)
    used = [c for c in CATEGORIES if any(i["category"] == c for i in definition["indicators"])]
    categories = None
    for category in used:
        part = f'"{category}":' + _number_text(results[f"c_{category}"].to_numpy())
        categories = part if categories is None else categories + "," + part
    if categories is None:
        categories = pd.Series([""] * len(results), dtype=object)
    return "{" + details.reset_index(drop=True) + "}", "{" + categories.reset_index(drop=True) + "}"


# Empty text (an enterprise without a tier or an industry) is '', never NULL.
NOT_NULL = "FORCE_NOT_NULL (credit_code, name, industry, stage, tier)"
RESULT_COLUMNS = [
    "run_id",
    "enterprise_id",
    "credit_code",
    "name",
    "industry",
    "stage",
    "total",
    "category_points",
    "details",
    "rank",
    "percentile",
    "stage_rank",
    "stage_percentile",
    "tier",
]


def _result_frame(run_id: int, chunk: pd.DataFrame, definition: dict) -> pd.DataFrame:
    details, categories = json_columns(chunk, definition)
    return pd.DataFrame(
        {
            "run_id": run_id,
            "enterprise_id": chunk["eid"].to_numpy(),
            "credit_code": chunk["credit_code"].to_numpy(),
            "name": chunk["name"].to_numpy(),
            "industry": chunk["industry"].to_numpy(),
            "stage": chunk["stage"].to_numpy(),
            "total": _number_text(chunk["total"].to_numpy()).to_numpy(),
            "category_points": categories.to_numpy(),
            "details": details.to_numpy(),
            "rank": chunk["rank"].to_numpy(),
            "percentile": _number_text(chunk["percentile"].to_numpy()).to_numpy(),
            "stage_rank": chunk["stage_rank"].to_numpy(),
            "stage_percentile": _number_text(chunk["stage_percentile"].to_numpy()).to_numpy(),
            "tier": chunk["tier"].to_numpy(),
        }
    )


def write_results(run: CalculationRun, results: pd.DataFrame, definition: dict) -> None:
    """Replace the run's results: COPY on PostgreSQL, bulk_create elsewhere; chunked either way."""
    import json

    EnterpriseResult.objects.filter(run=run).delete()
    table = EnterpriseResult._meta.db_table
    for start in range(0, len(results), WRITE_CHUNK):
        rows = _result_frame(run.pk, results.iloc[start : start + WRITE_CHUNK], definition)
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            rows.to_csv(buffer, index=False, header=False, lineterminator="\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {table} ({', '.join(RESULT_COLUMNS)}) FROM STDIN WITH (FORMAT csv, {NOT_NULL})", buffer
                )
        else:
            records = rows.to_dict("records")
            EnterpriseResult.objects.bulk_create(
                [
                    EnterpriseResult(
                        **{
                            **record,
                            "details": json.loads(record["details"]),
                            "category_points": json.loads(record["category_points"]),
                        }
                    )
                    for record in records
                ],
                batch_size=2000,
            )


# ---------------------------------------------------------------------------------------
# The run


def _progress(run: CalculationRun, percent: int) -> None:
    run.progress = percent
    CalculationRun.objects.filter(pk=run.pk).update(progress=percent)


def calculate(run: CalculationRun) -> CalculationRun:
    """Calculate `run` (status 计算中) from its batch and its scheme snapshot; never raises.

    On success the run is 待发布 with its results, input hash and enterprise count; on any
    error it is 计算失败 with the message and keeps no results.
    """
    started = time.monotonic()
    definition = run.scheme_snapshot
    try:
        _progress(run, 5)
        frame = load_inputs(run.batch, definition)
        _progress(run, 40)
        digest = input_hash(frame, run.batch.data_year)
        results = compute(frame, definition, run.batch.data_year)
        _progress(run, 70)
        with transaction.atomic():
            write_results(run, results, definition)
            run.input_hash = digest
            run.enterprise_count = len(results)
            run.status = CalculationRun.Status.CALCULATED
            run.progress = 100
            run.finished_at = timezone.now()
            run.error = ""
            run.save(update_fields=["input_hash", "enterprise_count", "status", "progress", "finished_at", "error"])
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the run, not lost
        logger.exception("scoring run %s failed", run.pk)
        run.status = CalculationRun.Status.FAILED
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
    else:
        logger.info(
            "scoring run %s: %s enterprises in %.1f s", run.pk, run.enterprise_count, time.monotonic() - started
        )
    return run

"""The calculation of one run, end to end from the database and back, vectorised.

1. `load_inputs`: three inputs, each read READ_CHUNK rows per query in key order (a query
   costs the same whatever the number of enterprises; a paced job rests between two) — the
   approved snapshots of the batch's points filings (`approved_snapshot`, not the working
   copy, which may be a newer draft), the approved basic-info snapshots of the same
   enterprises, and one grouped aggregate of the in-force qualification records (a count and a
   sum per scheme indicator, with FILTER clauses). On PostgreSQL each comes back through
   COPY … TO STDOUT as CSV, all in one snapshot.
2. `compute`: one pandas DataFrame, one row per enterprise, sorted by credit code; stage,
   values, points, category sums, total, ranks, percentiles and tiers, column by column
   (`scoring_engine.rules`), in exact integer arithmetic (`scoring_engine.exact`): values in
   ten-thousandths, points in whole cents; the input hash over the sorted, normalised
   inputs, so the order in which rows were stored never matters.
3. `write_results`: COPY into the results table on PostgreSQL, bulk_create elsewhere.

`calculate(run)` runs the three, records progress on the run as each finishes, and marks
the run 待发布 or, on any error, 计算失败 with the message (never a half-written result set).
"""

import contextlib
import hashlib
import io
import itertools
import json
import logging
import math
import operator
import queue
import re
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.fields.json import KT
from django.utils import timezone

from portal.core.jobs import is_paced, pace

from . import exact, rules
from .exact import Values
from .models import (
    DERIVED_FIELDS,
    FILING_FIELDS,
    CalculationRun,
    Category,
    EnterpriseResult,
    Source,
    Stage,
)

logger = logging.getLogger(__name__)

TEXT_COLUMNS = ("credit_code", "account_name", "b_name", "b_industry", "b_established_on")
STAGES = [stage.value for stage in Stage]
CATEGORIES = [category.value for category in Category]
# Rows per input query and per written chunk: a paced job rests between two, so each is a
# short burst of work for the worker and its database process (tens of milliseconds).
READ_CHUNK = 20_000
WRITE_CHUNK = 10_000
CENT = Decimal("0.01")


# ---------------------------------------------------------------------------------------
# 1. Inputs


@dataclass
class RecordColumn:
    """One (qualification indicator, kind) pair the scheme reads: its count and/or sum column."""

    code: str
    kind: str
    count_column: str
    sum_column: str
    counted: bool = False
    summed: bool = False


def record_columns(definition: dict) -> list[RecordColumn]:
    pairs: dict[tuple[str, str], RecordColumn] = {}
    for indicator in definition["indicators"]:
        if indicator["source"] in (Source.RECORD_COUNT, Source.RECORD_SUM):
            pair = (indicator["record_indicator"], indicator["record_kind"])
            if pair not in pairs:
                pairs[pair] = RecordColumn(*pair, f"rc_{len(pairs)}", f"rs_{len(pairs)}")
            if indicator["source"] == Source.RECORD_COUNT:
                pairs[pair].counted = True
            else:
                pairs[pair].summed = True
    return list(pairs.values())


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
    return _typed(frame, columns)


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`frame`'s `columns` (all of them, even when it has none): text as str, the rest float."""
    frame = frame[columns] if len(frame.columns) else pd.DataFrame(columns=columns)
    for name in columns:
        if name in TEXT_COLUMNS:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), "").astype(str)
        else:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _chunks(queryset, key: str, column: str, columns: list[str]):
    """`_frame`s of `queryset`, READ_CHUNK rows each, in the order of its field `key`: each
    query continues after the last key read (column `column` of the frame before), and a
    pacing point follows each one. At least one frame (maybe empty)."""
    page = queryset.order_by(key)
    while True:
        frame = _frame(page[:READ_CHUNK], columns)
        pace()
        yield frame
        if len(frame) < READ_CHUNK:
            return
        last = frame[column].iloc[-1:].tolist()[0]  # a Python int, float or str
        page = queryset.order_by(key).filter(**{f"{key}__gt": last})


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def load_inputs(batch, definition: dict, progress=None) -> pd.DataFrame:
    """One row per enterprise with an approved points filing in `batch`, sorted by credit code.
    `progress(fraction)`, if given, is called as each chunk of filings has been read."""
    from enterprise_business.models import BasicInfo, PointsFiling, QualificationIndicator, QualificationRecord

    fields = list(FILING_FIELDS)
    approved_filings = PointsFiling.objects.filter(batch=batch, approved_at__isnull=False)
    snapshots = approved_filings.filter(approved_snapshot__isnull=False)
    filings = (
        snapshots.order_by()
        .annotate(
            eid=F("enterprise_id"),
            credit_code=F("enterprise__credit_code"),
            account_name=F("enterprise__name"),
            **{f"f_{name}": KT(f"approved_snapshot__{name}") for name in fields},
        )
        .values("eid", "credit_code", "account_name", *(f"f_{name}" for name in fields))
    )
    basic = (
        BasicInfo.objects.filter(approved_at__isnull=False, approved_snapshot__isnull=False)
        .order_by()
        .annotate(
            eid=F("enterprise_id"),
            b_name=KT("approved_snapshot__name"),
            b_industry=KT("approved_snapshot__industry"),
            b_established_on=KT("approved_snapshot__established_on"),
        )
        .values("eid", "b_name", "b_industry", "b_established_on")
    )
    info_columns = ["eid", "b_name", "b_industry", "b_established_on"]
    filing_frames, info_frames = [], []
    expected = max(1, snapshots.count()) if progress else 1
    read = 0
    for chunk in _chunks(filings, "enterprise_id", "eid", ["eid", "credit_code", "account_name",
                                                          *(f"f_{name}" for name in fields)]):
        filing_frames.append(chunk)
        if len(chunk):
            # The basic information of the same enterprises: both ranges are index scans.
            first, last = chunk["eid"].iloc[[0, -1]].tolist()
            span = {"enterprise_id__gte": first, "enterprise_id__lte": last}
            within = approved_filings.filter(**span).values("enterprise_id")
            info_frames.append(_frame(basic.filter(enterprise_id__in=within, **span), info_columns))
            pace()
        read += len(chunk)
        if progress is not None:
            progress(min(1.0, read / expected))
    frame = _concat(filing_frames).rename(columns={f"f_{name}": name for name in fields})
    info = _concat(info_frames) if info_frames else _typed(pd.DataFrame(), info_columns)
    info.columns = ["eid", "name", "industry", "established_on"]
    frame = frame.merge(info, on="eid", how="left")
    for column in ("name", "industry", "established_on"):
        frame[column] = frame[column].fillna("").astype(str)
    # The account's name stands in when the basic information has none.
    frame["name"] = frame["name"].where(frame["name"] != "", frame.pop("account_name"))

    columns = record_columns(definition)
    if columns:
        ids = dict(QualificationIndicator.objects.filter(code__in={c.code for c in columns}).values_list("code", "id"))
        # Only the aggregates the scheme reads: each FILTER is evaluated on every record.
        aggregates = {}
        for column in columns:
            condition = Q(indicator_id=ids.get(column.code, -1))
            if column.kind:
                condition &= Q(kind=column.kind)
            if column.counted:
                aggregates[column.count_column] = Count("pk", filter=condition)
            if column.summed:
                aggregates[column.sum_column] = Sum("amount", filter=condition)
        if ids:
            records = (
                QualificationRecord.objects.filter(batch=batch, in_force=True, indicator_id__in=list(ids.values()))
                .order_by()
                .values("credit_code")
                .annotate(**aggregates)
                .values("credit_code", *aggregates)
            )
            counted = _concat(list(_chunks(records, "credit_code", "credit_code", ["credit_code", *aggregates])))
            frame = frame.merge(counted, on="credit_code", how="left")
        for name in aggregates:
            # No record is a count (or sum) of 0, not a missing value.
            frame[name] = frame[name].fillna(0.0).astype(float) if name in frame else 0.0
    return frame.sort_values("credit_code", kind="mergesort").reset_index(drop=True)


def input_hash(frame: pd.DataFrame, data_year: int) -> str:
    """SHA-256 over the sorted, normalised inputs, so the same inputs stored in any order give
    the same hash. Rows in credit-code order, database ids left out; column by column: its
    name, then text as UTF-8 joined by U+001F, numbers as little-endian int64 in units of
    0.0001 (missing = −2⁶³)."""
    ordered = frame
    if not frame["credit_code"].is_monotonic_increasing:
        ordered = frame.sort_values("credit_code", kind="mergesort")
    digest = hashlib.sha256(f"data_year={data_year};rows={len(ordered)}".encode())
    for column in sorted(c for c in ordered.columns if c != "eid"):
        values = ordered[column]
        digest.update(f"\x1e{column}\x1d".encode())
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            digest.update("\x1f".join(values.astype(str).tolist()).encode())
        else:
            numbers = values.to_numpy(dtype=float)
            scaled = np.where(np.isnan(numbers), 0, np.rint(np.nan_to_num(numbers) * 10_000))
            encoded = np.where(np.isnan(numbers), np.iinfo(np.int64).min, scaled.astype(np.int64))
            digest.update(encoded.astype("<i8").tobytes())
        pace()
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------
# 2. Computation


def source_values(frame: pd.DataFrame, indicator: dict, records: dict[tuple[str, str], RecordColumn]) -> Values:
    """The exact values an indicator reads, one per row of `frame` (see `exact`)."""
    source = indicator["source"]
    if source in (Source.RECORD_COUNT, Source.RECORD_SUM):
        column = records[(indicator["record_indicator"], indicator["record_kind"])]
        name = column.count_column if source == Source.RECORD_COUNT else column.sum_column
        return Values.of_figures(frame[name].to_numpy(dtype=float))
    value = Values.of_figures(frame[indicator["field"]].to_numpy(dtype=float))
    if source == Source.RATIO:
        return exact.ratio(value, Values.of_figures(frame[indicator["denominator_field"]].to_numpy(dtype=float)))
    if source == Source.GROWTH:
        return exact.growth(value, Values.of_figures(frame[indicator["previous_field"]].to_numpy(dtype=float)))
    return value


def add_derived(frame: pd.DataFrame, data_year: int) -> None:
    """age (whole years from 成立日期 to the end of year Y) and degree_count (本科 + 研究生)."""
    year = pd.to_numeric(frame["established_on"].str.slice(0, 4), errors="coerce").to_numpy(dtype=float)
    frame["age"] = np.where(np.isnan(year), np.nan, np.maximum(data_year - year, 0))
    frame["degree_count"] = frame[["bachelor_count", "postgraduate_count"]].sum(axis=1, min_count=1)
    assert set(DERIVED_FIELDS) <= set(frame.columns)


def compute(frame: pd.DataFrame, definition: dict, data_year: int) -> tuple[pd.DataFrame, dict]:
    """Stage, value and points of every indicator, category points, total, ranks and tiers.

    Returns (results, groups). results: one row per enterprise (the input's order, by credit
    code) with columns eid, credit_code, name, industry, stage, v_<code> (the value compared,
    four decimals at most; NaN when missing) and p_<code> (weighted points, two decimals) per
    indicator, b_<code> per percentile indicator (how many enterprises it was compared with
    have a strictly lower value; NaN when missing), c_<category> per category, total, rank,
    percentile, stage_rank, stage_percentile, tier. groups: per percentile indicator and
    stage, whom that stage was compared with (`rules.percentile_points`' `scope`), kept on
    the run for the results page. Adds the derived columns (age, degree_count) to `frame`.

    Points are exact until each indicator's weighted points are rounded once, to cents (half
    away from zero); categories and the total are sums of those cents.
    """
    add_derived(frame, data_year)
    stages = rules.assign_stage(
        frame["age"].to_numpy(dtype=float),
        frame["revenue"].to_numpy(dtype=float),
        float(definition["startup_max_age"]),
        float(definition["startup_max_revenue"]),
        float(definition["mature_min_revenue"]),
    )
    # Stages as 0/1/2 from here on: integer comparisons and group keys, not string ones.
    stage_code = np.select([stages == value for value in STAGES], range(len(STAGES)), 0).astype(np.int64)
    del stages
    groups = rules.Groups(stage_code, int(definition.get("percentile_min_group") or 0))
    records = {(c.code, c.kind): c for c in record_columns(definition)}
    out = {
        "eid": frame["eid"].to_numpy(dtype=np.int64),
        "credit_code": frame["credit_code"].to_numpy(dtype=object),
        "name": frame["name"].to_numpy(dtype=object),
        "industry": frame["industry"].to_numpy(dtype=object),
        "stage": np.array(STAGES, dtype=object)[stage_code],
    }
    compared = {}
    categories = {category: np.zeros(len(frame), dtype=np.int64) for category in CATEGORIES}
    for indicator in definition["indicators"]:
        code = indicator["code"]
        values = source_values(frame, indicator, records)
        points = rules.rule_points(values, groups, indicator)
        weights = exact.weights_of([exact.fraction(indicator[f"weight_{stage}"]) for stage in STAGES], stage_code)
        cents = points.weighted_cents(weights)
        out[f"v_{code}"] = values.floats()
        out[f"p_{code}"] = cents / 100
        if points.below is not None:
            out[f"b_{code}"] = np.where(points.below >= 0, points.below, np.nan)
            compared[code] = {STAGES[stage]: scope for stage, scope in points.scope.items()}
        categories[indicator["category"]] += cents
        pace()
    total = np.zeros(len(frame), dtype=np.int64)
    for category, cents in categories.items():
        out[f"c_{category}"] = cents / 100
        total += cents
    out["total"] = total / 100
    rank, percent = rules.competition_rank(total)
    stage_rank, stage_percent = rules.competition_rank(total, stage_code)
    stage_size = np.bincount(stage_code, minlength=len(STAGES))[stage_code]
    out.update(
        rank=rank,
        percentile=percent,
        stage_rank=stage_rank,
        stage_percentile=stage_percent,
        tier=rules.tiers(stage_rank, stage_size),
    )
    return pd.DataFrame(out), compared


# ---------------------------------------------------------------------------------------
# 3. Results


def _json_number(value: float) -> str:
    """JSON text of a number already exact to four decimals: its shortest repr ("6.6666",
    "4.0", "-10.0"), "null" when missing or not finite."""
    value += 0.0  # no "-0.0"
    return repr(value) if math.isfinite(value) else "null"


def _json_numbers(values: list[float]) -> list[str]:
    """`_json_number` of each value (inlined: it runs once per distinct value of every column)."""
    return [repr(v + 0.0) if math.isfinite(v) else "null" for v in values]


def _texts(values: np.ndarray, render=_json_number) -> np.ndarray:
    """render(value) of each value as an object array, rendering each distinct value once
    (most columns hold few: points, counts, ranks)."""
    codes, uniques = pd.factorize(np.asarray(values), use_na_sentinel=False)
    return np.array([render(value) for value in uniques.tolist()], dtype=object)[codes]


def _indicator_texts(code: str, values, points, prefix: str, suffix: str, below=None) -> np.ndarray:
    """'"code":{"value":V,"points":P}' of each row (with ',"below":B' for a percentile
    indicator). Each distinct V, P and B is rendered once; the pieces are then put together
    once per distinct (V, P, B) — or, when nearly every row's value is distinct (amounts,
    rates), row by row with str.join, which costs less than finding the distinct triples."""
    value_codes, value_uniques = pd.factorize(np.asarray(values), use_na_sentinel=False)
    point_codes, point_uniques = pd.factorize(np.asarray(points), use_na_sentinel=False)
    if below is None:
        below_codes, below_texts = np.zeros(len(value_codes), dtype=np.int64), [""]
    else:
        below_codes, below_uniques = pd.factorize(np.asarray(below), use_na_sentinel=False)
        # Whole counts (NaN for a missing value): rendered as integers.
        below_texts = [f',"below":{int(b)}' if b == b else ',"below":null' for b in below_uniques.tolist()]
    value_texts = _json_numbers(value_uniques.tolist())
    point_texts = _json_numbers(point_uniques.tolist())
    head, middle, tail = f'{prefix}"{code}":{{"value":', ',"points":', f"}}{suffix}"
    if len(value_uniques) > len(value_codes) // 4:
        pieces = (
            itertools.repeat(head),
            np.array(value_texts, dtype=object)[value_codes].tolist(),
            itertools.repeat(middle),
            np.array(point_texts, dtype=object)[point_codes].tolist(),
            np.array(below_texts, dtype=object)[below_codes].tolist(),
            itertools.repeat(tail),
        )
        return np.array(list(map("".join, zip(*pieces, strict=False))), dtype=object)
    widths = (len(point_uniques), len(below_texts))
    key_codes, keys = pd.factorize((value_codes * widths[0] + point_codes) * widths[1] + below_codes)
    # Decode the distinct keys column-wise, then one string per distinct key.
    below_of, rest = np.divmod(keys, widths[1])[::-1]
    value_of, point_of = np.divmod(rest, widths[0])
    texts = [
        f"{head}{value_texts[v]}{middle}{point_texts[p]}{below_texts[b]}{tail}"
        for v, p, b in zip(value_of.tolist(), point_of.tolist(), below_of.tolist(), strict=True)
    ]
    return np.array(texts, dtype=object)[key_codes]


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(texts) -> list[str]:
    """Text for PostgreSQL's COPY text format: backslash, tab and line breaks escaped."""
    return list(map(operator.methodcaller("translate", COPY_ESCAPES), texts))


def result_lines(run_id: int, chunk: pd.DataFrame, definition: dict) -> list[str]:
    """One COPY text line per result, columns as RESULT_COLUMNS; details and category_points
    as JSON text. Every field is rendered column by column, each distinct value once; a line
    is then joins of its fields (map over zip, C-level: no Python code runs per row)."""
    indicators = definition["indicators"]
    used = [c for c in CATEGORIES if any(i["category"] == c for i in indicators)]
    last = len(indicators) - 1
    details = [
        _indicator_texts(
            indicator["code"],
            chunk[f"v_{indicator['code']}"].to_numpy(),
            chunk[f"p_{indicator['code']}"].to_numpy(),
            "{" if n == 0 else "",
            "}" if n == last else "",
            chunk[f"b_{indicator['code']}"].to_numpy() if f"b_{indicator['code']}" in chunk else None,
        )
        for n, indicator in enumerate(indicators)
    ]
    categories = [
        _texts(
            chunk[f"c_{category}"].to_numpy(),
            lambda v, c=category, n=n: (
                f'{"{" if n == 0 else ""}"{c}":{_json_number(v)}{"}" if n == len(used) - 1 else ""}'
            ),
        )
        for n, category in enumerate(used)
    ]
    fields = [
        itertools.repeat(str(run_id)),
        chunk["eid"].astype(np.int64).astype(str).tolist(),
        _copy_text(chunk["credit_code"].tolist()),
        _copy_text(chunk["name"].tolist()),
        _copy_text(chunk["industry"].tolist()),
        chunk["stage"].tolist(),
        _texts(chunk["total"].to_numpy()),
        map(",".join, zip(*categories, strict=True)) if categories else itertools.repeat("{}"),
        map(",".join, zip(*details, strict=True)) if details else itertools.repeat("{}"),
        _texts(chunk["rank"].to_numpy(), str),
        _texts(chunk["percentile"].to_numpy()),
        _texts(chunk["stage_rank"].to_numpy(), str),
        _texts(chunk["stage_percentile"].to_numpy()),
        chunk["tier"].tolist(),
    ]
    return list(map("\t".join, zip(*fields, strict=False)))  # the run id repeats


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


def write_results(run: CalculationRun, results: pd.DataFrame, definition: dict, progress=None) -> None:
    """Replace the run's results: one COPY (text format) on PostgreSQL, bulk_create elsewhere.
    `progress(fraction)`, if given, is called as each chunk is taken to be written.

    On PostgreSQL a producer thread formats WRITE_CHUNK rows at a time (no database access
    there) while this thread streams the previous chunks to the server, so formatting and the
    server's insert run side by side, and at most a few chunks are ever held in memory. A
    paced job formats each chunk when the server has taken the one before and rests in between,
    so that the server rests too.
    """
    EnterpriseResult.objects.filter(run=run).delete()
    chunks = (results.iloc[start : start + WRITE_CHUNK] for start in range(0, len(results), WRITE_CHUNK))
    count, taken = max(1, -(-len(results) // WRITE_CHUNK)), itertools.count(1)

    def written() -> None:
        if progress is not None:
            progress(next(taken) / count)

    if connection.vendor != "postgresql":
        for chunk in chunks:
            written()
            EnterpriseResult.objects.bulk_create(
                [_result_from_line(line) for line in result_lines(run.pk, chunk, definition)], batch_size=2000
            )
        return
    lines = (("\n".join(result_lines(run.pk, chunk, definition)) + "\n").encode() for chunk in chunks)
    reader = _ChunkReader(lines, paced=True, taken=written) if is_paced() else _ProducedChunkReader(lines, written)
    table = EnterpriseResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(RESULT_COLUMNS)}) FROM STDIN", reader, size=1 << 20)


class _ChunkReader(io.RawIOBase):
    """A file-like object over byte chunks, each made when the one before is read (see
    `_next_chunk`); with `paced`, after a pacing point: while the job rests, the server has
    nothing to insert. `taken()`, if given, is called in the reading thread as each chunk is
    taken."""

    def __init__(self, chunks, *, paced: bool = False, taken=None):
        super().__init__()
        self._chunks, self._paced, self._taken = chunks, paced, taken
        self._current = memoryview(b"")
        self._position = 0

    def _next_chunk(self) -> bytes | None:
        if self._paced:
            pace()
        return next(self._chunks, None)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (the rest of the current chunk at most); b"" at the end."""
        while self._position >= len(self._current):
            chunk = self._next_chunk()
            if chunk is None:
                return b""
            if self._taken is not None:
                self._taken()
            self._current, self._position = memoryview(chunk), 0
        end = len(self._current) if size is None or size < 0 else self._position + size
        data = bytes(self._current[self._position : end])
        self._position += len(data)
        return data


class _ProducedChunkReader(_ChunkReader):
    """A `_ChunkReader` whose chunks a producer thread makes ahead (a bounded queue), so that
    making the next chunk and the server's insert of this one run side by side."""

    def __init__(self, chunks, taken=None, depth: int = 3):
        super().__init__(iter(()), taken=taken)
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._done = False
        self._thread = threading.Thread(target=self._produce, args=(chunks,), daemon=True)
        self._thread.start()

    def _produce(self, chunks) -> None:
        try:
            for chunk in chunks:
                self._queue.put(chunk)
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread
            self._error = error
        finally:
            self._queue.put(None)

    def _next_chunk(self) -> bytes | None:
        if self._done:
            return None
        chunk = self._queue.get()
        if chunk is None:
            self._done = True
            if self._error is not None:
                raise self._error
        return chunk


ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
ESCAPED = re.compile(r"\\(.)")


def _result_from_line(line: str) -> EnterpriseResult:
    """The same line as a model instance (databases without COPY; small batches)."""
    fields = dict(zip(RESULT_COLUMNS, line.split("\t"), strict=True))
    for name in ("credit_code", "name", "industry"):
        fields[name] = ESCAPED.sub(lambda match: ESCAPES[match.group(1)], fields[name])
    return EnterpriseResult(
        run_id=int(fields["run_id"]),
        enterprise_id=int(fields["enterprise_id"]),
        credit_code=fields["credit_code"],
        name=fields["name"],
        industry=fields["industry"],
        stage=fields["stage"],
        total=Decimal(fields["total"]).quantize(CENT),
        category_points=json.loads(fields["category_points"]),
        details=json.loads(fields["details"]),
        rank=int(fields["rank"]),
        percentile=Decimal(fields["percentile"]).quantize(CENT),
        stage_rank=int(fields["stage_rank"]),
        stage_percentile=Decimal(fields["stage_percentile"]).quantize(CENT),
        tier=fields["tier"],
    )


# ---------------------------------------------------------------------------------------
# The run


@contextlib.contextmanager
def _input_snapshot():
    """The three input queries in one transaction; on PostgreSQL one REPEATABLE READ snapshot
    (when the run is not already inside a transaction), no JIT (compiling the aggregate's
    expressions cost more than running them), enough work_mem to aggregate in memory and no
    parallel workers."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Parallel plans lose here on a small machine: the 26 aggregates of the partial groups
        # are combined again after the gather; the ordered index scan aggregates in one pass.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def _progress(run: CalculationRun, percent: int, report) -> None:
    run.progress = percent
    CalculationRun.objects.filter(pk=run.pk).update(progress=percent)
    if report is not None:
        report(percent)


def _stage(report, low: int, high: int):
    """`report(percent)` of a fraction of the stage from `low` to `high` percent (None without
    `report`). Only the job's progress: inside the run's transactions the run's row is left
    alone (the job's progress is written by its heartbeat, see portal.core.jobs)."""
    if report is None:
        return None
    return lambda fraction: report(low + int((high - low) * fraction))


class AlreadyCalculated(Exception):
    """Another process finished (or failed) the run while this one was calculating it."""


def calculate(run: CalculationRun, report=None) -> CalculationRun:
    """Calculate `run` (status 计算中) from its batch and its scheme snapshot; never raises.
    `report(percent)`, if given, is called as each stage finishes, and as the inputs are read
    and the results written (a job's progress).

    On success the run is 待发布 with its results, input hash and enterprise count; on any
    error it is 计算失败 with the message and keeps no results. The results and the new status
    commit together, under a lock on the run that is taken only while it is still 计算中: a
    worker killed mid-way leaves no result, and two processes calculating the same run (a
    worker thought dead, and the one that took over) write its results once.
    """
    started = time.monotonic()
    definition = run.scheme_snapshot
    try:
        _progress(run, 5, report)
        with _input_snapshot():
            frame = load_inputs(run.batch, definition, progress=_stage(report, 5, 40))
        _progress(run, 40, report)
        digest = input_hash(frame, run.batch.data_year)
        results, compared = compute(frame, definition, run.batch.data_year)
        del frame  # the inputs are no longer needed while the results are written
        _progress(run, 70, report)
        with transaction.atomic():
            if not CalculationRun.objects.select_for_update().filter(
                    pk=run.pk, status=CalculationRun.Status.RUNNING).exists():
                raise AlreadyCalculated
            write_results(run, results, definition, progress=_stage(report, 70, 99))
            run.input_hash = digest
            run.enterprise_count = len(results)
            run.percentile_groups = compared
            run.status = CalculationRun.Status.CALCULATED
            run.progress = 100
            run.finished_at = timezone.now()
            run.error = ""
            run.save(
                update_fields=[
                    "input_hash",
                    "enterprise_count",
                    "percentile_groups",
                    "status",
                    "progress",
                    "finished_at",
                    "error",
                ]
            )
    except AlreadyCalculated:
        logger.warning("scoring run %s was finished by another process; this calculation is dropped", run.pk)
        run.refresh_from_db()
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the run, not lost
        logger.exception("scoring run %s failed", run.pk)
        run.status = CalculationRun.Status.FAILED
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.finished_at = timezone.now()
        CalculationRun.objects.filter(pk=run.pk, status=CalculationRun.Status.RUNNING).update(
            status=run.status, error=run.error, finished_at=run.finished_at)
    else:
        logger.info(
            "scoring run %s: %s enterprises in %.1f s", run.pk, run.enterprise_count, time.monotonic() - started
        )
    return run

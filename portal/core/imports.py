"""Loading staff spreadsheets (CSV or XLSX) into a table: every row validated, nothing
written if any row is wrong, a row-numbered report of the errors, and a summary of what was
added, changed and left alone. Each import (registry, Torch statistics, department records)
declares its columns and its key; the reading, checking and writing are written once here.

Every import runs as a job on the workers (`enqueue_import`, the "imports.table" job): the file
is kept in the private storage, the rows are checked with the job's progress, and the rows
are written in the same transaction that marks the job done with its report, so a worker
killed in the middle writes nothing and the job taken over writes the file once."""

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils.module_loading import import_string

from .jobs import register
from .text import clean_text

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 500
JOB_KIND = "imports.table"


def parse_text(value, *, max_length: int | None = None) -> str:
    """A text cell, cleaned (`portal.core.text.clean_text`). Raises ValidationError when it
    is longer than `max_length` characters (the column's length in the table)."""
    text = clean_text(value)
    if max_length is not None and len(text) > max_length:
        raise ValidationError(f"不能超过{max_length}个字符（现有{len(text)}个）")
    return text


NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?$|^[+-]?\.\d+$")


def _number(value) -> Decimal:
    """A cell as a finite Decimal: XLSX numbers (float noise beyond 15 significant digits
    dropped) or text with optional thousands separators and full-width digits."""
    if isinstance(value, bool):
        raise ValidationError(f"“{value}”不是有效的数字")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError("不是有限的数字（不能为无穷大或NaN）")
        return Decimal(format(value, ".15g"))
    if isinstance(value, int):
        return Decimal(value)
    text = clean_text(value).replace(" ", "")
    if not NUMBER_RE.match(text):
        if text.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity", "∞"):
            raise ValidationError("不是有限的数字（不能为无穷大或NaN）")
        raise ValidationError(f"“{clean_text(value)[:30]}”不是有效的数字")
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"“{text[:30]}”不是有效的数字") from None
    if number.adjusted() > 40:  # beyond any column; arithmetic on it could overflow the context
        raise ValidationError("数值过大")
    return number


def parse_decimal(value, *, max_digits: int = 14, decimal_places: int = 2, negative: bool = False) -> Decimal:
    """An amount (a cell as read: text, int or float) as a Decimal with `decimal_places`
    decimals, e.g. "1,234.5" or "１２３４.５" → Decimal("1234.50").

    Raises ValidationError (Chinese, without the column name) when the cell is not a number,
    is NaN or infinite, is negative and `negative` is false, has more than `decimal_places`
    decimals, or more than `max_digits - decimal_places` digits before the point (what a
    DecimalField(max_digits, decimal_places) can hold).
    """
    number = _number(value)
    if number < 0 and not negative:
        raise ValidationError("不能为负数")
    whole_digits = max_digits - decimal_places
    if abs(number) >= Decimal(10) ** whole_digits:
        raise ValidationError(f"数值过大（整数部分最多{whole_digits}位）")
    if _decimals(number) > decimal_places:
        raise ValidationError(f"最多{decimal_places}位小数")
    return number.quantize(Decimal(1).scaleb(-decimal_places))


def _decimals(number: Decimal) -> int:
    """How many decimals `number` really has (trailing zeros do not count)."""
    _, digits, exponent = number.as_tuple()
    while exponent < 0 and digits and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return max(0, -exponent)


def parse_integer(value, *, minimum: int = 0, maximum: int = 10**12 - 1) -> int:
    """A whole number (text such as "1,200" or "１２", or an XLSX number such as 12.0).
    Raises ValidationError when it is not a whole number or lies outside [minimum, maximum]."""
    number = _number(value)
    if _decimals(number):
        raise ValidationError(f"“{clean_text(value)[:30]}”不是整数")
    if number < minimum:
        raise ValidationError("不能为负数" if minimum == 0 else f"不能小于{minimum}")
    if number > maximum:
        raise ValidationError(f"不能大于{maximum}")
    return int(number)


DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value) -> date:
    """A date as Chinese spreadsheets write it: an XLSX date cell, or text such as
    2023-05-01, 2023/5/1, 2023-5-1, 2023.5.1, 2023年5月1日, 20230501 (a time after it is
    ignored). Raises ValidationError for anything else, a day that does not exist, or a year
    outside 1900–2100."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    try:
        if not match:
            raise ValueError
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(f"“{text[:30]}”不是有效的日期（如2023-05-01、2023/5/1或2023年5月1日）") from None
    if not 1900 <= day.year <= 2100:
        raise ValidationError("日期的年份应在1900至2100之间")
    return day


@dataclass(frozen=True)
class Column:
    """One column of an import: the model field it fills, its header in the file, its parser
    and the parser's keyword options. `TableImport` fills the length and digit limits of
    `parse_text` and `parse_decimal` from the model field of the same name."""

    field: str
    header: str
    parse: Callable[..., object] = parse_text
    required: bool = True
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FormulaCell:
    """An XLSX formula cell whose value the file does not hold (saved by a program that does
    not calculate, e.g. a generator script or some online editors)."""

    formula: str


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def ok(self):
        return not self.errors

    def report(self) -> dict:
        return {"ok": self.ok, "errors": self.errors, "added": self.added, "changed": self.changed,
                "unchanged": self.unchanged}


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
    except Exception:
        raise ValidationError("无法读取该XLSX文件，请确认文件未损坏。") from None
    rows = []
    for value_row, formula_row in zip(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True),
                                      strict=False):
        row = []
        for position, value in enumerate(value_row):
            formula = formula_row[position] if position < len(formula_row) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                row.append(FormulaCell(formula))
            else:
                row.append("" if value is None else value)
        rows.append(row)
    return rows


def read_table(upload) -> list[list]:
    """The rows of a CSV (UTF-8 or GBK) or XLSX file, header first, cells as read (XLSX
    numbers and dates keep their type; a formula without a saved value is a FormulaCell).
    Raises ValidationError for a file over 20 MB, an unreadable file or another type."""
    if upload.size > MAX_BYTES:
        raise ValidationError("文件不能超过20M。")
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    data = upload.read()
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
            except UnicodeDecodeError:
                continue
            except csv.Error:
                raise ValidationError("无法解析该CSV文件，请用Excel或WPS另存为CSV后重试。") from None
        raise ValidationError("无法识别CSV文件的编码，请使用UTF-8或GBK编码保存。")
    raise ValidationError("只能导入CSV或XLSX文件。")


def _is_blank(cell) -> bool:
    return not isinstance(cell, FormulaCell) and clean_text(cell) == ""


def field_options(model, column: Column) -> dict:
    """The parser options a model field implies: max_length for text, max_digits and
    decimal_places for amounts; the column's own options win."""
    try:
        model_field = model._meta.get_field(column.field) if model is not None else None
    except FieldDoesNotExist:
        model_field = None
    implied = {}
    if column.parse is parse_text and isinstance(model_field, models.CharField) and model_field.max_length:
        implied = {"max_length": model_field.max_length}
    elif column.parse is parse_decimal and isinstance(model_field, models.DecimalField):
        implied = {"max_digits": model_field.max_digits, "decimal_places": model_field.decimal_places}
    return {**implied, **column.options}


class TableImport:
    model = None
    key: tuple[str, ...] = ()  # the fields that identify a row, e.g. ("credit_code", "year")
    columns: tuple[Column, ...] = ()

    @classmethod
    def from_params(cls, **params):
        """The importer a job makes from the JSON `params` its view enqueued (`job_params`)."""
        return cls()

    def job_params(self) -> dict:
        return {}

    def clean_row(self, values: dict) -> dict:
        """Checks across columns of one row; raise ValidationError to refuse it."""
        return values

    def run(self, upload, progress=None) -> ImportResult:
        """Check every row (`progress(done, total)` as it goes), then write them all or nothing."""
        result = ImportResult()
        try:
            rows = read_table(upload)
        except ValidationError as error:
            result.errors.append((0, error.messages[0]))
            return result
        cleaned = self._validate(rows, result, progress)
        if result.ok:
            self._write(cleaned, result)
        return result

    def _validate(self, rows, result, progress=None) -> list[dict]:
        if not rows:
            result.errors.append((0, "文件是空的。"))
            return []
        headers = [clean_text(h) for h in rows[0]]
        missing = [c.header for c in self.columns if clean_text(c.header) not in headers]
        if missing:
            result.errors.append((1, f"缺少列：{'、'.join(missing)}"))
            return []
        if len(rows) - 1 > MAX_ROWS:
            result.errors.append((0, f"一次最多导入{MAX_ROWS}行。"))
            return []
        positions = {c.header: headers.index(clean_text(c.header)) for c in self.columns}
        options = {c.header: field_options(self.model, c) for c in self.columns}
        cleaned, seen = [], {}
        for number, row in enumerate(rows[1:], start=2):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number - 1, len(rows) - 1)
            if all(_is_blank(cell) for cell in row):
                continue
            values, row_errors = {}, []
            for column in self.columns:
                raw = row[positions[column.header]] if positions[column.header] < len(row) else ""
                if isinstance(raw, FormulaCell):
                    row_errors.append(f"“{column.header}”是公式（{raw.formula[:40]}），文件中没有保存它的计算结果，"
                                      "请用Excel或WPS打开后保存，或粘贴为数值后再导入")
                    continue
                if _is_blank(raw):
                    if column.required:
                        row_errors.append(f"“{column.header}”不能为空")
                    values[column.field] = ""
                    continue
                try:
                    values[column.field] = column.parse(raw, **options[column.header])
                except ValidationError as error:
                    row_errors.append(f"“{column.header}”{error.messages[0]}")
            if not row_errors:
                try:
                    values = self.clean_row(values)
                except ValidationError as error:
                    row_errors.extend(error.messages)
            key = tuple(values.get(name) for name in self.key)
            if not row_errors and key in seen:
                row_errors.append(f"与第{seen[key]}行重复")
            if row_errors:
                result.errors.append((number, "；".join(row_errors)))
            else:
                seen[key] = number
                cleaned.append(values)
        return cleaned

    def existing(self, cleaned):
        """The rows already in the table that the file may change."""
        first = self.key[0]
        return self.model.objects.filter(**{f"{first}__in": {row[first] for row in cleaned}})

    def snapshot(self, obj):
        """How a row is remembered in the change log before it is changed; None keeps no log."""
        return None

    def written(self, obj, before):
        """Called after each added (before is None) or changed row; imports that log changes override it."""

    @transaction.atomic
    def _write(self, cleaned, result):
        existing = {tuple(getattr(obj, name) for name in self.key): obj for obj in self.existing(cleaned)}
        for values in cleaned:
            obj = existing.get(tuple(values[name] for name in self.key))
            if obj is None:
                obj = self.model.objects.create(**values)
                self.written(obj, None)
                result.added += 1
            elif any(getattr(obj, name) != value for name, value in values.items()):
                before = self.snapshot(obj)
                for name, value in values.items():
                    setattr(obj, name, value)
                obj.save()
                self.written(obj, before)
                result.changed += 1
            else:
                result.unchanged += 1


def enqueue_import(request, importer: TableImport, upload, title: str):
    """Hand `upload` to the workers for `importer` and answer with the job's page."""
    from .jobs.admin import start

    cls = type(importer)
    return start(request, JOB_KIND, title, upload=upload,
                 params={"importer": f"{cls.__module__}.{cls.__qualname__}", "params": importer.job_params()})


@register(JOB_KIND, "数据导入", result_template="core/admin/_import_result.html")
def import_job(context) -> dict:
    importer = import_string(context.params["importer"]).from_params(**context.params["params"])
    with context.open_input() as stored:
        upload = File(stored, name=context.job.input_name)
        with transaction.atomic():
            result = importer.run(upload, progress=lambda done, total: context.progress(done, total))
            report = result.report()
            if not context.complete(report):
                raise RuntimeError("另一个工作进程已接手该任务")
    return report

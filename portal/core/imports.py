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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.module_loading import import_string

from .jobs import register

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 500
JOB_KIND = "imports.table"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    parse: Callable[[str], object] = str
    required: bool = True


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


def parse_decimal(value: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(f"“{value}”不是有效的数字") from None
    if number < 0:
        raise ValidationError("不能为负数")
    return number.quantize(Decimal("0.01"))


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"“{value}”不是有效的日期（应为YYYY-MM-DD）") from None


def read_table(upload) -> list[list]:
    """The rows of a CSV (UTF-8 or GBK) or XLSX file, header first, cells as read."""
    if upload.size > MAX_BYTES:
        raise ValidationError("文件不能超过20M。")
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    data = upload.read()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:
            raise ValidationError("无法读取该XLSX文件，请确认文件未损坏。") from None
        return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return list(csv.reader(io.StringIO(data.decode(encoding))))
            except UnicodeDecodeError:
                continue
        raise ValidationError("无法识别CSV文件的编码，请使用UTF-8或GBK编码保存。")
    raise ValidationError("只能导入CSV或XLSX文件。")


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
        headers = [str(h).strip() for h in rows[0]]
        missing = [c.header for c in self.columns if c.header not in headers]
        if missing:
            result.errors.append((1, f"缺少列：{'、'.join(missing)}"))
            return []
        if len(rows) - 1 > MAX_ROWS:
            result.errors.append((0, f"一次最多导入{MAX_ROWS}行。"))
            return []
        positions = {c.header: headers.index(c.header) for c in self.columns}
        cleaned, seen = [], {}
        for number, row in enumerate(rows[1:], start=2):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number - 1, len(rows) - 1)
            if not any(str(cell).strip() for cell in row):
                continue
            values, row_errors = {}, []
            for column in self.columns:
                raw = row[positions[column.header]] if positions[column.header] < len(row) else ""
                text = raw.strip() if isinstance(raw, str) else raw
                if text in ("", None):
                    if column.required:
                        row_errors.append(f"“{column.header}”不能为空")
                    values[column.field] = ""
                    continue
                try:
                    values[column.field] = column.parse(text)
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

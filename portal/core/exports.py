"""Every CSV and XLSX the platform writes goes through here: Wagtail's `list_export` screens
(installed into its SpreadsheetExportMixin by `install()`, from the kernel's AppConfig.ready)
and the project's own workbooks (`safe_cell`, `attachment`).

- A text cell that a spreadsheet would run as a formula (starting with = + - @ | %, e.g.
  ``=HYPERLINK("http://evil.example","审计")`` typed as a login name) is neutralised with a
  leading apostrophe — the rule and, for CSV, the writer of defusedcsv.
- Characters an XLSX cannot hold (C0 controls such as the vertical tab pasted from Word,
  which made openpyxl raise IllegalCharacterError) and other control or format characters are
  dropped (`portal.core.text.clean_text`, keeping line breaks).
- CSV is UTF-8 with a BOM and ``charset=utf-8`` so that Chinese Excel opens it correctly.
- File names are sent as RFC 6266 ``filename*=UTF-8''…`` with an ASCII ``filename=`` fallback.
"""

import csv
import datetime
import re
import tempfile
from io import BytesIO
from numbers import Number
from urllib.parse import quote

from defusedcsv import csv as defused_csv
from django.http import FileResponse, StreamingHttpResponse

from .text import strip_controls

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
# defusedcsv's starts, and a leading tab (OWASP: some spreadsheets skip it, then run the rest).
FORMULA_STARTS = ("=", "+", "-", "@", "|", "%", "\t")
PLAIN_NUMBER = re.compile(r"^-?[0-9,.]+$")


def neutralise(text: str) -> str:
    """`text` as a cell no spreadsheet runs as a formula, by the rule of defusedcsv (whose
    writer writes every CSV here, so both formats agree; a test holds them together): a text
    starting with = + - @ | % (or a tab) gets a leading apostrophe and its | are escaped, except plain
    numbers such as -12.5."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        return "'" + text.replace("|", "\\|")
    return text


def safe_cell(value):
    """One exported cell: numbers, dates, booleans and None unchanged; anything else as text
    without the characters an XLSX cannot hold (`strip_controls`: controls, format and
    private-use characters; line breaks and tabs kept), neutralised. Never raises."""
    if value is None or isinstance(value, Number | datetime.date | datetime.time):
        return value
    return neutralise(strip_controls(str(value)))


def attachment(filename: str) -> str:
    """A Content-Disposition header value (RFC 6266/5987) for downloading `filename`:
    ``attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded UTF-8>``.
    The fallback keeps the ASCII letters, digits, dots, dashes and underscores of the name
    (``export`` plus the extension when nothing is left)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    fallback = "".join(char for char in stem if char.isascii() and (char.isalnum() or char in "-_."))
    fallback = f"{fallback or 'export'}{'.' + extension if extension and extension.isascii() else ''}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class _Echo:
    def write(self, value):
        return value


class SafeSpreadsheetExport:
    """The methods that replace those of Wagtail's SpreadsheetExportMixin (see `install`)."""

    def preprocess_field_value(self, field, value, export_format):
        preprocess = self.get_preprocess_function(field, value, export_format)
        return safe_cell(preprocess(value) if preprocess is not None else value)

    def stream_csv(self, queryset):
        writer = defused_csv.DictWriter(_Echo(), fieldnames=self.list_export, quoting=csv.QUOTE_MINIMAL)
        yield BOM + writer.writerow({field: safe_cell(self.get_heading(queryset, field)) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type=CSV_TYPE)
        response["Content-Disposition"] = attachment(f"{self.get_filename()}.csv")
        return response

    def write_xlsx_response(self, queryset):
        output = BytesIO()
        self.write_xlsx(queryset, output)
        output.seek(0)
        response = FileResponse(output, content_type=XLSX_TYPE)
        response["Content-Disposition"] = attachment(f"{self.get_filename()}.xlsx")
        return response


def install():
    """Make every Wagtail list export (ModelViewSet, SnippetViewSet, reports, form
    submissions) use the safe methods above; called once from CoreConfig.ready()."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    for name in ("preprocess_field_value", "stream_csv", "write_csv_response", "write_xlsx_response"):
        setattr(SpreadsheetExportMixin, name, getattr(SafeSpreadsheetExport, name))


def xlsx_download(workbook_writer, filename: str) -> FileResponse:
    """A FileResponse for an XLSX built by `workbook_writer(target)` (a callable writing the
    workbook into the binary file it is given), sent under `filename` (see `attachment`)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook_writer(target)
    target.seek(0)
    response = FileResponse(target, content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response

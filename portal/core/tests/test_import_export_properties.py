"""Properties of the kernel's import and export layers: no text or number given to a parser
raises anything but a clean ValidationError (and what passes fits its column); no cell an
exporter writes starts a formula or holds a character XLSX refuses, and the CSV and XLSX
rules agree."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.core import exports
from portal.core.imports import parse_date, parse_decimal, parse_integer, parse_text, read_table
from portal.core.text import clean_text

CELLS = st.one_of(
    st.text(),
    st.text(alphabet="0123456789,.-+eE ％，．０１２３４５６７８９年月日/\u200b\x0b"),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["NaN", "-Infinity", "sNaN", "1e30", "1e-999999999", "1e999999999", "∞", "=1+1"]),
)


def refused_cleanly(parse, value, **options):
    try:
        return parse(value, **options)
    except ValidationError as error:
        assert error.messages and all(message for message in error.messages)
        return None


@settings(deadline=None, max_examples=300)
@given(CELLS)
def test_an_amount_parser_raises_only_validation_errors_and_what_passes_fits_the_column(value):
    number = refused_cleanly(parse_decimal, value, max_digits=14, decimal_places=2)
    if number is not None:
        assert number.is_finite() and Decimal(0) <= number < Decimal(10) ** 12
        assert number == number.quantize(Decimal("0.01")) and -number.as_tuple().exponent == 2


@settings(deadline=None, max_examples=300)
@given(CELLS)
def test_integer_date_and_text_parsers_raise_only_validation_errors(value):
    integer = refused_cleanly(parse_integer, value, minimum=2000, maximum=2100)
    assert integer is None or 2000 <= integer <= 2100
    day = refused_cleanly(parse_date, value)
    assert day is None or (isinstance(day, date) and 1900 <= day.year <= 2100)
    text = refused_cleanly(parse_text, value, max_length=20)
    assert text is None or (len(text) <= 20 and text == clean_text(text))


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=300), st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_any_uploaded_bytes_are_read_or_refused_cleanly(data, name):
    refused_cleanly(read_table, ContentFile(data, name=name))


@settings(deadline=None, max_examples=100)
@given(st.lists(st.lists(CELLS, max_size=4), max_size=4))
def test_any_csv_of_any_cells_is_read_or_refused_cleanly(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    refused_cleanly(read_table, ContentFile(buffer.getvalue().encode(), name="a.csv"))


def starts_a_formula(cell):
    return isinstance(cell, str) and cell.startswith(exports.FORMULA_STARTS) and not exports.PLAIN_NUMBER.match(cell)


@settings(deadline=None, max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet="=+-@|%\t\r\n\x0b\x00'\"HYPERLINK(A1)0123.,"), st.integers(),
                 st.floats(), st.none(), st.dates()))
def test_an_exported_cell_never_starts_a_formula_nor_holds_what_xlsx_refuses(value):
    cell = exports.safe_cell(value)
    if isinstance(value, str):
        assert not starts_a_formula(cell)
        assert not ILLEGAL_CHARACTERS_RE.search(cell)
        Workbook().active.append([cell])  # openpyxl raises IllegalCharacterError for what XLSX cannot hold
    else:
        assert cell is value


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_the_csv_writer_and_the_xlsx_rule_agree(value):
    """defusedcsv's writer leaves what `safe_cell` already neutralised as it is."""
    cell = exports.safe_cell(value)
    buffer = io.StringIO()
    exports.defused_csv.writer(buffer).writerow([cell])
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [cell]


def test_attachment_header_has_an_ascii_fallback_and_the_utf8_name():
    assert exports.attachment("企业注册.csv") == (
        "attachment; filename=\"export.csv\"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E6%B3%A8%E5%86%8C.csv")
    assert exports.attachment("2025年 results.xlsx").startswith('attachment; filename="2025results.xlsx";')


@pytest.mark.parametrize("pasted, single_line, multi_line", [
    ("王\x0b五", "王五", "王\n五"),
    ("Wang\x0bWu", "Wang Wu", "Wang\nWu"),
    ("\u200b大连\u200e高新区\u202e ", "大连高新区", "大连高新区"),
    ("a\r\nb\tc\x00d", "a b cd", "a\nb cd"),
])
def test_clean_text_drops_controls_and_keeps_what_was_meant(pasted, single_line, multi_line):
    assert clean_text(pasted) == single_line
    assert clean_text(pasted, multiline=True) == multi_line

"""The spreadsheets of ../shared/cases/ (copied to tests/cases/) through the staff import
pages, and the other members of each kind: non-finite and oversized amounts are refused
with a row-numbered, column-named message and nothing saved; dates in the forms Chinese
spreadsheets write are accepted; an XLSX formula without a saved value is named as such."""

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from enterprise_business.imports.registry import RegistryImport
from enterprise_business.imports.torch import TorchImport
from enterprise_business.models import RegistryRecord, TorchRecord
from enterprise_business.tests.factories import make_staff

pytestmark = pytest.mark.django_db

CASES = Path(__file__).resolve().parents[3] / "tests" / "cases"
TORCH_HEADER = (CASES / "torch_amount_nan.csv").read_text(encoding="utf-8").splitlines()[0]
REGISTRY_HEADER, REGISTRY_ROW = (CASES / "registry_date_2023-5-1.csv").read_text(encoding="utf-8").splitlines()


def case_file(name):
    return ContentFile((CASES / name).read_bytes(), name=name)


def torch_csv(amount):
    return ContentFile(f"{TORCH_HEADER}\n91210231MA0QX7LK1Q,2025,100,120,{amount},500,20,3\n".encode(), name="t.csv")


@pytest.mark.parametrize("name", ["torch_amount_nan.csv", "torch_amount_inf.csv", "torch_amount_1e30.csv"])
def test_case_files_of_non_finite_or_huge_amounts_are_refused_in_the_admin_with_row_and_column(client, post_job, name):
    client.force_login(make_staff("importer", superuser=True))
    html = post_job("/admin/torch/import/", {"file": case_file(name)}).content.decode()
    assert "未导入任何数据" in html and "第2行" in html and "“研发费用（万元）”" in html
    assert not TorchRecord.objects.exists()


@pytest.mark.parametrize("amount, message", [
    ("nan", "不是有限的数字"), ("-Infinity", "不是有限的数字"), ("inf", "不是有限的数字"), ("sNaN", "不是有限的数字"),
    ("1e30", "数值过大"), ("1000000000000", "数值过大"), ("12.345", "最多2位小数"), ("-5", "不能为负数"),
    ('"12,34"', "不是有效的数字"), ("=A1*2", "不是有效的数字"),
])
def test_every_amount_a_column_cannot_hold_is_refused_with_its_reason(amount, message):
    result = TorchImport().run(torch_csv(amount))
    assert len(result.errors) == 1
    number, text = result.errors[0]
    assert number == 2 and text.startswith("“研发费用（万元）”") and message in text
    assert not TorchRecord.objects.exists()


@pytest.mark.parametrize("amount, stored", [
    ('"1,234.5"', "1234.50"), ("１２３４．５", "1234.50"), ('"1,234,567.89"', "1234567.89"), (" 80 ", "80.00"),
    ("999999999999.99", "999999999999.99"),
])
def test_amounts_with_thousands_separators_or_full_width_digits_are_accepted(amount, stored):
    assert TorchImport().run(torch_csv(amount)).ok
    assert str(TorchRecord.objects.get().rd_expense) == stored


def test_case_file_registry_date_2023_5_1_is_accepted_as_the_first_of_may(client, post_job):
    client.force_login(make_staff("importer", superuser=True))
    html = post_job("/admin/registry/import/", {"file": case_file("registry_date_2023-5-1.csv")}).content.decode()
    assert "新增 1 条" in html
    assert RegistryRecord.objects.get().established_on == date(2023, 5, 1)


@pytest.mark.parametrize("written", ["2023/5/1", "2023-5-1", "2023.5.1", "2023年5月1日", "2023年05月01日", "20230501",
                                     "2023-05-01", "2023/05/01 00:00:00", "２０２３/５/１"])
def test_every_way_a_chinese_spreadsheet_writes_a_date_is_accepted(written):
    row = REGISTRY_ROW.replace("2023/5/1", written)
    result = RegistryImport().run(ContentFile(f"{REGISTRY_HEADER}\n{row}\n".encode(), name="r.csv"))
    assert result.ok, result.errors
    assert RegistryRecord.objects.get().established_on == date(2023, 5, 1)


def test_cells_are_cleaned_before_they_are_stored():
    row = REGISTRY_ROW.replace("大连示例科技有限公司", "\u200b大连示例\u200e科技有限公司\x0b ")
    row = row.replace("张三", "张\x00三")
    assert RegistryImport().run(ContentFile(f"{REGISTRY_HEADER}\n{row}\n".encode(), name="r.csv")).ok
    record = RegistryRecord.objects.get()
    assert (record.name, record.legal_representative) == ("大连示例科技有限公司", "张三")


def test_text_longer_than_its_column_is_refused_not_cut_or_a_database_error():
    row = REGISTRY_ROW.replace("张三", "张" * 500)
    result = RegistryImport().run(ContentFile(f"{REGISTRY_HEADER}\n{row}\n".encode(), name="r.csv"))
    assert result.errors and result.errors[0][0] == 2 and "“法定代表人”不能超过" in result.errors[0][1]


def xlsx(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return ContentFile(buffer.getvalue(), name="t.xlsx")


def test_xlsx_numbers_dates_and_a_formula_without_saved_value():
    header = TORCH_HEADER.split(",")
    good = xlsx(header, ["91210231MA0QX7LK1Q", 2025.0, 100, 120.5, 0.1 + 0.2, 500, 20, 3])
    assert TorchImport().run(good).ok
    assert TorchRecord.objects.get().rd_expense == Decimal("0.30")
    formula = TorchImport().run(xlsx(header, ["91210231MA0QX7LK1Q", 2025, 100, 120, "=B2*2", 500, 20, 3]))
    assert formula.errors[0][0] == 2
    message = formula.errors[0][1]
    assert "“研发费用（万元）”是公式（=B2*2）" in message and "没有保存它的计算结果" in message
    registry = xlsx(REGISTRY_HEADER.split(","), [*REGISTRY_ROW.split(",")[:4], datetime(2023, 5, 1, 0, 0),
                                                  *REGISTRY_ROW.split(",")[5:]])
    assert RegistryImport().run(registry).ok
    assert RegistryRecord.objects.get().established_on == date(2023, 5, 1)

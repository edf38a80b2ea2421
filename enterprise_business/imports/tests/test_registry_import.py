import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from enterprise_business.imports.registry import RegistryImport, lookup
from enterprise_business.models import RegistryRecord
from enterprise_business.tests.factories import make_reviewer, make_staff
from enterprise_business.tests.helpers import credit_code

pytestmark = pytest.mark.django_db

HEADER = "统一社会信用代码,企业名称,法定代表人,注册资本（万元）,成立日期,注册地址,企业类型,经营范围,登记状态"
CODE_A = credit_code("91210231MA0QX7LK1")
CODE_B = credit_code("91210231MA0R2H8T6")


def csv_file(*rows, encoding="utf-8-sig"):
    return ContentFile("\n".join([HEADER, *rows]).encode(encoding), name="registry.csv")


def row(code, name="大连甲科技有限公司", capital="500", established="2015-03-01"):
    return f"{code},{name},李四,{capital},{established},大连市高新区火炬路1号,有限责任公司,软件开发,存续"


def test_a_good_file_is_loaded_and_summarised():
    result = RegistryImport().run(csv_file(row(CODE_A), row(CODE_B, "大连乙有限公司")))
    assert result.ok and (result.added, result.changed, result.unchanged) == (2, 0, 0)
    again = RegistryImport().run(csv_file(row(CODE_A, "大连甲科技股份有限公司"), row(CODE_B, "大连乙有限公司")))
    assert (again.added, again.changed, again.unchanged) == (0, 1, 1)
    facts = lookup(CODE_A)
    assert facts.name == "大连甲科技股份有限公司" and str(facts.registered_capital) == "500.00"


def test_one_bad_row_refuses_the_whole_file_with_row_numbers():
    result = RegistryImport().run(csv_file(row(CODE_A), row("91350100M000100Y42"), row(CODE_B, capital="-1"),
                                           row(credit_code("91210231MA0T9Y3C2"), established="2015-13-01")))
    assert not result.ok
    numbers = [number for number, _ in result.errors]
    assert numbers == [3, 4, 5]
    assert "校验位" in result.errors[0][1] and "负数" in result.errors[1][1] and "日期" in result.errors[2][1]
    assert not RegistryRecord.objects.exists()


def test_missing_columns_empty_cells_and_duplicates_are_reported():
    missing = RegistryImport().run(ContentFile("统一社会信用代码,企业名称\n".encode(), name="r.csv"))
    assert missing.errors[0][0] == 1 and "缺少列" in missing.errors[0][1]
    empty = RegistryImport().run(csv_file(f"{CODE_A},,李四,500,2015-03-01,地址,类型,范围,存续"))
    assert "“企业名称”不能为空" in empty.errors[0][1]
    duplicate = RegistryImport().run(csv_file(row(CODE_A), row(CODE_A.lower())))
    assert duplicate.errors == [(3, "与第2行重复")]


def test_gbk_csv_and_xlsx_are_read():
    assert RegistryImport().run(csv_file(row(CODE_A), encoding="gbk")).added == 1
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    from datetime import date

    sheet.append([CODE_B, "大连乙有限公司", "王五", 800, date(2018, 6, 1), "地址", "有限责任公司", "研发", "存续"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = RegistryImport().run(ContentFile(buffer.getvalue(), name="registry.xlsx"))
    assert result.ok and result.added == 1
    assert str(RegistryRecord.objects.get(credit_code=CODE_B).established_on) == "2018-06-01"


def test_other_file_types_are_refused():
    result = RegistryImport().run(ContentFile(b"%PDF-1.4", name="registry.pdf"))
    assert result.errors == [(0, "只能导入CSV或XLSX文件。")]


def test_the_admin_import_page_reports_and_is_staff_only(client, post_job):
    client.force_login(make_reviewer())
    page = client.get("/admin/registry/import/")
    assert page.status_code == 200 and "统一社会信用代码" in page.content.decode()
    html = post_job("/admin/registry/import/", {"file": csv_file(row(CODE_A), row("bad"))}).content.decode()
    assert "未导入任何数据" in html and "第3行" in html
    ok = post_job("/admin/registry/import/", {"file": csv_file(row(CODE_A))}).content.decode()
    assert "新增 1 条" in ok
    client.force_login(make_staff("ed", "内容编辑"))
    assert client.get("/admin/registry/import/").status_code in (302, 403)

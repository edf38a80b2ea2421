"""The typed-text cases of ../shared/cases/ (copied to tests/cases/), as a person meets them:
a formula typed as 联系人 or as a login name reaches the staff exports neutralised; a name
pasted from Word with a vertical tab is stored without it and the XLSX export works; a mobile
number written with dashes, brackets or a country prefix is accepted on registration and
password reset and stored as 11 digits; every CSV export opens in Chinese Excel."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from enterprise_business.models import Enterprise
from enterprise_business.tests.factories import make_enterprise, make_staff
from enterprise_business.tests.helpers import licence_upload, send_code, sms_code_from_outbox, solve_slider

pytestmark = pytest.mark.django_db

CASES = Path(__file__).resolve().parents[3] / "tests" / "cases"


def case_fields(name):
    """The name=value lines of a case file (values as written, \\x0b escapes decoded)."""
    fields = {}
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\w+)=(.*?)(?:\s{2,}\(.*)?$", line)
        if match:
            fields[match.group(1)] = match.group(2).encode().decode("unicode_escape").encode("latin-1").decode()
    return fields


def register(client, **fields):
    phone = fields.get("phone", "13912340001")
    send_code(client, phone)
    data = {"email": "a@example.com", "password1": "Qiye12345x", "password2": "Qiye12345x", "consent": "on",
            "licence": licence_upload(), "sms_code": sms_code_from_outbox("".join(filter(str.isdigit, phone))[-11:]),
            **fields}
    return client.post("/accounts/register/", data)


def export(client, url, export_format):
    response = client.get(f"{url}?export={export_format}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else b"".join(response)
    return response, body


def xlsx_cells(body):
    return [cell for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for cell in row]


def assert_no_cell_starts_a_formula(cells):
    for cell in cells:
        formula = isinstance(cell, str) and cell.startswith(tuple("=+-@|%")) and not re.match(r"^-?[0-9,.]+$", cell)
        assert not formula, cell


def test_case_registration_contact_formula_is_neutralised_in_both_exports(client):
    fields = case_fields("registration_contact_formula.txt")
    assert fields["contact_name"].startswith("=HYPERLINK(")
    fields = {key: fields[key] for key in ("username", "contact_name", "contact_id_number", "phone")}
    assert register(client, **fields).status_code == 302
    client.force_login(make_staff("reviewer-x", "审核员"))
    _, body = export(client, "/admin/registrations/", "csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert_no_cell_starts_a_formula(cell for row in rows for cell in row)
    assert "'" + fields["contact_name"] in [cell for row in rows for cell in row]
    _, body = export(client, "/admin/registrations/", "xlsx")
    cells = xlsx_cells(body)
    assert_no_cell_starts_a_formula(cells)
    assert "'" + fields["contact_name"] in cells


def test_case_login_username_formula_is_neutralised_in_the_audit_log_export(client):
    fields = case_fields("login_username_formula.txt")
    client.post("/accounts/login/", {"username": fields["username"], "password": fields["password"],
                                     "captcha_token": solve_slider(client, "login")})
    client.force_login(make_staff("root", superuser=True))
    for export_format in ("csv", "xlsx"):
        _, body = export(client, "/admin/audit-log/", export_format)
        cells = ([c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]
                 if export_format == "csv" else xlsx_cells(body))
        assert any(isinstance(c, str) and c.startswith("'=HYPERLINK(") for c in cells), export_format
        assert_no_cell_starts_a_formula(cells)


def test_case_registration_contact_vertical_tab_never_reaches_storage_and_the_xlsx_export_works(client):
    raw = (CASES / "registration_contact_vertical_tab.bin").read_bytes().decode()
    assert "\x0b" in raw
    fields = case_fields("registration_contact_vertical_tab.txt")
    response = register(client, username=fields["username"], contact_name=raw,
                        contact_id_number=fields["contact_id_number"], phone=fields["phone"])
    assert response.status_code == 302
    stored = Enterprise.objects.get().contact_name
    assert stored == "王五"
    client.force_login(make_staff("reviewer-x", "审核员"))
    _, body = export(client, "/admin/registrations/", "xlsx")
    assert stored in xlsx_cells(body)


def test_control_characters_in_a_model_saved_outside_any_form_are_not_stored():
    enterprise = make_enterprise()
    enterprise.contact_name = "王\x0b五\u200b\x1f"
    enterprise.save()
    enterprise.refresh_from_db()
    assert enterprise.contact_name == "王五"


def test_case_csv_export_request_bom_charset_and_rfc6266_file_name(client):
    make_enterprise()
    client.force_login(make_staff("reviewer-x", "审核员"))
    response, body = export(client, "/admin/registrations/", "csv")
    assert body.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert "=?utf-8?" not in disposition
    header = re.match(r'^attachment; filename="([ -~]+)"; filename\*=UTF-8\'\'(\S+)$', disposition)
    ascii_name, utf8_name = header.groups()
    assert ascii_name.endswith(".csv") and unquote(utf8_name) == "企业注册.csv"
    response, _ = export(client, "/admin/registrations/", "xlsx")
    assert unquote(response["Content-Disposition"].split("''")[1]) == "企业注册.xlsx"


@pytest.mark.parametrize("written", (CASES / "mobile_with_dashes.txt").read_text().splitlines())
def test_case_mobile_with_dashes_is_accepted_on_registration_and_stored_as_eleven_digits(client, written):
    response = register(client, username="91210231MA0YY1240U", contact_name="王五",
                        contact_id_number="210203198506120030", phone=written)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enterprise.objects.get().phone == "13912340003"


@pytest.mark.parametrize("written", (CASES / "mobile_with_dashes.txt").read_text().splitlines())
def test_case_mobile_with_dashes_works_for_password_reset(client, written):
    enterprise = make_enterprise(phone="13912340003")
    send_code(client, written, purpose="reset", username=enterprise.credit_code)
    code = sms_code_from_outbox("13912340003")
    response = client.post("/accounts/password-reset/", {
        "username": enterprise.credit_code.lower(), "phone": written, "sms_code": code,
        "password1": "Neue12345x", "password2": "Neue12345x"})
    assert response.status_code == 302
    enterprise.user.refresh_from_db()
    assert enterprise.user.check_password("Neue12345x")

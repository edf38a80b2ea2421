"""Cases of ../shared/cases/ (tests/cases/) where a person meets them, in a real browser: an
enterprise registers with its mobile number written with dashes and a country prefix, a
contact name pasted from Word with a vertical tab and a phone photo of its licence that is
stored sideways (EXIF orientation 6); the reviewer sees the licence upright and downloads
the CSV export, which opens in Chinese Excel under its Chinese name."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from enterprise_business.models import Enterprise
from enterprise_business.tests.factories import make_reviewer
from enterprise_business.tests.helpers import credit_code, id_number
from home.tests.factories import build_site_tree
from portal.core.models import SmsMessage
from tests.e2e.slider import drag_slider

pytestmark = pytest.mark.django_db(transaction=True)

CASES = Path(__file__).resolve().parents[1] / "cases"
PASSWORD = "Qiye2025abc"


def test_register_with_a_dashed_mobile_and_a_sideways_licence_then_review_and_export(
        browser, live_server, screenshot, tmp_path):
    build_site_tree()
    make_reviewer("reviewer")
    code = credit_code("91210231MA0X8E2B6")
    written_phone = (CASES / "mobile_with_dashes.txt").read_text().splitlines()[1]  # +86-139-1234-0003
    pasted_name = (CASES / "registration_contact_vertical_tab.bin").read_bytes().decode()  # 王\x0b五
    licence = tmp_path / "营业执照.jpg"
    licence.write_bytes((CASES / "licence_exif_orientation6.jpg").read_bytes())

    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("账号").fill(code)
    page.get_by_label("联系人", exact=True).fill(pasted_name)
    page.get_by_label("联系人身份证号").fill(id_number("21021119900318002"))
    page.get_by_label("邮箱").fill("wang@example.cn")
    page.get_by_label("营业执照").set_input_files(str(licence))
    page.get_by_label("手机号码").fill(written_phone)
    page.locator("[data-sms-button]").click()
    drag_slider(page, "[data-slider-captcha]")
    page.locator("[data-sms-button]").click()
    expect(page.locator(".sms-status")).to_have_text("验证码已发送，请注意查收。")
    sms = SmsMessage.objects.latest("pk")
    assert sms.phone == "13912340003"
    page.get_by_label("手机验证码").fill(re.search(r"验证码为(\d{6})", sms.text).group(1))
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我同意政府相关").check()
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("注册信息已提交")
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.phone == "13912340003" and "\x0b" not in enterprise.contact_name

    reviewer = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                   accept_downloads=True).new_page()
    reviewer.goto(live_server.url + "/admin/login/")
    reviewer.locator("#id_username").fill("reviewer")
    reviewer.locator("#id_password").fill(PASSWORD)
    reviewer.locator("#id_password").press("Enter")
    reviewer.goto(live_server.url + "/admin/registrations/?status=pending")
    reviewer.get_by_role("link", name=code).click()
    image = reviewer.get_by_role("img", name=f"{code} 的营业执照")
    expect(image).to_be_visible()
    reviewer.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert (width, height) == (400, 600)  # the 600×400 photo turned upright
    image.scroll_into_view_if_needed()
    screenshot(reviewer, "field-case-licence-upright")

    reviewer.goto(live_server.url + "/admin/registrations/")
    with reviewer.expect_download() as download_info:
        reviewer.evaluate("""url => { const link = document.createElement("a"); link.href = url;
                                      document.body.append(link); link.click(); }""", "?export=csv")
    download = download_info.value
    assert download.suggested_filename == "企业注册.csv"
    body = Path(download.path()).read_bytes()
    assert body.startswith("\ufeff".encode()) and code in body.decode("utf-8-sig")

"""Register, be approved in the admin, and log in by dragging the slider: in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from enterprise_business.models import Enterprise
from enterprise_business.tests.factories import make_reviewer
from enterprise_business.tests.helpers import credit_code, id_number, png_bytes
from home.tests.factories import build_site_tree
from portal.core.models import SmsMessage
from tests.e2e.slider import drag_slider

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13940117777"
PASSWORD = "Qiye2025abc"


@pytest.fixture
def licence_file(tmp_path):
    path = tmp_path / "营业执照.png"
    path.write_bytes(png_bytes(size=(800, 560)))
    return path


def test_register_be_approved_and_log_in_with_the_slider(browser, live_server, licence_file, screenshot):
    build_site_tree()
    make_reviewer("reviewer")
    code = credit_code("91210231MA0X8E2B5")

    visitor = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = visitor.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="注册", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("企业用户注册")

    page.get_by_label("账号").fill(code.lower())
    page.get_by_label("联系人", exact=True).fill("赵敏")
    page.get_by_label("联系人身份证号").fill(id_number("21021119900318002"))
    page.get_by_label("邮箱").fill("zhao@example.cn")
    page.get_by_label("营业执照").set_input_files(str(licence_file))
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".sms-status")).to_contain_text("请先拖动下方滑块完成验证")
    drag_slider(page, "[data-slider-captcha]")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".sms-status")).to_have_text("验证码已发送，请注意查收。")
    expect(page.locator("[data-sms-button]")).to_be_disabled()
    sms = SmsMessage.objects.latest("pk")
    page.get_by_label("手机验证码").fill(re.search(r"验证码为(\d{6})", sms.text).group(1))
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill("different-1")
    page.get_by_label("我同意政府相关").check()
    page.get_by_role("button", name="注册").click()

    # The refused form keeps what was typed and the uploaded licence.
    expect(page.locator("#id_password2_error")).to_contain_text("两次输入的密码不一致")
    expect(page.get_by_label("联系人", exact=True)).to_have_value("赵敏")
    expect(page.get_by_text("已上传营业执照，无需重新选择")).to_be_visible()
    screenshot(page, "register-refused")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("注册信息已提交")
    assert Enterprise.objects.get(credit_code=code).status == "pending"

    reviewer = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    reviewer.goto(live_server.url + "/admin/login/")
    reviewer.locator("#id_username").fill("reviewer")
    reviewer.locator("#id_password").fill(PASSWORD)
    reviewer.locator("#id_password").press("Enter")
    reviewer.goto(live_server.url + "/admin/registrations/?status=pending")
    reviewer.get_by_role("link", name=code).click()
    expect(reviewer.get_by_role("img", name=f"{code} 的营业执照")).to_be_visible()
    screenshot(reviewer, "admin-registration-review")
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.get_by_text("已审核通过，并已短信通知企业。")).to_be_visible()
    assert "审核通过" in SmsMessage.objects.latest("pk").text

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("账号").fill(code)
    page.get_by_label("密码").fill(PASSWORD)
    drag_slider(page, "[data-slider-captcha]")
    screenshot(page, "login-slider-passed")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".business-progress")).to_contain_text("当前步骤：企业基本信息填报")
    screenshot(page, "enterprise-home")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()

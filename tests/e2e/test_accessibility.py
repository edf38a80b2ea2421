"""Accessibility in the browser (GB/T 37668-2019, WCAG 2.1 AA): axe-core on every page type and
every form in its error state, one <h1> per page, keyboard-only use, and the 长辈版 switch."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprise_business.models import BasicInfo
from enterprise_business.tests.factories import PASSWORD, make_batch, make_enterprise
from home.tests.factories import build_site_tree, make_document, make_guide, make_notice, make_policy, paragraph
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site():
    tree = build_site_tree()
    document = make_document(title="填报指南")
    body = [{"type": "heading", "value": {"text": "一、填报时间", "level": "h2"}}, paragraph("<p>请按时填报。</p>"),
            {"type": "table", "value": {"data": [["阶段", "时间"], ["填报", "11月"]], "table_caption": "时间安排",
                                        "first_row_is_table_header": True, "table_header_choice": "row"}}]
    return {
        "notice": make_notice(tree, title="关于开展创新积分填报的通知", body=body, attachments=[document]),
        "policy": make_policy(tree, title="创新积分管理办法", attachments=[document]),
        "guide": make_guide(tree, title="企业用户操作说明"),
    }


def check(page, audit, url):
    page.goto(url)
    problems = audit(page)
    assert problems == [], f"{url}: {problems}"
    assert page.locator("h1").count() == 1, f"{url} must have exactly one <h1>"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_public_pages_pass_axe(page, live_server, site, audit):
    base = live_server.url
    from finance_products.demo import build as build_finance

    build_finance(lambda message: None)
    for url in ("/", "/notices/", site["notice"].url, "/policies/", site["policy"].url, "/guides/",
                site["guide"].url, "/search/?q=创新积分", "/search/", "/no-such-page/", "/finance/",
                "/finance/?bank=1&amount=100", "/finance/dlbank/", "/finance/dlbank/points-loan/"):
        check(page, audit, base + url)


def test_account_forms_pass_axe_also_in_their_error_states(page, live_server, site, audit):
    base = live_server.url
    for url in ("/accounts/login/", "/accounts/register/", "/accounts/password-reset/"):
        check(page, audit, base + url)
    page.goto(base + "/accounts/register/")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert audit(page) == []
    page.goto(base + "/accounts/password-reset/")
    page.get_by_role("button", name="确定").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert audit(page) == []
    page.goto(base + "/accounts/login/")
    page.get_by_label("账号").fill("91350100M000100Y43")
    page.get_by_label("密码").fill("wrong-password1")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert audit(page) == []


def test_enterprise_pages_pass_axe_also_in_their_error_states(browser, live_server, site, audit):
    enterprise = make_enterprise()
    batch = make_batch(2025)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    log_in(context, live_server, enterprise.credit_code)
    page = context.new_page()
    base = live_server.url
    for url in ("/enterprise/", "/enterprise/basic-info/", "/enterprise/filings/"):
        check(page, audit, base + url)
    page.goto(base + "/enterprise/basic-info/")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert audit(page) == []

    BasicInfo.objects.create(enterprise=enterprise, status="approved", approved_at=timezone.now(),
                             approved_snapshot={})
    check(page, audit, f"{base}/enterprise/filings/{batch.pk}/")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert audit(page) == []


def test_elder_mode_persists_across_pages_and_keeps_the_layout(page, live_server, site, audit, screenshot):
    base = live_server.url
    page.goto(base + "/")
    toggle = page.get_by_role("button", name="长辈版")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)")
    toggle.click()
    expect(page.get_by_role("button", name="标准版")).to_have_attribute("aria-pressed", "true")
    large = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)")
    assert large >= normal * 1.5
    for url, name in (("/", "home"), ("/accounts/register/", "register"), (site["notice"].url, "notice")):
        page.goto(base + url)
        expect(page.locator("html")).to_have_class(re.compile(r"\bmode-elder\b"))
        assert audit(page) == []
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], f"{url} {size}"
            screenshot(page, f"elder-{name}-{size}")
        page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="标准版").click()
    page.goto(base + "/notices/")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bmode-elder\b"))


def test_keyboard_alone_logs_in_with_the_accessible_slider(page, live_server, site):
    from django.core.cache import cache

    enterprise = make_enterprise()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").focus()
    page.keyboard.type(enterprise.credit_code)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    handle = page.get_by_role("slider")
    expect(handle).to_be_focused()
    background = page.locator(".slider-background")
    expect(background).to_have_attribute("src", re.compile(r"/accounts/captcha/.+/background\.png"))
    challenge = background.get_attribute("src").split("/")[3]
    left = cache.get(f"captcha:{challenge}")["left"]
    # Keys held for a moment each, as a person presses them (the server refuses inhuman speed).
    while int(handle.get_attribute("aria-valuenow")) + 10 <= left:
        page.keyboard.press("Shift+ArrowRight", delay=20)
    while int(handle.get_attribute("aria-valuenow")) < left:
        page.keyboard.press("ArrowRight", delay=20)
    expect(handle).to_have_attribute("aria-valuetext", f"拼图块位置 {handle.get_attribute('aria-valuenow')} 像素")
    page.keyboard.press("Enter")
    expect(page.locator(".slider-status").first).to_have_text("验证通过")
    page.locator("button[type=submit]", has_text="登录").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/")


def test_keyboard_alone_fills_and_saves_the_basic_info_form(browser, live_server, site):
    enterprise = make_enterprise()
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    log_in(context, live_server, enterprise.credit_code)
    page = context.new_page()
    page.goto(live_server.url + "/enterprise/basic-info/")
    page.get_by_label("企业名称").focus()
    page.keyboard.type("键盘企业")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_mailing_address":
            break
    page.keyboard.type("大连市高新区")
    while page.evaluate("document.activeElement.textContent.trim()") != "暂存":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("已暂存，可以稍后继续填写。")).to_be_visible()
    expect(page.get_by_label("通讯地址")).to_have_value("大连市高新区")

"""What only a browser shows of the admin is Chinese too (issue 19): the keyboard-shortcuts
dialog a key opens, and the banner of a form that did not save."""

import pytest
from playwright.sync_api import expect

from tests.e2e.sessions import log_in
from tests.test_chinese_everywhere import ALLOWED, english_words

pytestmark = pytest.mark.django_db(transaction=True)


def test_shortcuts_dialog_and_error_banner_are_in_chinese(browser, live_server, site_tree, admin_user, screenshot):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    log_in(context, live_server, admin_user.username)
    page = context.new_page()
    page.goto(live_server.url + "/admin/")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="键盘快捷键")
    expect(dialog).to_be_visible()
    screenshot(page, "admin-keyboard-shortcuts")
    assert not english_words(dialog.inner_html(), ALLOWED)[0]
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/admin/pages/{site_tree.notices.pk}/edit/")
    page.locator("#id_title").fill("")
    page.locator("button[type=submit]", has_text="保存草稿").first.click()
    banner = page.locator(".messages .error")
    expect(banner).to_contain_text("存在校验错误，页面未能保存。")
    expect(banner.get_by_role("button", name="转到第一个错误")).to_be_visible()
    screenshot(page, "admin-error-banner")
    assert not english_words(banner.inner_html(), ALLOWED)[0]
    context.close()

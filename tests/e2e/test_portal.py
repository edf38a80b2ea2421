"""A visitor's walk through the public portal in a real browser."""

import pytest
from playwright.sync_api import expect

from home.tests.factories import make_document, make_guide, make_notice, make_policy, paragraph
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def portal(site_tree):
    document = make_document(title="2025年度企业创新积分数据填报指南", content=PDF, filename="filing-guide.pdf")
    for n in range(8):
        make_notice(site_tree, title=f"关于第{n}批企业名单的公告", days_ago=n + 1)
    notice = make_notice(
        site_tree,
        title="关于开展2025年度企业创新积分数据填报工作的通知",
        body=[paragraph("<p>请各企业于11月30日前完成填报。</p>")],
        attachments=[document],
    )
    make_policy(site_tree, title="大连高新区企业创新积分管理办法（试行）")
    make_guide(site_tree, title="企业用户操作说明")
    return notice


def test_visitor_opens_a_notice_and_downloads_its_attachment(page, live_server, portal, screenshot):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="通知公告")).to_be_visible()
    screenshot(page, "home-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "home-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="通知公告").click()
    expect(page).to_have_url(live_server.url + "/notices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("通知公告")

    page.get_by_role("link", name="关于开展2025年度企业创新积分数据填报工作的通知").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于开展2025年度企业创新积分数据填报工作的通知")
    expect(page.get_by_text("请各企业于11月30日前完成填报。")).to_be_visible()
    screenshot(page, "notice")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="2025年度企业创新积分数据填报指南").click()
    download = download_info.value
    assert download.suggested_filename == "filing-guide.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == PDF


def test_business_menu_opens_by_mouse_and_by_keyboard(page, live_server, portal):
    page.goto(live_server.url + "/")
    menu = page.locator("#menu-business")
    toggle = page.get_by_role("button", name="企业业务")
    expect(menu).to_be_hidden()

    toggle.hover()
    expect(menu.get_by_role("link", name="积分数据填报")).to_be_visible()
    page.mouse.move(5, 600)
    expect(menu).to_be_hidden()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="企业基本信息填报")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()


def test_phone_menu_toggles(page, live_server, portal, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/notices/")
    notices_link = page.get_by_role("navigation", name="主导航").get_by_role("link", name="政策文件")
    expect(notices_link).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(notices_link).to_be_visible()
    screenshot(page, "notices-phone-menu")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_search_from_the_navigation(page, live_server, portal):
    page.goto(live_server.url + "/")
    page.get_by_label("站内搜索").fill("管理办法")
    page.get_by_label("站内搜索").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("共找到 1 条结果")
    expect(page.get_by_role("link", name="大连高新区企业创新积分管理办法（试行）")).to_be_visible()

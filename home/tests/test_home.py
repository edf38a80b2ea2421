import pytest
from wagtail.models import Site

from home.models import HOME_CARD_ITEMS, PortalSettings
from home.tests.factories import make_guide, make_notice, make_policy

pytestmark = pytest.mark.django_db


def test_home_lists_the_latest_items_of_each_module_newest_first(client, site_tree):
    notices = [make_notice(site_tree, title=f"通知{n}", days_ago=n) for n in range(HOME_CARD_ITEMS + 2)]
    make_notice(site_tree, title="草稿通知不应出现", live=False)
    policy = make_policy(site_tree, title="高新区企业创新积分管理办法")
    guide = make_guide(site_tree, title="企业用户操作说明")

    html = client.get("/").content.decode()

    shown = [n for n in notices if n.title in html]
    assert shown == notices[:HOME_CARD_ITEMS]
    assert html.index(notices[0].title) < html.index(notices[1].title)
    assert "草稿通知不应出现" not in html
    assert policy.title in html and guide.title in html
    assert html.count('href="/notices/article-') == HOME_CARD_ITEMS


def test_home_has_the_four_modules_and_the_business_menu(client, site_tree):
    html = client.get("/").content.decode()
    for module in ("通知公告", "政策文件", "操作说明", "企业业务"):
        assert f"{module}</h2>" in html
    for entry, href in (
        ("企业基本信息填报", "/enterprise/basic-info/"),
        ("积分数据填报", "/enterprise/filings/"),
        ("积分结果查询", "/enterprise/results/"),
    ):
        assert f'<a href="{href}">{entry}</a>' in html
    assert 'aria-controls="menu-business"' in html and 'id="menu-business"' in html
    assert 'href="/accounts/login/">登录</a>' in html and 'href="/accounts/register/">注册</a>' in html


def test_footer_and_entrance_come_from_site_settings(client, site_tree):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.support_company = "测试科技有限公司"
    portal.consult_phone = "0411-12345678"
    portal.tech_phone = "13800000000"
    portal.ip_platform_url = "https://ip.example.cn/"
    portal.save()

    html = client.get("/").content.decode()

    assert "测试科技有限公司提供技术支持" in html
    assert "咨询电话：0411-12345678" in html
    assert "技术支持电话：13800000000" in html
    assert "请使用谷歌、火狐浏览器" in html
    assert 'href="https://ip.example.cn/"' in html
    assert "大连高新区知识产权公共服务平台入口" in html


def test_entrance_hidden_until_an_editor_sets_its_link(client, site_tree):
    assert "大连高新区知识产权公共服务平台入口" not in client.get("/").content.decode()


def test_page_is_chinese_and_uses_own_static_files_only(client, site_tree):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "跳到主要内容" in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "cdn" not in html.lower()


def test_a_logged_in_home_page_reads_the_cards_once_per_publication(client, site_tree):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_notice(site_tree, title="第一篇通知")
    client.force_login(get_user_model().objects.create_user(username="member", password="Member2025x"))
    assert "第一篇通知" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as context:
        assert "第一篇通知" in client.get("/").content.decode()
    assert not any("notices_noticepage" in query["sql"] for query in context.captured_queries)
    make_notice(site_tree, title="刚发布的通知")  # published: a new generation
    html = client.get("/").content.decode()
    assert "刚发布的通知" in html and html.index("刚发布的通知") < html.index("第一篇通知")
    first.unpublish()
    assert "第一篇通知" not in client.get("/").content.decode()

import pytest

from home.tests.factories import make_guide, make_notice, make_policy, paragraph

pytestmark = pytest.mark.django_db


def test_search_finds_a_notice_by_a_word_of_its_title(client, site_tree):
    notice = make_notice(site_tree, title="关于开展2025年度企业创新积分数据填报工作的通知")
    make_notice(site_tree, title="平台系统维护公告")

    response = client.get("/search/", {"q": "创新积分"})

    results = list(response.context["page_obj"])
    assert results == [notice]
    assert "“创新积分”共找到 1 条结果" in response.content.decode()


def test_search_covers_policies_and_guides_and_body_text(client, site_tree):
    policy = make_policy(site_tree, title="管理办法", document_number="大高管发〔2024〕8号")
    guide = make_guide(site_tree, title="常见问题", body=[paragraph("<p>如何上传营业执照扫描件？</p>")])

    assert list(client.get("/search/", {"q": "大高管发"}).context["page_obj"]) == [policy]
    assert list(client.get("/search/", {"q": "营业执照"}).context["page_obj"]) == [guide]


def test_every_word_must_match(client, site_tree):
    both = make_notice(site_tree, title="创新积分贷申报通知")
    make_notice(site_tree, title="创新积分公示")
    assert list(client.get("/search/", {"q": "创新积分 申报"}).context["page_obj"]) == [both]


def test_search_never_shows_unpublished_pages(client, site_tree):
    make_notice(site_tree, title="内部草稿创新积分", live=False)
    assert list(client.get("/search/", {"q": "内部草稿"}).context["page_obj"]) == []


def test_empty_query_shows_the_form_only(client, site_tree):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="search-q">关键词</label>' in html
    assert "请输入要搜索的" in html


def test_result_pages_keep_the_query(client, site_tree):
    for n in range(20):
        make_notice(site_tree, title=f"积分通知{n}", days_ago=n)
    html = client.get("/search/", {"q": "积分通知"}).content.decode()
    assert 'href="?q=%E7%A7%AF%E5%88%86%E9%80%9A%E7%9F%A5&amp;page=2"' in html


@pytest.mark.parametrize("typed", ["2025年度", "２０２５年度", "ＡＰＩ", "api", "\u200b2025年度 "])
def test_search_matches_whatever_width_the_visitor_types(client, site_tree, typed):
    half = make_notice(site_tree, title="关于2025年度API接口调整的通知")
    full = make_notice(site_tree, title="关于２０２５年度ＡＰＩ接口调整的说明")
    found = set(client.get("/search/", {"q": typed}).context["page_obj"])
    assert found == {half, full}

import pytest

from home.tests.factories import make_document, make_guide, make_notice, make_policy, paragraph

pytestmark = pytest.mark.django_db

MAKERS = {"/notices/": make_notice, "/policies/": make_policy, "/guides/": make_guide}


@pytest.mark.parametrize("section", MAKERS)
def test_every_index_paginates_newest_first(client, site_tree, section):
    index = {"/notices/": site_tree.notices, "/policies/": site_tree.policies, "/guides/": site_tree.guides}[section]
    index.per_page = 3
    index.save_revision().publish()
    pages = [MAKERS[section](site_tree, title=f"第{n}篇", days_ago=n) for n in range(7)]

    first = client.get(section)
    third = client.get(section, {"page": 3})
    beyond = client.get(section, {"page": 99})
    nonsense = client.get(section, {"page": "abc"})

    assert [p.title for p in first.context["page_obj"]] == ["第0篇", "第1篇", "第2篇"]
    assert [p.title for p in third.context["page_obj"]] == [pages[6].title]
    assert beyond.context["page_obj"].number == 3
    assert nonsense.context["page_obj"].number == 1
    html = first.content.decode()
    assert 'href="?page=2" rel="next">下一页</a>' in html
    assert "共 7 条，第 1/3 页" in html


def test_index_hides_drafts(client, site_tree):
    make_notice(site_tree, title="已发布的通知")
    make_notice(site_tree, title="未发布的草稿", live=False)
    html = client.get("/notices/").content.decode()
    assert "已发布的通知" in html and "未发布的草稿" not in html


def test_policy_shows_issuer_number_and_date(client, site_tree):
    policy = make_policy(site_tree, title="创新积分贷风险补偿资金管理办法", issuer="大连市科学技术局",
                         document_number="大科发〔2024〕21号", days_ago=0)
    listing = client.get("/policies/").content.decode()
    detail = client.get(policy.url).content.decode()
    assert "大连市科学技术局 · 大科发〔2024〕21号" in listing
    assert "发文机关：大连市科学技术局" in detail
    assert "文号：大科发〔2024〕21号" in detail
    assert "发布日期：<time datetime=\"2026-11-01\">2026-11-01</time>" in detail


def test_detail_page_renders_rich_body_and_breadcrumb(client, site_tree):
    notice = make_notice(
        site_tree,
        title="关于开展创新积分填报的通知",
        body=[
            {"type": "heading", "value": {"text": "一、填报时间", "level": "h2"}},
            paragraph("<p>请各企业<b>按时</b>填报。</p>"),
            {"type": "table", "value": {"data": [["阶段", "时间"], ["填报", "11月"]],
                                        "first_row_is_table_header": True, "table_header_choice": "row"}},
        ],
    )
    html = client.get(notice.url).content.decode()
    assert '<h2 class="article-heading">一、填报时间</h2>' in html
    assert "<b>按时</b>" in html
    assert '<th scope="col"' in html and "11月" in html
    assert '<a href="/notices/">通知公告</a>' in html
    assert "我的位置：" in html


def test_attachment_is_listed_and_downloads(client, site_tree):
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
    document = make_document(title="填报指南", content=pdf, filename="guide.pdf")
    notice = make_notice(site_tree, attachments=[document])

    html = client.get(notice.url).content.decode()
    assert f'href="{document.url}" download' in html
    assert "填报指南" in html and "PDF" in html

    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment")

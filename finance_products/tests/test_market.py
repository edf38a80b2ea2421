import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from wagtail.models import Page

from finance_products.models import Bank, FinanceProductPage
from finance_products.tests.factories import make_market, make_product
from portal.core import generations

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(site_tree):
    # Just the banks: these tests add their own products.
    return make_market(site_tree)


product = make_product


def titles(response):
    return [p.title for p in response.context["page_obj"]]


def test_market_lists_products_with_view_buttons_sorted_by_rate(client, market):
    _, sections = market
    product(sections["dlbank"], "a", min_rate="4.00")
    product(sections["cmb"], "b", min_rate="3.20")
    product(sections["cmb"], "hidden", live=False)
    response = client.get("/finance/")
    assert titles(response) == ["产品b", "产品a"]
    html = response.content.decode()
    assert html.count(">查看<span") == 2 and "产品hidden" not in html
    assert '<label for="id_bank">银行</label>' in html and '<label for="id_amount">需求额度（万元）</label>' in html


def test_filters_by_bank_type_amount_and_rate(client, market):
    _, sections = market
    product(sections["dlbank"], "small", low=10, high=100, min_rate="4.50")
    product(sections["dlbank"], "pledge", kind="ip_pledge", low=100, high=2000, min_rate="3.60")
    product(sections["cmb"], "big", low=500, high=5000, min_rate="3.10")
    bank = Bank.objects.get(name="大连银行")
    assert titles(client.get("/finance/", {"bank": bank.pk})) == ["产品pledge", "产品small"]
    assert titles(client.get("/finance/", {"product_type": "ip_pledge"})) == ["产品pledge"]
    assert titles(client.get("/finance/", {"amount": "1000"})) == ["产品big", "产品pledge"]
    assert titles(client.get("/finance/", {"rate": "3.50"})) == ["产品big"]
    assert titles(client.get("/finance/", {"sort": "amount"})) == ["产品big", "产品pledge", "产品small"]
    assert len(titles(client.get("/finance/", {"amount": "not-a-number"}))) == 3


def test_product_page_shows_its_terms(client, market):
    _, sections = market
    page = product(sections["cmb"], "loan", low=100, high=2000)
    html = client.get(page.url).content.decode()
    assert "100.00–2000.00 万元" in html and "招商银行" in html and '<th scope="row">担保方式</th>' in html
    assert page.bank.name == "招商银行"


def test_a_product_always_belongs_to_its_sections_bank(market):
    _, sections = market
    page = product(sections["cmb"], "claim")
    page.bank = Bank.objects.get(name="大连银行")
    page.save()
    page.refresh_from_db()
    assert page.bank.name == "招商银行"


def test_bank_staff_edit_only_their_own_banks_products(market):
    _, sections = market
    own = product(sections["dlbank"], "own")
    other = product(sections["cmb"], "other")
    staff = get_user_model().objects.create_user("banker", password="pw-12345678", is_staff=True)
    staff.groups.add(Bank.objects.get(name="大连银行").staff_group)
    assert own.permissions_for_user(staff).can_edit() and own.permissions_for_user(staff).can_publish()
    assert sections["dlbank"].permissions_for_user(staff).can_add_subpage()
    assert not other.permissions_for_user(staff).can_edit()
    assert not sections["cmb"].permissions_for_user(staff).can_add_subpage()
    assert not Page.objects.get(slug="finance").permissions_for_user(staff).can_edit()


def test_amounts_and_rates_must_be_ordered(market):
    from django.core.exceptions import ValidationError

    _, sections = market
    page = FinanceProductPage(
        title="错",
        slug="bad",
        product_type="other",
        min_amount=100,
        max_amount=10,
        min_rate=5,
        max_rate=4,
        term="1年",
        guarantee="credit",
        path="x",
        depth=4,
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert set(error.value.message_dict) == {"max_amount", "max_rate"}


def test_market_query_count_does_not_grow(client, market, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, sections = market

    def count():
        cache.clear()
        generations.forget_all()  # and the worker's copies of them, as conftest does
        with CaptureQueriesContext(connection) as context:
            client.get("/finance/")
        return len(context.captured_queries)

    product(sections["dlbank"], "p1")
    few = count()
    for n in range(12):
        product(sections["cmb"], f"q{n}")
    assert count() == few <= 14


def product_rows_read(client, url="/finance/"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return titles(response), [q for q in captured.captured_queries if "finance_products_financeproductpage" in q["sql"]]


def test_a_logged_in_visitors_market_comes_from_the_memo_until_a_product_changes(client, market):
    _, sections = market
    product(sections["dlbank"], "a", min_rate="4.00")
    client.force_login(get_user_model().objects.create_user(username="visitor", password="Visitor2025x"))
    assert product_rows_read(client)[0] == ["产品a"]
    assert product_rows_read(client) == (["产品a"], [])
    b = product(sections["cmb"], "b", min_rate="3.20")
    assert product_rows_read(client)[0] == ["产品b", "产品a"]
    assert product_rows_read(client, "/finance/?sort=newest")[0] == ["产品b", "产品a"]
    assert product_rows_read(client, f"/finance/?bank={sections['cmb'].bank.pk}")[0] == ["产品b"]
    b.unpublish()
    assert product_rows_read(client)[0] == ["产品a"]


def test_a_banks_new_name_shows_on_the_cached_market(client, market):
    _, sections = market
    product(sections["dlbank"], "a")
    assert "大连银行" in client.get("/finance/").content.decode()
    bank = sections["dlbank"].bank
    bank.name = "大连银行股份有限公司"
    bank.save()
    assert "大连银行股份有限公司" in client.get("/finance/").content.decode()

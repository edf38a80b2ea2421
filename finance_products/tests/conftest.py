import pytest

from enterprise_business.tests.factories import make_enterprise
from finance_products.tests.factories import approve_basic_info, make_market, make_product, make_result


@pytest.fixture
def catalogue(site_tree):
    """/finance/ with two banks and three products: 创新积分贷 (≥ 60 分), 积分领跑贷 (≥ 85 分, 领跑), 科创贷 (不限)."""
    index, sections = make_market(site_tree)
    products = {
        "loan": make_product(sections["dlbank"], "points-loan", title="创新积分贷", min_points=60, low=50, high=1000),
        "leading": make_product(sections["dlbank"], "leading-loan", title="积分领跑贷", min_points=85, tier="leading"),
        "open": make_product(sections["cmb"], "kechuangdai", title="科创贷", min_rate="3.10"),
    }
    return index, sections, products


@pytest.fixture
def firm(db):
    """An approved enterprise with an approved basic info and a published result of 72.50 (成长期, 竞跑)."""
    enterprise = make_enterprise()
    approve_basic_info(enterprise)
    make_result(enterprise)
    return enterprise


@pytest.fixture
def firm_client(client, firm):
    client.force_login(firm.user)
    return client

import pytest

from enterprise_business.models import Enterprise
from enterprise_business.tests.factories import make_enterprise
from finance_products.demo import DEMO_ENTERPRISE, build, build_applications
from finance_products.models import LoanApplication
from finance_products.tests.factories import approve_basic_info, make_result

pytestmark = pytest.mark.django_db


def test_demo_applications_wait_for_a_published_result_and_are_made_once(site_tree):
    reports = []
    build(reports.append)
    enterprise = make_enterprise()
    Enterprise.objects.filter(pk=enterprise.pk).update(credit_code=DEMO_ENTERPRISE)
    enterprise.refresh_from_db()
    build_applications(reports.append)
    assert reports[-1] == "金融产品申请：演示企业暂无正式发布的积分结果，未创建演示申请"
    assert not LoanApplication.objects.exists()

    approve_basic_info(enterprise)
    make_result(enterprise, total="75.00", stage="growth", tier="racing")
    build_applications(reports.append)
    build_applications(reports.append)
    applications = LoanApplication.objects.order_by("pk")
    assert [(a.bank.name, a.product_title, a.status) for a in applications] == [
        ("大连银行", "创新积分贷", "disbursed"),
        ("大连银行", "知识产权质押贷", "submitted"),
        ("中国建设银行大连市分行", "科技贷", "submitted"),
    ]
    assert applications[0].disbursed_amount == applications[0].amount
    assert reports[-1] == "金融产品申请：演示申请已存在"

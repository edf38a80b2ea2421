import pytest
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def test_not_found_uses_the_site_layout(client, site_tree):
    response = client.get("/notices/no-such-notice/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "您访问的页面不存在" in html
    assert 'aria-label="主导航"' in html
    assert '<a class="button button-primary" href="/">返回首页</a>' in html


def _boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_is_generic_and_chinese():
    response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙，请稍后再试" in html
    assert "simulated failure" not in html and "Traceback" not in html


def test_server_error_page_needs_no_database_or_context():
    # Django renders 500.html with an empty context; it must not depend on site settings.
    html = get_template("500.html").render({})
    assert "系统繁忙" in html and 'lang="zh-Hans"' in html


@pytest.mark.parametrize("template,text", [("400.html", "请求无法处理"), ("403.html", "没有访问权限"),
                                           ("403_csrf.html", "页面已过期，请刷新后重试")])
def test_other_error_pages_are_chinese_and_need_no_database(template, text):
    # They are shown when the database may be down (a session that cannot be saved gives 400).
    html = get_template(template).render({})
    assert text in html and 'lang="zh-Hans"' in html


@pytest.mark.django_db
def test_an_expired_form_gets_the_chinese_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403 and "页面已过期，请刷新后重试" in response.content.decode()

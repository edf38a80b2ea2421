"""The 积分计算 admin: only scoring admins; start a run and watch it; frozen schemes read-only."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from enterprise_business.tests.factories import make_reviewer, make_staff
from portal.core import roles
from portal.core.jobs import Job
from scoring_engine.models import CalculationRun, Scheme
from scoring_engine.services import start_run

from .factories import make_scored_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorer(client):
    user = make_staff("scorer", roles.SCORING_ADMIN)
    client.force_login(user)
    return user


ADMIN_URLS = ["scoring_runs:start", "scoring_runs:index", "scoring_schemes:index", "scoring_results:index"]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_a_reviewer_cannot_reach_the_scoring_screens(client, name):
    client.force_login(make_reviewer())
    response = client.get(reverse(name))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url != reverse(name)


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_scoring_admin_reaches_them(client, scorer, name):
    assert client.get(reverse(name)).status_code == 200


def test_reviewer_cannot_start_a_run_by_post(client, batch, small_scheme):
    client.force_login(make_reviewer())
    response = client.post(reverse("scoring_runs:start"), {"batch": batch.pk, "scheme": small_scheme.pk})
    # The admin turns PermissionDenied into a redirect to its dashboard with a message.
    assert response.status_code in (302, 403) and response.get("Location", "") != reverse("scoring_runs:index")
    assert not CalculationRun.objects.exists()


def test_start_a_run_and_read_it(client, scorer, batch, small_scheme, django_capture_on_commit_callbacks):
    make_scored_enterprise(batch, name="企业甲")
    make_scored_enterprise(batch, {"revenue": "9000.00"}, name="企业乙")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scoring_runs:start"), {"batch": batch.pk, "scheme": small_scheme.pk})
    run = CalculationRun.objects.get()
    job = Job.objects.get(kind="scoring.calculate")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert run.started_by == scorer and run.status == CalculationRun.Status.CALCULATED
    job_page = client.get(response.url).content.decode()
    run_url = reverse("scoring_runs:inspect", args=[run.pk])
    assert "已完成" in job_page and f'href="{run_url}"' in job_page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["percent"] == 100
    page = client.get(run_url).content.decode()
    assert "待发布" in page and "企业甲" in page and "企业乙" in page and 'http-equiv="refresh"' not in page
    progress = client.get(reverse("scoring_runs:progress", args=[run.pk])).json()
    assert progress == {
        "status": "calculated",
        "status_label": "待发布",
        "progress": 100,
        "finished": True,
        "enterprise_count": 2,
        "error": "",
    }
    result = run.results.get(name="企业甲")
    detail = client.get(reverse("scoring_results:inspect", args=[result.pk])).content.decode()
    assert "研发投入强度" in detail
    listing = client.get(reverse("scoring_results:index"), {"run": run.pk}).content.decode()
    assert "企业乙" in listing


def test_a_running_run_refreshes_its_page(client, scorer, batch, small_scheme):
    run = CalculationRun.objects.create(batch=batch, scheme=small_scheme, progress=40)
    page = client.get(reverse("scoring_runs:inspect", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "计算中" in page
    assert client.get(reverse("scoring_runs:progress", args=[run.pk])).json()["progress"] == 40
    response = client.post(reverse("scoring_runs:start"), {"batch": batch.pk, "scheme": small_scheme.pk})
    assert "该批次已有正在进行的计算" in response.content.decode()


def test_a_run_abandoned_by_its_process_no_longer_blocks_the_batch(client, scorer, batch, small_scheme):
    from datetime import timedelta

    from django.utils import timezone

    stuck = CalculationRun.objects.create(batch=batch, scheme=small_scheme, progress=40,
                                          started_at=timezone.now() - timedelta(minutes=31))
    response = client.post(reverse("scoring_runs:start"), {"batch": batch.pk, "scheme": small_scheme.pk})
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == CalculationRun.Status.FAILED and "计算进程中断" in stuck.error
    assert CalculationRun.objects.filter(batch=batch, status=CalculationRun.Status.RUNNING).exclude(
        pk=stuck.pk).count() == 1


def test_edit_a_scheme_with_its_indicators(client, scorer):
    scheme = Scheme.objects.create(name="新方案")
    data = nested_form_data(
        {
            "name": "新方案（修订）",
            "description": "",
            "startup_max_age": 3,
            "startup_max_revenue": "1000",
            "mature_min_revenue": "20000",
            "percentile_min_group": "10",
            "indicators": inline_formset(
                [
                    {
                        "code": "rd",
                        "name": "研发费用",
                        "category": "innovation",
                        "kind": "local",
                        "stands_in_for": "",
                        "source": "field",
                        "field": "rd_expense",
                        "denominator_field": "",
                        "previous_field": "",
                        "record_indicator": "",
                        "record_kind": "",
                        "rule": "linear",
                        "segments": "",
                        "lower": "0",
                        "upper": "500",
                        "points": "",
                        "cap": "10",
                        "weight_startup": "1",
                        "weight_growth": "1",
                        "weight_mature": "1",
                        "description": "",
                    },
                    {
                        "code": "rd",
                        "name": "重复",
                        "category": "innovation",
                        "kind": "local",
                        "stands_in_for": "",
                        "source": "field",
                        "field": "revenue",
                        "denominator_field": "",
                        "previous_field": "",
                        "record_indicator": "",
                        "record_kind": "",
                        "rule": "percentile",
                        "segments": "",
                        "lower": "",
                        "upper": "",
                        "points": "",
                        "cap": "5",
                        "weight_startup": "1",
                        "weight_growth": "1",
                        "weight_mature": "1",
                        "description": "",
                    },
                ]
            ),
        }
    )
    url = reverse("scoring_schemes:edit", args=[scheme.pk])
    refused = client.post(url, data)
    assert refused.status_code == 200 and "在本方案中重复" in refused.content.decode()
    data["indicators-1-code"] = "revenue"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme.refresh_from_db()
    assert scheme.name == "新方案（修订）"
    assert list(scheme.indicators.values_list("code", flat=True)) == ["rd", "revenue"]


def test_a_frozen_scheme_is_read_only_in_the_admin_and_can_be_copied(client, scorer, batch, small_scheme):
    make_scored_enterprise(batch)
    run = start_run(batch, small_scheme, background=False)
    CalculationRun.objects.filter(pk=run.pk).update(status=CalculationRun.Status.PUBLICITY)
    edit = reverse("scoring_schemes:edit", args=[small_scheme.pk])
    response = client.get(edit)
    assert response.status_code == 302 and response.url == reverse("scoring_schemes:inspect", args=[small_scheme.pk])
    client.post(edit, {"name": "改了"})
    assert Scheme.objects.get(pk=small_scheme.pk).name == "测试方案"
    page = client.get(response.url).content.decode()
    assert "已冻结" in page and "复制方案" in page and "修改方案" not in page
    copied = client.post(reverse("scoring_schemes:copy_scheme", args=[small_scheme.pk]), {"name": "2025年方案"})
    copy = Scheme.objects.get(name="2025年方案")
    assert copied.url == reverse("scoring_schemes:edit", args=[copy.pk])
    assert copy.indicators.count() == small_scheme.indicators.count()
    assert client.get(copied.url).status_code == 200
    delete = client.post(reverse("scoring_schemes:delete", args=[small_scheme.pk]))
    assert delete.status_code == 302 and Scheme.objects.filter(pk=small_scheme.pk).exists()


def test_the_superuser_starts_a_run_and_reads_its_page_without_edit_or_delete_links(
        client, batch, small_scheme, django_capture_on_commit_callbacks):
    """As the README's demo `admin`: 发起计算 → 开始计算 → the run's page, not a 500
    (NoReverseMatch for the edit view the run viewset does not route)."""
    client.force_login(make_staff("root", superuser=True))
    make_scored_enterprise(batch, name="企业甲")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scoring_runs:start"), {"batch": batch.pk, "scheme": small_scheme.pk})
    run = CalculationRun.objects.get()
    # The start answers with the run's job page, which links to the run.
    job_page = client.get(response.url)
    run_url = reverse("scoring_runs:inspect", args=[run.pk])
    assert job_page.status_code == 200 and run_url in job_page.content.decode()
    page = client.get(run_url)
    assert page.status_code == 200 and "企业甲" in page.content.decode()
    assert f"/scoring/runs/edit/{run.pk}/" not in page.content.decode()
    result = run.results.get()
    assert client.get(reverse("scoring_results:inspect", args=[result.pk])).status_code == 200

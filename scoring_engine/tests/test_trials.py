"""方案试算: a draft scheme run on a batch, compared with the published run, from the admin;
never published, never seen by enterprises, the ranking or banks."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from enterprise_business.tests.factories import make_reviewer, make_staff
from finance_products.matching import latest_final_run
from portal.core import roles
from scoring_engine import publication, trials
from scoring_engine.models import CalculationRun, EnterpriseResult
from scoring_engine.results import visible_runs
from scoring_engine.services import default_scheme, start_run

from .factories import make_scored_enterprise

pytestmark = pytest.mark.django_db
S = CalculationRun.Status


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def scorer():
    return make_staff("jifen", roles.SCORING_ADMIN)


@pytest.fixture
def published(batch, scorer):
    """A batch of ten enterprises of one stage and its final run with the default scheme:
    half grow fast on small revenue, half grow slowly on large revenue."""
    for n in range(10):
        fast = n % 2 == 0
        revenue = 1500 + 100 * n if fast else 15000 + 100 * n
        growth = 1.5 if fast else 1.02
        make_scored_enterprise(
            batch,
            {"revenue": f"{revenue}.00", "revenue_prev": f"{revenue / growth:.2f}"},
            name=f"{'快' if fast else '稳'}企业{n}",
        )
    run = start_run(batch, default_scheme(batch), scorer, background=False)
    CalculationRun.objects.filter(pk=run.pk).update(
        status=S.FINAL, published_at=timezone.now(), finalised_at=timezone.now(), ranking_top_n=10,
        publicity_starts_on=timezone.localdate() - timedelta(days=9), publicity_ends_on=timezone.localdate(),
    )
    return CalculationRun.objects.get(pk=run.pk)


@pytest.fixture
def draft(published):
    """The default, copied, with 营业收入 worth three times as much to a 成长期 enterprise."""
    scheme = published.scheme.copy(name="草稿：营业收入加权")
    scheme.indicators.filter(code="revenue").update(weight_growth=Decimal("3"))
    return scheme


@pytest.fixture
def trial_of(django_capture_on_commit_callbacks):
    """Start a trial and run its task (enqueued once the run is committed) to the end."""

    def start(batch, scheme, user):
        with django_capture_on_commit_callbacks(execute=True):
            run = trials.start_trial(batch, scheme, user)
        run.refresh_from_db()
        return run

    return start


def test_a_trial_is_calculated_like_a_run_and_compared_with_the_published_one(
    batch, published, draft, scorer, trial_of
):
    trial = trial_of(batch, draft, scorer)
    assert trial.is_trial and trial.status == S.CALCULATED and trial.enterprise_count == 10
    assert trial.input_hash == published.input_hash
    assert trials.baseline(trial) == published
    summary = trials.summarise(trial, published)
    assert summary.up and summary.down and summary.up + summary.down + summary.level == len(summary.comparison.rows)
    assert [effect.name for effect in summary.indicators] == ["营业收入"]
    effect = summary.indicators[0]
    assert effect.enterprises == 9 and effect.gained == 9 and effect.lost == 0  # the lowest revenue scores 0 either way
    risers = [row for row in summary.comparison.rows if (row.rank_change or 0) > 0]
    assert all(row.name.startswith("稳") for row in risers)
    assert all(row.total_change > 0 or row.name == "快企业0" for row in summary.comparison.rows)
    assert any("营业收入：数值未变" in reason for row in risers for reason in row.reasons)


def test_a_trial_is_never_published_nor_shown(client, batch, published, draft, scorer, trial_of):
    trial = trial_of(batch, draft, scorer)
    with pytest.raises(publication.PublicationError, match="试算结果只用于对比方案"):
        publication.publish(trial, scorer, timezone.localdate(), timezone.localdate(), top_n=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalculationRun.objects.filter(pk=trial.pk).update(status=S.FINAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalculationRun.objects.filter(pk=trial.pk).update(published_at=timezone.now())
    assert trial not in visible_runs() and latest_final_run() == published
    assert not draft.is_frozen
    # Enterprises and the public still read the published run.
    result = EnterpriseResult.objects.get(run=published, name="稳企业1")
    trial_result = EnterpriseResult.objects.get(run=trial, name="稳企业1")
    assert trial_result.total != result.total
    client.force_login(result.enterprise.user)
    page = text(client.get("/enterprise/results/"))
    assert f"{result.total} 分" in page and f"{trial_result.total} 分" not in page
    assert "草稿" not in client.get("/ranking/").content.decode()
    # A trial never becomes what the batch is calculated with, or what a real run is compared with.
    assert default_scheme(batch) == published.scheme
    real = start_run(batch, published.scheme, scorer, background=False)
    assert publication.previous_run(real) == published


def test_from_the_admin_start_read_and_delete_a_trial(client, batch, published, draft, scorer,
                                                      django_capture_on_commit_callbacks):
    client.force_login(scorer)
    index = client.get(reverse("scoring_trials:index"))
    assert index.status_code == 200 and "发起试算" in text(index)
    form = client.get(reverse("scoring_trials:start")).content.decode()
    assert '<label class="w-field__label" for="id_batch">' in form and 'for="id_scheme"' in form
    assert f'<option value="{draft.pk}" selected>' in form  # the newest draft, not the frozen scheme
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scoring_trials:start"), {"batch": batch.pk, "scheme": draft.pk})
    trial = CalculationRun.objects.get(is_trial=True)
    assert response.url == reverse("scoring_trials:detail", args=[trial.pk])
    page = text(client.get(response.url))
    assert "试算结果不会发布" in page and "名次上升" in page and "哪些指标带来了变化" in page
    assert "营业收入" in page and "两次计算的输入数据相同，差别全部来自方案" in page
    assert "用该方案发起正式计算" in page
    runs = text(client.get(reverse("scoring_runs:index")))
    assert "试算" in runs
    assert f"/admin/scoring/publication/{trial.pk}/" not in client.get("/admin/scoring/publication/").content.decode()
    # The real run's own page cannot be deleted through the trial's URL.
    assert client.post(reverse("scoring_trials:delete", args=[published.pk])).status_code == 404
    client.post(reverse("scoring_trials:delete", args=[trial.pk]))
    assert not CalculationRun.objects.filter(pk=trial.pk).exists()
    assert not EnterpriseResult.objects.filter(run_id=trial.pk).exists()


def test_only_scoring_admins_reach_the_trial_screens(client, batch, published, draft):
    client.force_login(make_reviewer())
    for url in (reverse("scoring_trials:index"), reverse("scoring_trials:start")):
        response = client.get(url)
        assert response.status_code in (302, 403)
    client.post(reverse("scoring_trials:start"), {"batch": batch.pk, "scheme": draft.pk})
    assert not CalculationRun.objects.filter(is_trial=True).exists()

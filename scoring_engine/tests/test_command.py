import pytest
from django.core.management import CommandError, call_command

from scoring_engine.default_scheme import NAME
from scoring_engine.models import CalculationRun

from .factories import make_scored_enterprise

pytestmark = pytest.mark.django_db


def test_run_scoring_with_the_default_scheme(batch, capsys):
    for revenue in ("800.00", "3000.00", "30000.00"):
        make_scored_enterprise(batch, {"revenue": revenue})
    call_command("run_scoring", "--batch", str(batch.pk))
    run = CalculationRun.objects.get()
    assert run.scheme.name == NAME and run.status == CalculationRun.Status.CALCULATED
    assert run.enterprise_count == 3 and run.started_by is None
    assert "计算完成" in capsys.readouterr().out
    assert sorted(run.results.values_list("stage", flat=True)) == ["growth", "mature", "startup"]


def test_run_scoring_with_a_named_scheme(batch, small_scheme):
    make_scored_enterprise(batch)
    call_command("run_scoring", "--batch", str(batch.pk), "--scheme", str(small_scheme.pk))
    assert CalculationRun.objects.get().scheme == small_scheme


def test_run_scoring_refuses_unknown_batch_and_scheme(batch):
    with pytest.raises(CommandError, match="没有编号为 999999 的填报批次"):
        call_command("run_scoring", "--batch", "999999")
    with pytest.raises(CommandError, match="积分方案"):
        call_command("run_scoring", "--batch", str(batch.pk), "--scheme", "999999")

import pytest

from enterprise_business.models import Enterprise
from scoring_engine import demo
from scoring_engine.models import CalculationRun

from .factories import make_batch

pytestmark = pytest.mark.django_db


def test_demo_builds_a_published_run_once():
    batch = make_batch(2024)
    messages = []
    demo.build(messages.append)
    run = CalculationRun.objects.get(batch=batch)
    assert run.status == CalculationRun.Status.FINAL and run.finalised_at and run.publicity_ends_on
    assert run.enterprise_count >= 30
    stages = set(run.results.values_list("stage", flat=True))
    assert stages == {"startup", "growth", "mature"}
    assert run.results.exclude(tier="").exists()
    # Idempotent: nothing new on the next `make run`.
    demo.build(messages.append)
    assert CalculationRun.objects.count() == 1
    assert Enterprise.objects.filter(credit_code__startswith="91210231MA1K").count() == demo.COUNT

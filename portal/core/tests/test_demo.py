"""Demo loading is the kernel's: every app's builders run in their declared order, and the
accounts they return are what the command prints."""

import pytest
from django.apps import apps

from portal.core import demo


def test_builders_run_in_declared_order_across_apps():
    declared = sorted((order, path) for config in apps.get_app_configs()
                      for order, path in getattr(config, "demo_builders", {}).items())
    paths = [path for _, path in declared]
    assert [f"{b.__module__}.{b.__name__}" for b in demo.builders()] == paths
    # The portal's pages come first; what needs a published scoring result comes after scoring.
    assert paths[0] == "home.demo.build.build"
    assert paths.index("scoring_engine.demo.build") < paths.index("finance_products.demo.build_applications")


def test_build_collects_every_builders_accounts_and_report_lines(monkeypatch):
    def staff(report):
        report("审核员已创建")
        return [("reviewer", "review12345", "审核员")]

    def pages(report):
        report("栏目已创建")

    monkeypatch.setattr(demo, "builders", lambda: [staff, pages])
    lines = []
    assert demo.build(lines.append) == [demo.Account("reviewer", "review12345", "审核员")]
    assert lines == ["审核员已创建", "栏目已创建"]


def test_an_app_naming_a_missing_builder_fails_loudly(monkeypatch):
    config = apps.get_app_config("notices")
    monkeypatch.setattr(config, "demo_builders", {21: "notices.demo.no_such_builder"}, raising=False)
    with pytest.raises(ImportError):
        demo.builders()

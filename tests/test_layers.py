"""The import layers hold: the kernel (portal/core) is used by every app and uses none of them,
and the home app — below the section apps that build on its article pages — imports no
section app and no domain app. Tests apart: a test may reach across layers."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ("enterprise_business", "finance_products", "scoring_engine")
SECTIONS = ("notices", "policies", "guides")
LAYERS = {
    "portal/core": (*DOMAIN, *SECTIONS, "home"),
    "home": (*DOMAIN, *SECTIONS),
}


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("package", LAYERS)
def test_no_module_imports_an_app_above_it(package):
    folder = ROOT / package
    offending = []
    for path in folder.rglob("*.py"):
        if "tests" in path.relative_to(folder).parts:
            continue
        for module in _imported_modules(path):
            if module.split(".")[0] in LAYERS[package]:
                offending.append(f"{path.relative_to(ROOT)}: {module}")
    assert offending == []


def test_the_check_sees_an_import_when_there_is_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from scoring_engine.models import Scheme\n", encoding="utf-8")
    assert list(_imported_modules(sample)) == ["scoring_engine.models"]

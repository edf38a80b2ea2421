"""The kernel is used by every app and uses none of them: no module of portal/core (its tests
apart) imports a domain app, the section apps or the home app."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
APPS = ("enterprise_business", "finance_products", "scoring_engine", "home", "notices", "policies", "guides")


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_kernel_module_imports_an_app():
    offending = []
    for path in CORE.rglob("*.py"):
        if "tests" in path.relative_to(CORE).parts:
            continue
        for module in _imported_modules(path):
            if module.split(".")[0] in APPS:
                offending.append(f"{path.relative_to(CORE)}: {module}")
    assert offending == []


def test_the_check_sees_an_import_when_there_is_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from scoring_engine.models import Scheme\n", encoding="utf-8")
    assert list(_imported_modules(sample)) == ["scoring_engine.models"]

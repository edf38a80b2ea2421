"""Headless Chromium for the browser tests, driven by Playwright against the live server.

The browser is Debian's chromium (`.ci/run` installs it); Playwright never downloads one.
Without it the tests are skipped on a developer's machine and fail in CI.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls, not async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install Debian's chromium.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = OUTPUT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed; `make test` installs it with npm.")
        pytest.skip("axe-core is not installed (npm ci); accessibility checks skipped.")
    return AXE_SCRIPT.read_text()


@pytest.fixture
def audit(axe_script):
    """Run axe-core on the page; return its serious and critical violations, readably."""

    def run(page):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern; a
        # <script> tag with the same content would be refused as an inline script.
        page.evaluate(f"() => {{ {axe_script}\n}}")
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        return [
            f"{v['impact']}: {v['id']} — {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]

    return run

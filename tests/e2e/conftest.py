"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
import shutil
import time

import pytest

CHROMIUM = os.environ.get("YICHUANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "var", "screenshots")

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


# ``browser`` (one Chromium per test module) is in tests/conftest.py: browser tests outside tests/e2e use it too,
# and a second sync_playwright() open at the same time in one process fails.


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(10_000)
    yield p
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    p = context.new_page()
    p.set_default_timeout(10_000)
    yield p
    context.close()


def wait_js(page, expression: str, *, timeout: int = 10_000) -> None:
    """page.wait_for_function(expression) for pages under the CSP: Playwright evaluates a string predicate with
    eval inside the page, which script-src (no 'unsafe-eval') refuses; page.evaluate is not subject to it."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


def screenshot(page, name: str) -> str:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.abspath(os.path.join(SCREENSHOTS, f"{name}.png"))
    page.screenshot(path=path, full_page=True)
    return path


def login(browser, url: str, username: str, password: str, *, timeout: int = 15_000):
    """A new browser context signed in as ``username`` through the login page; returns its page."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    p = ctx.new_page()
    p.set_default_timeout(timeout)
    p.goto(f"{url}/accounts/login/?next=/")
    p.fill("input[name=username]", username)
    p.fill("input[name=password]", password)
    p.click("button[type=submit]")
    p.wait_for_load_state()
    return p

import os

import pytest

os.environ.setdefault("YICHUANG_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
# With debug off (as the suite runs) nothing starts without a real secret key and field keys (core/checks.py); the
# suite's own, fixed and public — servers and commands it starts inherit them.
os.environ.setdefault("YICHUANG_SECRET_KEY", "test-suite-only-secret-key-not-for-any-installation-0123456789")
os.environ.setdefault("YICHUANG_FIELD_KEYS", "t1:" + "eWljaHVhbmcgdGVzdCBzdWl0ZSBmaWVsZCBrZXksIHB1YmxpYywgbmV2ZXIgZm9yIGFuIGluc3RhbGxhdGlvbg==")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_work_calendar():
    """The working-day cache is per process; a rolled-back test must not leak its calendar to the next."""
    from yichuang.workcal import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Django's cache (local memory in tests, or the Redis a test names) is shared state: each test starts empty,
    since ids come back after a rollback."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


# Without a CJK font (Debian's fonts-noto-cjk) no document can be rendered: a test that failed after the renderer
# refused for that reason is reported as skipped, with the package to install, instead of failed.
NO_CJK_FONT = "需要中文字体 needs a CJK font: apt-get install fonts-noto-cjk"


@pytest.fixture(autouse=True)
def _note_missing_cjk_font(request, monkeypatch):
    from yichuang.core.errors import ConflictError
    from yichuang.documents import pdf

    real = pdf.cjk_font

    def cjk_font():
        try:
            return real()
        except ConflictError as exc:
            if getattr(exc, "code", "") == "no_cjk_font":
                request.node.missing_cjk_font = True
            raise

    monkeypatch.setattr(pdf, "cjk_font", cjk_font)


# The longest files first, so that pytest-xdist (``--dist loadfile``: a file stays on one worker) does not end the
# run with one worker still on a long file while the other waits; within a file the order is unchanged.
LONG_FIRST = ("tests/security/test_fuzz_api.py", "tests/crawl/", "tests/security/test_access_matrix.py",
              "tests/sim/test_plan.py", "tests/e2e/", "tests/demo/", "tests/infra/", "tests/bundles/test_api_pages.py",
              "tests/security/")


def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return next((i for i, prefix in enumerate(LONG_FIRST) if path.startswith(prefix)), len(LONG_FIRST))

    items.sort(key=rank)  # stable


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    try:
        return (yield)
    except Exception:
        if getattr(item, "missing_cjk_font", False):
            pytest.skip(NO_CJK_FONT)
        raise


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (tests/e2e/conftest.py has the settings).

    Not one per process: Playwright's sync API keeps an event loop running in the main thread while it is open, and
    then every ``async_to_sync`` in that thread — Django's test client calling an async view, the board stream's
    tests — refuses to run. Under pytest-xdist a worker runs browser modules and others in turn."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

"""The six flagship guide pages of the demo centre in a browser, on a 390×844 phone and a 1920×1080 screen: they
render (no 500), show the national guide elements and the QR code, and never scroll sideways; so do the catalogue's
browse and search pages and the printable checklist. Screenshots go to var/screenshots/guide_*.png."""

import io

import pytest
from django.core.management import call_command

from yichuang.catalog.models import Matter

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

FLAGSHIPS = [("food", "食品经营许可"), ("company", "企业设立登记"), ("idcard", "居民身份证换领"),
             ("transfer", "国有建设用地使用权及房屋所有权转移登记"), ("pension", "基本养老保险关系转移接续"),
             ("fund", "住房公积金提取")]
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--no-serve", "--skip-migrate", stdout=io.StringIO())
    return {key: Matter.objects.get(name=name).implementation_code for key, name in FLAGSHIPS}


def _fits(p, what: str) -> None:
    overflow = p.evaluate(OVERFLOW)
    assert overflow <= 0, f"{what}: {overflow}px sideways overflow"
    wide = p.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    assert not wide, f"{what}: elements past the right edge: {wide}"


def _open_guide(p, url: str, name: str) -> None:
    response = p.goto(url)
    assert response.status == 200, (name, response.status)
    p.get_by_test_id("matter-name").wait_for()
    assert p.get_by_test_id("matter-name").inner_text() == name
    elements = p.get_by_test_id("guide-elements").inner_text()
    for label in ("办理地点", "办理时间", "咨询电话", "监督投诉方式", "特别程序"):
        assert label in elements, (name, label)
    assert p.evaluate("document.querySelector('[data-testid=guide-qr] img').naturalWidth") > 0, name


def test_flagship_guides_on_a_phone(live_server, phone, demo):
    for key, name in FLAGSHIPS:
        _open_guide(phone, f"{live_server.url}/matters/{demo[key]}/", name)
        for details in phone.locator("#checklist details").all()[:3]:
            details.locator("summary").click()  # the widest content: review points and samples opened
        _fits(phone, f"{name} (390px)")
        screenshot(phone, f"guide_{key}_phone")


def test_flagship_guides_on_a_desktop(live_server, page, demo):
    for key, name in FLAGSHIPS:
        _open_guide(page, f"{live_server.url}/matters/{demo[key]}/", name)
        _fits(page, f"{name} (1920px)")
        screenshot(page, f"guide_{key}_desktop")
    # The food licence's 空白样表 downloads from the page.
    page.goto(f"{live_server.url}/matters/{demo['food']}/")
    with page.expect_download() as dl:
        page.get_by_test_id("blank-application").click()
    assert dl.value.suggested_filename.endswith(".xlsx") and "空白样表" in dl.value.suggested_filename


def test_catalogue_browse_search_checklist_and_poster_on_a_phone(live_server, phone, demo):
    url = live_server.url
    phone.goto(f"{url}/matters/")
    assert "按分类浏览（共 87 个事项）" in phone.get_by_test_id("browse").inner_text()
    _fits(phone, "catalogue (390px)")
    screenshot(phone, "guide_catalogue_phone")
    phone.get_by_test_id("facet-audience").get_by_role("link", name="法人办事").click()
    assert "企业设立登记" in phone.get_by_test_id("results").inner_text()
    _fits(phone, "法人 browse (390px)")
    phone.goto(f"{url}/matters/?theme=company_start")
    assert "印章刻制备案" in phone.get_by_test_id("results").inner_text()
    phone.goto(f"{url}/matters/?q=开饭店")
    assert "食品经营许可" in phone.get_by_test_id("results").inner_text()
    _fits(phone, "search (390px)")
    screenshot(phone, "guide_search_phone")
    phone.goto(f"{url}/matters/?q=驾驶证")
    assert "不在本中心办理" in phone.get_by_test_id("results").inner_text()
    phone.goto(f"{url}/matters/{demo['food']}/checklist/print/?sit_apply_type=first&sit_agent=agent")
    _fits(phone, "printable checklist (390px)")
    screenshot(phone, "guide_checklist_print_phone")
    phone.goto(f"{url}/matters/{demo['food']}/poster/")
    phone.get_by_test_id("guide-poster").wait_for()
    _fits(phone, "展架 (390px)")
    screenshot(phone, "guide_poster_phone")

"""Every page a person uses fits the screen they use it on: staff pages at 1920×1080 signed in as the role that
works there, applicant pages at 390×844 (a phone). A page fails when it scrolls sideways
(``document.documentElement.scrollWidth > window.innerWidth``); the message names the widest elements past the
right edge. One demo centre is loaded for the whole run; screenshots go to var/screenshots/fit_*.png."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from yichuang.demo import org

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STAFF = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}

# The elements sticking out past the right edge that are not inside a box that scrolls or clips by itself,
# outermost first (the one to fix is usually the first or the last).
WIDEST = """() => {
  const w = window.innerWidth;
  const clipped = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && !clipped(el)) out.push([Math.round(r.right - w), name(el),
        (el.innerText || '').trim().slice(0, 30)]);
  }
  out.sort((a, b) => b[0] - a[0]);
  return out.slice(0, 6);
}"""


def _pages(d: dict) -> list[tuple[str, str, dict, str]]:
    """(name, role, viewport, path) of each page a person uses."""
    code = org.DEMO_CENTRE_CODE
    food, bundle = d["food"], d["bundle"]
    staff_case, own_case = d["staff_case"], d["own_case"]
    pages = [
        ("home", "anonymous", PHONE, "/"),
        ("matters", "anonymous", PHONE, "/matters/"),
        ("guide", "anonymous", PHONE, f"/matters/{food}/"),
        ("checklist", "anonymous", PHONE, f"/matters/{food}/checklist/"),
        ("progress", "anonymous", PHONE, "/cases/progress/"),
        ("appointments", "anonymous", PHONE, f"/hall/appointments/{code}/"),
        ("licence_verify", "anonymous", PHONE, "/licences/verify/"),
        ("document_verify", "anonymous", PHONE, "/documents/verify/"),
        ("login", "anonymous", PHONE, "/accounts/login/"),
        ("bundles", "applicant", PHONE, "/bundles/"),
        ("bundle_apply", "applicant", PHONE, f"/bundles/{bundle}/apply/"),
        ("bundle_progress", "anonymous", PHONE, "/bundles/progress/"),
        ("apply_pick", "applicant", PHONE, "/cases/apply/"),
        ("apply", "applicant", PHONE, f"/cases/apply/{food}/"),
        ("mine", "applicant", PHONE, "/cases/mine/"),
        ("kiosk", "anonymous", STAFF, f"/hall/kiosk/{code}/"),
        ("board", "anonymous", STAFF, f"/hall/board/{code}/"),
        ("console", "clerk", STAFF, "/hall/console/"),
        ("receive", "clerk", STAFF, "/cases/receive/"),
        ("inbox", "approver_scj", STAFF, "/cases/inbox/"),
        ("case", "approver_scj", STAFF, f"/cases/{staff_case}/"),
        ("case_documents", "clerk", STAFF, f"/documents/cases/{staff_case}/"),
        ("calendar", "admin", STAFF, "/calendar/"),
        ("licences", "issuer", STAFF, "/licences/"),
        ("supervision", "supervisor", STAFF, "/supervision/"),
        ("kpi", "supervisor", STAFF, "/supervision/kpi/"),
        ("complaints", "supervisor", STAFF, "/supervision/complaints/"),
        ("door", "supervisor", STAFF, "/supervision/door/"),
        ("messages", "approver_scj", STAFF, "/supervision/inbox/"),
        ("stats", "supervisor", STAFF, "/hall/stats/"),
        ("sim", "admin", STAFF, "/sim/"),
        ("bundles_staff", "clerk", STAFF, "/bundles/"),
        ("staff_guide", "clerk", STAFF, f"/matters/{food}/"),
    ]
    assert own_case, "the demo applicant has no case"
    pages += [("own_case", "applicant", PHONE, f"/cases/{own_case}/"),
              ("rate", "applicant", PHONE, f"/supervision/rate/case/{own_case}/")]
    return pages


@pytest.fixture
def demo(settings):
    from yichuang.bundles.models import Bundle
    from yichuang.cases.models import Case
    from yichuang.catalog.models import Matter

    settings.PASSWORD_HASHERS = FAST_HASHER
    call_command("demo", "--no-serve", "--skip-migrate", stdout=io.StringIO())
    from yichuang.accounts.models import User
    from yichuang.cases.selectors import cases_of_applicant

    own = next(iter(cases_of_applicant(user=User.objects.get(username="applicant"))), None)
    scj = Case.objects.filter(department__code="SCJ").order_by("number").first() or Case.objects.first()
    return {"food": Matter.objects.get(name="食品经营许可").implementation_code,
            "bundle": Bundle.objects.order_by("code").values_list("code", flat=True).first(),
            "staff_case": scj.number, "own_case": own.number if own else ""}


def _context(browser, live_server, role: str, viewport: dict):
    ctx = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport is PHONE)
    # The board's live stream would hold the test server (and SQLite's tables) past the test; the page's layout
    # does not need it.
    ctx.route("**/events", lambda route: route.abort())
    if role != "anonymous":
        client = Client()
        assert client.login(username=role, password=org.DEMO_PASSWORD), role
        cookie = client.cookies["sessionid"]
        ctx.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return ctx


def test_every_page_fits_its_screen(live_server, browser, demo):
    contexts: dict[tuple[str, str], object] = {}
    failures, checked = [], []
    try:
        for name, role, viewport, path in _pages(demo):
            key = (role, "phone" if viewport is PHONE else "staff")
            if key not in contexts:
                contexts[key] = _context(browser, live_server, role, viewport)
            p = contexts[key].pages[0] if contexts[key].pages else contexts[key].new_page()
            p.set_default_timeout(15_000)
            response = p.goto(f"{live_server.url}{path}", wait_until="load")
            if response is None or response.status >= 400:
                failures.append(f"{name} {path} as {role}: HTTP {response.status if response else '?'}")
                continue
            overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            shot = screenshot(p, f"fit_{name}")
            checked.append(name)
            if overflow > 0:
                failures.append(f"{name} {path} as {role} at {viewport['width']}px: {overflow}px sideways; widest "
                                f"{p.evaluate(WIDEST)} ({shot})")
    finally:
        for ctx in contexts.values():
            ctx.close()
    assert len(checked) >= 30, checked
    assert not failures, "\n".join(failures)

"""The kiosk (自助取号机) runs as a kiosk: its own frame without the site menu, login, API links or the site's
language form; an in-page 中文/English switch; the slip's QR code holds the address the server was reached at."""

import datetime as dt

import pytest
from django.utils import timezone

from yichuang.core.validators import id_number_check_char
from yichuang.hall import services
from yichuang.hall.models import Ticket

from .hall_world import build_hall
from .pagecheck import empties, visible_text

KIOSK = "/hall/kiosk/500107/"


@pytest.fixture
def world(db):
    w = build_hall()
    services.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    return w


def _no_site_frame(html: str) -> None:
    for leak in ('class="topbar"', "/api/v1/docs", "/accounts/login", "/i18n/setlang", "set_language",
                 'class="mainnav"', "/admin/"):
        assert leak not in html, leak


def test_the_kiosk_has_no_site_menu_and_big_buttons(client, world):
    html = client.get(KIOSK).content.decode()
    _no_site_frame(html)
    assert 'class="kiosk-btn"' in html and 'data-testid="domain-social"' in html and "暂无等候" in html
    assert empties(html) == []
    assert "窗口尚未开放" not in html


def test_the_kiosk_says_when_no_window_is_open(client, db):
    build_hall()
    assert "窗口尚未开放" in client.get(KIOSK).content.decode()


def test_the_language_switch_stays_in_the_kiosk(client, world):
    html = client.get(KIOSK).content.decode()
    assert 'href="?large=0&amp;lang=en"' in html
    en = client.get(KIOSK, {"lang": "en"}).content.decode()
    assert 'lang="en"' in en and "Take a number" in en and 'href="?large=0&amp;lang=zh"' in en
    _no_site_frame(en)
    # the switch lasts through a ticket: the slip comes in English too, and the error of a bad ID number
    r = client.post(KIOSK, {"domain": world["social"].pk, "lang": "en", "id_number": "110105194912310021"})
    assert r.status_code == 400 and "check digit" in r.content.decode() and "校验位" not in visible_text(r.content)
    r = client.post(KIOSK, {"domain": world["social"].pk, "lang": "en", "large": "1"})
    assert r.status_code == 302 and "lang=en" in r["Location"] and "large=1" in r["Location"]
    # the page after the switch is still Chinese by default for the next person
    assert "自助取号" in client.get(KIOSK).content.decode()


def test_the_slip_prints_without_the_site_menu_and_its_qr_holds_the_real_address(client, world, settings):
    settings.ALLOWED_HOSTS = ["hall.example.cn", "testserver"]
    r = client.post(KIOSK, {"domain": world["social"].pk}, HTTP_HOST="hall.example.cn:8103")
    assert r.status_code == 302
    slip = client.get(r["Location"], HTTP_HOST="hall.example.cn:8103").content.decode()
    ticket = Ticket.objects.get()
    _no_site_frame(slip)
    assert f'data-url="http://hall.example.cn:8103/hall/tickets/{ticket.pk}/"' in slip
    assert "<svg" in slip and "A001" in slip and "前面还有 0 人" in slip
    assert 'data-testid="slip-back"' in slip  # back to the kiosk for the next person
    assert empties(slip) == [] and "Waiting" not in slip and "Normal" not in slip
    # scanned on a phone: no way back to the kiosk, the page refreshes itself while waiting
    phone = client.get(f"/hall/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="slip-back"' not in phone and 'http-equiv="refresh"' in phone


def test_a_called_ticket_says_where_to_go_not_how_many_are_ahead(client, world):
    t = services.ticket_issue(centre=world["centre"], domain=world["social"])
    world["window"].refresh_from_db()
    services.ticket_call_next(window=world["window"], clerk=world["clerk"])
    slip = client.get(f"/hall/tickets/{t.pk}/").content.decode()
    assert "请到 1 号窗口" in slip and "前面还有" not in slip and "已叫号" in slip


def test_an_appointment_checks_in_at_the_kiosk(client, world):
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    if start.date() != now.date():
        pytest.skip("too close to midnight for a same-day slot")
    end = min(start + dt.timedelta(minutes=30), start.replace(hour=23, minute=59))
    slot = services.slot_create(centre=world["centre"], domain=world["social"], date=start.date(),
                                start=start.time(), end=end.time(), capacity=2)
    first17 = "50010719800101001"
    idn = first17 + id_number_check_char(first17)
    appt = services.appointment_book(slot=slot, name="张三", id_number=idn)
    r = client.post(KIOSK, {"action": "check_in", "code": appt.code, "appt_id": "wrong"})
    html = r.content.decode()
    assert r.status_code == 400 and "预约码或身份证号不正确" in html and f'value="{appt.code}"' in html
    assert "<details class=\"kiosk-checkin\" open" in html
    r = client.post(KIOSK, {"action": "check_in", "code": appt.code.lower(), "appt_id": idn})
    assert r.status_code == 302, visible_text(r.content)
    appt.refresh_from_db()
    assert appt.state == "checked_in" and appt.ticket.source == "appointment"

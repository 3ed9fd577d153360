import pytest
from asgiref.sync import async_to_sync

from yichuang.hall import services as hall
from yichuang.hall.models import Ticket
from yichuang.hall.views import board_stream

from .hall_world import build_hall


def collect(stream) -> list[str]:
    """Every chunk of an asynchronous board stream, read to its end."""
    async def read():
        return [chunk async for chunk in stream]
    return async_to_sync(read)()


@pytest.fixture
def world(db):
    return build_hall()


def test_kiosk_refuses_when_no_window_is_open(client, world):
    r = client.post("/hall/kiosk/500107/", {"domain": world["social"].pk})
    assert r.status_code == 400 and "没有开放的窗口" in r.content.decode()


def test_kiosk_issues_and_shows_the_slip(client, world):
    hall.clerk_sign_in(window=world["window"], clerk=world["clerk"])
    assert "社会事务" in client.get("/hall/kiosk/500107/?large=1").content.decode()
    r = client.post("/hall/kiosk/500107/", {"domain": world["social"].pk})
    assert r.status_code == 302
    slip = client.get(r["Location"]).content.decode()
    assert "A001" in slip and "预计等候" in slip


def test_kiosk_wrong_check_digit_keeps_input(client, world):
    hall.clerk_sign_in(window=world["window"], clerk=world["clerk"])
    r = client.post("/hall/kiosk/500107/", {"domain": world["social"].pk, "id_number": "110105194912310021"})
    html = r.content.decode()
    assert r.status_code == 400 and "校验位错误" in html and "110105194912310021" in html
    assert Ticket.objects.count() == 0


def test_console_flow_and_messages(client, world):
    client.force_login(world["clerk"])
    assert "选择窗口" in client.get("/hall/console/").content.decode()
    client.post("/hall/console/action/", {"action": "sign_in", "window": world["window"].pk})
    t = hall.ticket_issue(centre=world["centre"], domain=world["social"])
    r = client.post("/hall/console/action/", {"action": "call_next"}, follow=True)
    assert "请 A001 号到 1 号窗口办理" in r.content.decode()
    for _ in range(3):
        client.post("/hall/console/action/", {"action": "recall", "ticket": t.pk})
    r = client.post("/hall/console/action/", {"action": "recall", "ticket": t.pk}, follow=True)
    assert "重呼" in r.content.decode() and r.status_code == 200
    r = client.post("/hall/console/action/", {"action": "finish", "ticket": t.pk}, follow=True)
    t.refresh_from_db()
    assert t.state == "done"
    r = client.post("/hall/console/action/", {"action": "call_next"}, follow=True)
    assert "没有" in r.content.decode()


def test_console_finish_and_call_next(client, world):
    client.force_login(world["clerk"])
    client.post("/hall/console/action/", {"action": "sign_in", "window": world["window"].pk})
    t1 = hall.ticket_issue(centre=world["centre"], domain=world["social"])
    t2 = hall.ticket_issue(centre=world["centre"], domain=world["social"])
    client.post("/hall/console/action/", {"action": "call_next"})
    assert 'data-testid="finish-next"' in client.get("/hall/console/").content.decode()
    r = client.post("/hall/console/action/", {"action": "finish_next", "ticket": t1.pk}, follow=True)
    assert "请 A002 号到 1 号窗口办理" in r.content.decode()
    t1.refresh_from_db(), t2.refresh_from_db()
    assert (t1.state, t2.state) == ("done", "called")
    r = client.post("/hall/console/action/", {"action": "finish_next", "ticket": t2.pk}, follow=True)
    t2.refresh_from_db()
    assert t2.state == "done" and "当前没有您可办理的等候号" in r.content.decode()


def test_clerk_without_skills_gets_a_clear_message(client, world):
    client.force_login(world["noskill"])
    r = client.post("/hall/console/action/", {"action": "sign_in", "window": world["window"].pk}, follow=True)
    assert "技能" in r.content.decode()


def test_console_and_stats_are_role_guarded(client, world):
    assert client.get("/hall/console/").status_code == 302
    client.force_login(world["supervisor"])
    assert client.get("/hall/console/").status_code == 403
    assert client.get("/hall/stats/?by=window").status_code == 200
    client.force_login(world["clerk"])
    assert client.get("/hall/stats/").status_code == 403


def test_board_page_and_stream(transactional_db, client, world):  # committed: the stream reads in its own thread
    hall.clerk_sign_in(window=world["window"], clerk=world["clerk"])
    t = hall.ticket_issue(centre=world["centre"], domain=world["social"])
    hall.ticket_call_next(window=world["window"], clerk=world["clerk"])
    assert "请 A001 号到 1 号窗口办理" in client.get("/hall/board/500107/").content.decode()
    chunks = collect(board_stream(world["centre"], seconds=0.2, poll=0.05))
    assert any('"number": "A001"' in c and '"window": "1"' in c for c in chunks), chunks
    assert t.number == "A001"


def test_kiosk_takes_a_number_for_a_matter_found_by_name_or_pinyin(client, world):
    from yichuang.catalog.services import matter_save

    matter = matter_save(spec={"implementation_code": "GA-HJ-01", "name": "户籍迁移登记", "department": "GA",
                               "domain": "social", "matter_type": "confirmation", "legal_limit_days": 5,
                               "promised_limit_days": 1})
    hall.clerk_sign_in(window=world["window"], clerk=world["clerk"])
    for q in ("户籍迁移", "hujiqianyi", "hjqy"):
        html = client.get("/hall/kiosk/500107/", {"q": q}).content.decode()
        assert 'data-testid="matter-GA-HJ-01"' in html and "户籍迁移登记" in html, q
    assert "没有找到匹配的事项" in client.get("/hall/kiosk/500107/", {"q": "不存在的事项"}).content.decode()
    r = client.post("/hall/kiosk/500107/", {"matter": matter.pk, "q": "hjqy"})
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.matter_id == matter.pk and ticket.domain_id == world["social"].pk and ticket.number == "A001"
    # neither a domain nor a matter: a clear message, no ticket
    r = client.post("/hall/kiosk/500107/", {"matter": "999999"})
    assert r.status_code == 400 and "请选择要办理的业务领域或事项" in r.content.decode()


def test_stats_page_names_windows_and_clerks_and_reads_imported_waits(client, world):
    import datetime as dt

    from django.utils import timezone

    from yichuang.hall import selectors
    from yichuang.hall.models import TicketEvent

    from .pagecheck import empties

    hall.clerk_sign_in(window=world["window"], clerk=world["clerk"])
    world["window"].refresh_from_db()
    t = hall.ticket_issue(centre=world["centre"], domain=world["social"])
    hall.ticket_call_next(window=world["window"], clerk=world["clerk"])
    hall.ticket_finish(window=world["window"], clerk=world["clerk"], ticket=t)
    # an imported call: no window, no wait recorded — its wait is read from the ticket's issue time
    day = timezone.localdate()
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
    old = Ticket.objects.create(centre=world["centre"], domain=world["social"], day=day, seq=99, number="A099",
                                issued_at=at, queued_at=at, state="done")
    TicketEvent.objects.create(ticket=old, centre_id=old.centre_id, kind="called", at=at + dt.timedelta(minutes=12))
    rows = {r["key"]: r for r in selectors.hall_stats(centre_id=world["centre"].pk, day=day, by="clerk")}
    assert "李晓燕" in rows and rows["—"]["mean_wait_minutes"] == 12.0
    client.force_login(world["supervisor"])
    for by in ("domain", "window", "clerk", "nonsense"):
        r = client.get("/hall/stats/", {"by": by})
        html = r.content.decode()
        assert r.status_code == 200 and empties(html) == [], by
    html = client.get("/hall/stats/", {"by": "window"}).content.decode()
    assert "1 号窗口" in html and "未记录" in html
    r = client.get("/hall/stats/", {"day": "2026-13-45"}, follow=True)
    assert r.status_code == 200 and "日期格式应为" in r.content.decode()


def test_console_without_windows_says_so(client, db):
    from yichuang.accounts.services import centre_create, user_create

    centre = centre_create(code="500108", name="空中心", level="county")
    clerk = user_create(username="lonely", password="pw-123456789", role="clerk", centre=centre)
    client.force_login(clerk)
    html = client.get("/hall/console/").content.decode()
    assert 'data-testid="no-windows"' in html

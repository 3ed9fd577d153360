"""The display board (叫号显示屏): only today's calls, never a "None" window, a recall and a re-called 过号 announced
again, empty queues said as 暂无等候 — at selector level, on the page and in its event stream."""

import datetime as dt
import json

from asgiref.sync import async_to_sync
from django.utils import timezone

from yichuang.accounts.services import centre_create
from yichuang.hall import selectors, services
from yichuang.hall.constants import EventKind
from yichuang.hall.models import Ticket, TicketEvent
from yichuang.hall.views import board_stream

from .hall_world import build_hall
from .pagecheck import empties


def collect(stream) -> list[str]:
    """Every chunk of an asynchronous board stream, read to its end."""
    async def read():
        return [chunk async for chunk in stream]
    return async_to_sync(read)()


def _world(db):
    w = build_hall()
    services.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    w["window"].refresh_from_db()
    return w


def _imported_call(ticket: Ticket, at: dt.datetime, *, window=None) -> TicketEvent:
    """A call as the demo history and imports write it: a bulk row, possibly without a window."""
    return TicketEvent.objects.create(ticket=ticket, centre_id=ticket.centre_id, kind=EventKind.CALLED, at=at, window=window)


def _ticket(w, day: dt.date, seq: int) -> Ticket:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return Ticket.objects.create(centre=w["centre"], domain=w["social"], day=day, seq=seq, number=f"A{seq:03d}",
                                 issued_at=at, queued_at=at, state="done")


def test_a_call_without_a_window_is_left_out_not_shown_as_none(db, client):
    w = _world(db)
    today = timezone.localdate()
    _imported_call(_ticket(w, today, 901), timezone.now())
    assert selectors.board_recent_calls(centre_id=w["centre"].pk) == []
    html = client.get("/hall/board/500107/").content.decode()
    assert empties(html) == []
    assert "欢迎光临" in html and "今日暂无呼叫" in html


def test_only_todays_calls_in_the_centres_time_zone(db, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    w = _world(db)
    today = timezone.localdate()
    start, _ = selectors.day_bounds(today)
    # 00:01 today in Shanghai is 16:01 UTC yesterday; 23:59 yesterday in Shanghai is 15:59 UTC yesterday
    _imported_call(_ticket(w, today, 801), start + dt.timedelta(minutes=1), window=w["window"])
    _imported_call(_ticket(w, today - dt.timedelta(days=1), 802), start - dt.timedelta(minutes=1), window=w["window"])
    rows = selectors.board_recent_calls(centre_id=w["centre"].pk)
    assert [r["number"] for r in rows] == ["A801"]
    assert rows[0]["window"] == "1" and rows[0]["text"] == "请 A801 号到 1 号窗口办理"
    # the day asked for is the one shown
    assert [r["number"] for r in selectors.board_recent_calls(centre_id=w["centre"].pk,
                                                              day=today - dt.timedelta(days=1))] == ["A802"]


def test_a_recall_and_a_recalled_no_show_are_new_announcements(db):
    w = _world(db)
    c, win, clerk = w["centre"], w["window"], w["clerk"]
    t = services.ticket_issue(centre=c, domain=w["social"])
    services.ticket_call_next(window=win, clerk=clerk)
    first = selectors.board_snapshot(centre_id=c.pk)["latest"]
    assert (first["number"], first["window"], first["kind"]) == ("A001", "1", "called")

    services.ticket_recall(window=win, clerk=clerk, ticket=t)
    recall = selectors.board_snapshot(centre_id=c.pk)
    assert recall["latest"]["id"] > first["id"] and recall["latest"]["kind"] == "recalled"
    assert recall["latest"]["text"] == first["text"]          # same words, said again
    assert [r["number"] for r in recall["calls"]] == ["A001"]  # one row a ticket, marked 重呼
    assert recall["calls"][0]["kind_label"] == "重呼"

    services.ticket_no_show(window=win, clerk=clerk, ticket=t)  # 过号 → back in the queue once
    t.refresh_from_db()
    assert t.state == "waiting"
    services.ticket_call_next(window=win, clerk=clerk)
    again = selectors.board_snapshot(centre_id=c.pk)["latest"]
    assert again["id"] > recall["latest"]["id"] and again["kind"] == "called" and again["number"] == "A001"


def test_empty_queues_say_none_waiting_on_the_page(db, client):
    w = _world(db)
    queues = selectors.queue_board(centre_id=w["centre"].pk)
    assert sorted((q["domain"], q["waiting"]) for q in queues) == [("企业事务", 0), ("社会事务", 0)]
    html = client.get("/hall/board/500107/").content.decode()
    assert html.count("暂无等候") >= 2 and 'data-testid="board-queues"' in html
    services.ticket_issue(centre=w["centre"], domain=w["social"])
    queues = selectors.queue_board(centre_id=w["centre"].pk)
    assert sorted((q["domain"], q["waiting"]) for q in queues) == [("企业事务", 0), ("社会事务", 1)]


def test_the_stream_sends_each_recall_as_a_new_latest_call(transactional_db):
    """Committed data: on PostgreSQL the stream reads in the listener's own thread (its own connection)."""
    w = _world(transactional_db)
    t = services.ticket_issue(centre=w["centre"], domain=w["social"])
    services.ticket_call_next(window=w["window"], clerk=w["clerk"])
    services.ticket_recall(window=w["window"], clerk=w["clerk"], ticket=t)
    chunks = [c for c in collect(board_stream(w["centre"], seconds=0.2, poll=0.05)) if c.startswith("event: board")]
    payload = json.loads(chunks[0].split("data: ", 1)[1])
    assert payload["latest"]["kind"] == "recalled" and payload["latest"]["window"] == "1"
    assert payload["day"] == timezone.localdate().isoformat()
    assert all(q["waiting"] == 0 for q in payload["queues"]) and len(payload["queues"]) == 2
    assert "null" not in chunks[0] and "None" not in chunks[0]


def test_every_event_carries_its_tickets_centre_and_the_board_reads_by_it(db):
    """The board's calls come from the events of its own centre (``TicketEvent.centre``, copied when the event is
    written), not from another centre's."""
    w = _world(db)
    other = services.window_create(actor=None, centre=w["centre"], number="2", area="综合受理区")
    assert other  # a second window of the same centre
    t = services.ticket_issue(centre=w["centre"], domain=w["social"], source="kiosk")
    services.ticket_call_next(window=w["window"], clerk=w["clerk"])
    services.ticket_finish(window=w["window"], clerk=w["clerk"], ticket=t.pk)
    kinds = list(TicketEvent.objects.filter(ticket=t).values_list("kind", "centre_id"))
    assert {k for k, _c in kinds} >= {"issued", "called", "finished"}
    assert {c for _k, c in kinds} == {w["centre"].pk}
    elsewhere = centre_create(code="500153", name="荣昌区政务服务中心", level="county")
    assert selectors.board_recent_calls(centre_id=elsewhere.pk) == []
    assert [c["number"] for c in selectors.board_recent_calls(centre_id=w["centre"].pk)] == [t.number]

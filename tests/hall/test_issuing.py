"""Taking a number: the one-statement path on PostgreSQL (hall.issuing) against the ORM path, and the refusals."""

import datetime as dt

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yichuang.core.errors import NotFound, ValidationFailed
from yichuang.hall import services
from yichuang.hall.constants import PriorityClass, TicketSource
from yichuang.hall.models import DailySequence, Ticket, TicketEvent

from .conftest import make_id

pg_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the one-statement path is PostgreSQL's")

_COMPARED = ["centre_id", "domain_id", "matter_id", "day", "priority", "priority_reason", "source", "id_number",
             "state", "window_id", "target_window_id", "clerk_id", "called_at", "recall_count", "requeue_count",
             "case_numbers"]


def _world(open_hall):
    h = open_hall
    cb = h.clerk(domains=[h.b], matters=[h.matter])
    h.window(number="2", window_type="domain", domains=[h.b], clerk_user=cb)
    return h


def _event(ticket):
    ev = TicketEvent.objects.get(ticket=ticket)
    return ev.kind, ev.at, ev.window_id, ev.clerk_id, ev.data


@pg_only
def test_the_statement_issues_what_the_orm_path_issues(open_hall):
    h = _world(open_hall)
    staff = h.clerk(role="guide")
    elderly = make_id(dt.date.today() - dt.timedelta(days=365 * 75))
    cases = [dict(domain=h.a), dict(domain=h.b), dict(domain=h.a, matter=h.matter),
             dict(domain=h.a, id_number=elderly), dict(domain=h.b, id_number=make_id(dt.date(1990, 5, 1))),
             dict(domain=h.b, source=TicketSource.STAFF, priority_reason="残疾人", actor=staff),
             dict(domain=h.a, appointment_due=True)]
    numbers = []
    for i, kw in enumerate(cases):
        now = h.now + dt.timedelta(seconds=i)
        fast = services.ticket_issue(centre=h.centre.pk, now=now, **{k: (v.pk if k in ("domain", "matter") else v)
                                                                     for k, v in kw.items()})
        orm = services._ticket_issue_orm(
            centre=h.centre, domain=kw["domain"], matter=kw.get("matter"), id_number=kw.get("id_number", ""),
            source=kw.get("source", TicketSource.KIOSK), priority_reason=kw.get("priority_reason", ""),
            priority=fast.priority, clerk=kw.get("actor"), now=now)
        for t in (fast, orm):
            stored = Ticket.objects.get(pk=t.pk)
            assert [getattr(t, f) for f in _COMPARED] == [getattr(stored, f) for f in _COMPARED]
            assert (t.number, t.seq, t.issued_at, t.queued_at) == (stored.number, stored.seq, now, now)
        assert [getattr(fast, f) for f in _COMPARED] == [getattr(orm, f) for f in _COMPARED]
        assert fast.domain.name == kw["domain"].name and fast.seq + 1 == orm.seq
        assert _event(fast)[:4] == _event(orm)[:4] and _event(fast)[4] == _event(orm)[4]
        assert fast.windows_able == orm.windows_able == services.windows_able_count(
            centre_id=h.centre.pk, domain_id=kw["domain"].pk, matter_id=kw["matter"].pk if "matter" in kw else None)
        # The statement's count of people ahead is the slip's count.
        counted = services.ticket_estimated_wait(ticket=Ticket.objects.get(pk=fast.pk))
        assert services.ticket_estimated_wait(ticket=fast) == counted
        numbers += [fast.number, orm.number]
    assert numbers[:4] == ["A001", "A002", "B001", "B002"]
    assert [t.priority for t in Ticket.objects.order_by("id")][6::2] == [PriorityClass.ELDERLY, PriorityClass.NORMAL,
                                                                         PriorityClass.PRIORITY,
                                                                         PriorityClass.APPOINTMENT]


@pg_only
def test_a_ticket_is_one_statement(open_hall):
    h = open_hall
    services.ticket_estimated_wait(ticket=services.ticket_issue(centre=h.centre, domain=h.a))  # warm the caches
    with CaptureQueriesContext(connection) as ctx:
        t = services.ticket_issue(centre=h.centre.pk, domain=h.a.pk)
        est = services.ticket_estimated_wait(ticket=t)
    # Inside the test's transaction the statement runs in a savepoint; a kiosk request runs it in autocommit.
    sent = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(sent) == 1 and sent[0].startswith("WITH c AS"), sent
    assert (t.number, est["ahead"], est["windows"]) == ("A002", 1, 1)


def _counts():
    return Ticket.objects.count(), TicketEvent.objects.count(), list(DailySequence.objects.values_list("last"))


@pytest.mark.parametrize("what", ["centre", "domain", "matter"])
def test_unknown_ids_are_not_found_and_write_nothing(open_hall, what):
    h = open_hall
    services.ticket_issue(centre=h.centre, domain=h.a)
    before = _counts()
    kw = {"centre": h.centre.pk, "domain": h.a.pk, "matter": h.matter.pk, what: 987654}
    with pytest.raises(NotFound) as e:
        services.ticket_issue(**kw)
    label = {"centre": "中心", "domain": "办事领域", "matter": "事项"}[what]
    assert e.value.message == f"找不到该{label}。" and e.value.status == 404
    assert _counts() == before


def test_a_matter_of_another_domain_and_a_domain_nobody_serves_are_refused(hall):
    h = hall
    c = h.clerk(domains=[h.a])
    h.window(number="1", window_type="domain", domains=[h.a], clerk_user=c)
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        services.ticket_issue(centre=h.centre.pk, domain=h.b.pk, matter=h.matter.pk)
    assert e.value.field == "matter" and "婚姻登记" in e.value.message and "企业事务" in e.value.message
    with pytest.raises(ValidationFailed) as e:
        services.ticket_issue(centre=h.centre.pk, domain=h.b.pk)
    assert e.value.code == "no_open_window" and "企业事务" in e.value.message
    assert _counts() == before
    assert services.ticket_issue(centre=h.centre.pk, domain=h.a.pk, matter=h.matter.pk).number == "A001"


def test_numbers_past_999_keep_every_digit(open_hall):
    h = open_hall
    DailySequence.objects.create(centre=h.centre, domain=h.a, day=timezone.localdate(h.now), last=998)
    nums = [services.ticket_issue(centre=h.centre, domain=h.a, now=h.now).number for _ in range(2)]
    assert nums == ["A999", "A1000"]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_issuing_tells_the_display_boards(open_hall):
    h = open_hall
    dsn = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in dsn.items() if k != "cursor_factory"}, autocommit=True) as listener:
        listener.execute(f"LISTEN hall_{h.centre.pk}")
        t = services.ticket_issue(centre=h.centre.pk, domain=h.a.pk)
        got = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
    assert len(got) == 1 and '"issued"' in got[0] and f'"{t.number}"' in got[0]

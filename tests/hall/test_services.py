import datetime as dt

import pytest
from django.utils import timezone

from yichuang.core.errors import ConflictError, NotFound, ValidationFailed
from yichuang.hall import selectors, services
from yichuang.hall.constants import DEFAULT_SERVICE_MINUTES, AppointmentState, EventKind, PriorityClass, TicketState
from yichuang.hall.models import Ticket, TicketEvent

from .conftest import make_id


def test_numbering_and_daily_reset(open_hall):
    h = open_hall
    t1 = services.ticket_issue(centre=h.centre, domain=h.a)
    t2 = services.ticket_issue(centre=h.centre, domain=h.a)
    b1 = services.ticket_issue(centre=h.centre, domain=h.b)
    assert (t1.number, t2.number, b1.number) == ("A001", "A002", "B001")
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert services.ticket_issue(centre=h.centre, domain=h.a, now=tomorrow).number == "A001"


def test_elderly_from_id_number(open_hall):
    h = open_hall
    today = timezone.localdate()
    old = services.ticket_issue(centre=h.centre, domain=h.a, id_number=make_id(today.replace(year=today.year - 75)))
    young = services.ticket_issue(centre=h.centre, domain=h.a, id_number=make_id(dt.date(1990, 5, 1)))
    prio = services.ticket_issue(centre=h.centre, domain=h.a, priority_reason="残疾人")
    assert old.priority == PriorityClass.ELDERLY
    assert young.priority == PriorityClass.NORMAL
    assert prio.priority == PriorityClass.PRIORITY
    # the elderly ticket is called first although issued first anyway; issue a normal one before another elderly
    first = services.ticket_call_next(window=h.w1, clerk=h.c1)
    assert first.pk == old.pk


def test_bad_check_digit(open_hall):
    with pytest.raises(ValidationFailed, match="校验位错误"):
        services.ticket_issue(centre=open_hall.centre, domain=open_hall.a,
                              id_number=make_id(dt.date(1990, 1, 1), wrong_check=True))


def test_no_open_window_for_domain(hall):
    c = hall.clerk(domains=[hall.a])
    hall.window(number="1", clerk_user=c)
    with pytest.raises(ValidationFailed, match="当前没有开放的窗口可以办理“企业事务”"):
        services.ticket_issue(centre=hall.centre, domain=hall.b)
    # paused windows do not count either
    services.ticket_issue(centre=hall.centre, domain=hall.a)


def test_clerk_without_skill_cannot_sign_in(hall):
    w = hall.window(number="1")
    with pytest.raises(ValidationFailed, match="该窗口人员未配置任何业务技能"):
        services.clerk_sign_in(window=w, clerk=hall.clerk())
    w2 = hall.window(number="2", window_type="domain", domains=[hall.b])
    with pytest.raises(ValidationFailed, match="没有交集"):
        services.clerk_sign_in(window=w2, clerk=hall.clerk(domains=[hall.a]))


def test_window_without_skill_for_waiting_domain(open_hall):
    h = open_hall
    services.ticket_issue(centre=h.centre, domain=h.b)
    c2 = h.clerk(domains=[h.a])
    w2 = h.window(number="2", clerk_user=c2)
    with pytest.raises(ValidationFailed, match="不能办理任何正在等候的领域（企业事务）"):
        services.ticket_call_next(window=w2, clerk=c2)
    services.ticket_call_next(window=h.w1, clerk=h.c1)
    with pytest.raises(NotFound, match="当前没有您可办理的等候号"):
        services.ticket_call_next(window=w2, clerk=c2)


def test_department_window_serves_its_matters_only(hall):
    c = hall.clerk(matters=[hall.matter])
    w = hall.window(number="9", window_type="department", department=hall.dept, clerk_user=c)
    with pytest.raises(ValidationFailed, match="当前没有开放的窗口"):  # the whole domain: nobody serves it
        services.ticket_issue(centre=hall.centre, domain=hall.a)
    with_matter = services.ticket_issue(centre=hall.centre, domain=hall.a, matter=hall.matter)
    assert services.ticket_call_next(window=w, clerk=c).pk == with_matter.pk


def test_recall_limit_and_no_show_requeue_once(open_hall):
    h = open_hall
    t = services.ticket_issue(centre=h.centre, domain=h.a)
    later = services.ticket_issue(centre=h.centre, domain=h.a)
    t = services.ticket_call_next(window=h.w1, clerk=h.c1)
    for _ in range(3):
        services.ticket_recall(window=h.w1, clerk=h.c1, ticket=t)
    with pytest.raises(ValidationFailed, match="达到上限3次"):
        services.ticket_recall(window=h.w1, clerk=h.c1, ticket=t)
    issued = t.issued_at
    t = services.ticket_no_show(window=h.w1, clerk=h.c1, ticket=t)
    assert t.state == TicketState.WAITING and t.requeue_count == 1 and t.issued_at == issued
    # back of the queue: the later ticket is called first
    assert services.ticket_call_next(window=h.w1, clerk=h.c1).pk == later.pk
    services.ticket_finish(window=h.w1, clerk=h.c1, ticket=later)
    again = services.ticket_call_next(window=h.w1, clerk=h.c1)
    assert again.pk == t.pk
    final = services.ticket_no_show(window=h.w1, clerk=h.c1, ticket=again)
    assert final.state == TicketState.NO_SHOW


def test_transfer_keeps_issued_at(open_hall):
    h = open_hall
    c2 = h.clerk(domains=[h.b])
    w2 = h.window(number="2", window_type="domain", domains=[h.b], clerk_user=c2)
    t = services.ticket_issue(centre=h.centre, domain=h.a)
    t = services.ticket_call_next(window=h.w1, clerk=h.c1)
    moved = services.ticket_transfer(window=h.w1, clerk=h.c1, ticket=t, to_domain=h.b)
    assert moved.state == TicketState.WAITING and moved.issued_at == t.issued_at and moved.domain_id == h.b.pk
    assert services.ticket_call_next(window=w2, clerk=c2).pk == t.pk


def test_one_active_ticket_per_window_and_full_flow_events(open_hall):
    h = open_hall
    t = services.ticket_issue(centre=h.centre, domain=h.a)
    services.ticket_issue(centre=h.centre, domain=h.a)
    services.ticket_call_next(window=h.w1, clerk=h.c1)
    with pytest.raises(ConflictError, match="仍有未结束的号"):
        services.ticket_call_next(window=h.w1, clerk=h.c1)
    services.ticket_start_service(window=h.w1, clerk=h.c1, ticket=t)
    services.ticket_link_case(window=h.w1, clerk=h.c1, ticket=t, case_number="YC20261123000001")
    services.ticket_finish(window=h.w1, clerk=h.c1, ticket=t)
    kinds = list(TicketEvent.objects.filter(ticket=t).values_list("kind", flat=True))
    assert kinds == [EventKind.ISSUED, EventKind.CALLED, EventKind.STARTED, EventKind.CASE_LINKED, EventKind.FINISHED]
    stats = selectors.hall_stats(centre_id=h.centre.pk, day=t.day, by="domain")
    assert stats[0]["key"] == "社会事务" and stats[0]["called"] == 1 and stats[0]["finished"] == 1
    by_clerk = selectors.hall_stats(centre_id=h.centre.pk, day=t.day, by="clerk")
    assert by_clerk[0]["key"] == h.c1.display_name  # a clerk by name, as people read it


def test_paused_window_cannot_call(open_hall):
    h = open_hall
    services.ticket_issue(centre=h.centre, domain=h.a)
    services.window_set_state(window=h.w1, actor=h.c1, state="paused")
    h.w1.refresh_from_db()
    with pytest.raises(ConflictError, match="未开放"):
        services.ticket_call_next(window=h.w1, clerk=h.c1)


def test_close_day(open_hall):
    h = open_hall
    yesterday = timezone.now() - dt.timedelta(days=1)
    old = services.ticket_issue(centre=h.centre, domain=h.a, now=yesterday)
    new = services.ticket_issue(centre=h.centre, domain=h.a)
    assert services.hall_close_day() == 1
    assert Ticket.objects.get(pk=old.pk).state == TicketState.CLOSED
    assert Ticket.objects.get(pk=new.pk).state == TicketState.WAITING
    assert TicketEvent.objects.filter(ticket=old, kind=EventKind.CLOSED).count() == 1


def test_estimated_wait(open_hall):
    h = open_hall
    services.ticket_issue(centre=h.centre, domain=h.a)
    t2 = services.ticket_issue(centre=h.centre, domain=h.a)
    est = services.ticket_estimated_wait(ticket=t2)
    assert est == {"ahead": 1, "ahead_label": "1", "windows": 1, "minutes": 8}


def test_mean_service_time_is_kept_for_the_period(open_hall, settings):
    h = open_hall
    assert services.mean_service_minutes(centre_id=h.centre.pk) == DEFAULT_SERVICE_MINUTES
    t = services.ticket_issue(centre=h.centre, domain=h.a)
    called = services.ticket_call_next(window=h.w1, clerk=h.c1, now=h.now)
    services.ticket_start_service(window=h.w1, clerk=h.c1, ticket=called, now=h.now)
    services.ticket_finish(window=h.w1, clerk=h.c1, ticket=t, now=h.now + dt.timedelta(minutes=3))
    # Every slip asks for it: within the period the figure counted before is given ...
    assert services.mean_service_minutes(centre_id=h.centre.pk) == DEFAULT_SERVICE_MINUTES
    # ... after it (here: no period) the finished ticket counts.
    settings.HALL_SERVICE_MEAN_SECONDS = 0
    assert services.mean_service_minutes(centre_id=h.centre.pk) == 3.0


def test_appointment_book_check_in(open_hall):
    h = open_hall
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=10)).time().replace(second=0, microsecond=0)
    end = (dt.datetime.combine(now.date(), start) + dt.timedelta(minutes=30)).time()
    if end <= start or (now + dt.timedelta(minutes=45)).date() != now.date():
        pytest.skip("slot would wrap midnight")
    slot = services.slot_create(centre=h.centre, domain=h.a, date=now.date(), start=start, end=end, capacity=1)
    appt = services.appointment_book(slot=slot, name="张三", id_number=make_id(dt.date(1990, 1, 1)))
    with pytest.raises(ConflictError, match="约满"):
        services.appointment_book(slot=slot, name="李四", id_number=make_id(dt.date(1991, 1, 1)))
    normal = services.ticket_issue(centre=h.centre, domain=h.a)
    appt = services.appointment_check_in(appointment=appt)
    assert appt.state == AppointmentState.CHECKED_IN and appt.ticket.priority == PriorityClass.APPOINTMENT
    assert services.ticket_call_next(window=h.w1, clerk=h.c1).pk == appt.ticket.pk
    assert normal.state == TicketState.WAITING


def test_appointment_late_becomes_normal(open_hall):
    h = open_hall
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=5)).time().replace(second=0, microsecond=0)
    end = (dt.datetime.combine(now.date(), start) + dt.timedelta(minutes=30)).time()
    if end <= start or (now + dt.timedelta(minutes=45)).date() != now.date():
        pytest.skip("slot would wrap midnight")
    slot = services.slot_create(centre=h.centre, domain=h.a, date=now.date(), start=start, end=end, capacity=2)
    appt = services.appointment_book(slot=slot, name="张三", id_number=make_id(dt.date(1990, 1, 1)))
    appt = services.appointment_check_in(appointment=appt, now=timezone.now() + dt.timedelta(minutes=40))
    assert appt.state == AppointmentState.LATE and appt.ticket.priority == PriorityClass.NORMAL
    other = services.appointment_book(slot=slot, name="李四", id_number=make_id(dt.date(1991, 1, 1)))
    services.appointment_cancel(appointment=other)
    with pytest.raises(ConflictError):
        services.appointment_cancel(appointment=other)


def test_close_day_command(open_hall):
    from io import StringIO

    from django.core.management import call_command

    services.ticket_issue(centre=open_hall.centre, domain=open_hall.a)
    out = StringIO()
    call_command("hall_close_day", "--tonight", stdout=out)
    assert "closed 1" in out.getvalue()
    assert not Ticket.objects.filter(state=TicketState.WAITING).exists()


def test_transfer_to_named_window(open_hall):
    h = open_hall
    c2, c3 = h.clerk(domains=[h.a]), h.clerk(domains=[h.a])
    w2, w3 = h.window(number="2", clerk_user=c2), h.window(number="3", clerk_user=c3)
    services.ticket_issue(centre=h.centre, domain=h.a)
    t = services.ticket_call_next(window=h.w1, clerk=h.c1)
    services.ticket_transfer(window=h.w1, clerk=h.c1, ticket=t, to_window=w3)
    with pytest.raises(NotFound):
        services.ticket_call_next(window=w2, clerk=c2)
    again = services.ticket_call_next(window=w3, clerk=c3)
    assert again.pk == t.pk and again.issued_at == t.issued_at
    assert TicketEvent.objects.filter(ticket=t, kind=EventKind.TRANSFERRED).count() == 1


def test_no_show_stats(open_hall):
    h = open_hall
    services.ticket_issue(centre=h.centre, domain=h.a)
    t = services.ticket_call_next(window=h.w1, clerk=h.c1)
    services.ticket_no_show(window=h.w1, clerk=h.c1, ticket=t, requeue=False)
    row = selectors.hall_stats(centre_id=h.centre.pk, day=t.day, by="domain")[0]
    assert row["called"] == 1 and row["no_show"] == 1 and row["no_show_rate"] == 1.0


def test_wait_estimate_counts_a_long_queue_only_up_to_the_cap(open_hall, monkeypatch):
    h = open_hall
    monkeypatch.setattr(services.wait, "AHEAD_COUNT_CAP", 2)
    tickets = [services.ticket_issue(centre=h.centre, domain=h.a) for _ in range(4)]
    assert services.ticket_estimated_wait(ticket=tickets[1]) | {"minutes": 0} == {
        "ahead": 1, "ahead_label": "1", "windows": 1, "minutes": 0}
    last = services.ticket_estimated_wait(ticket=tickets[3])
    assert (last["ahead"], last["ahead_label"]) == (2, "2+")
    # The issuing call hands the count of able windows to the estimate: not counted twice.
    assert tickets[3].windows_able == 1 and services.ticket_estimated_wait(ticket=tickets[3]) == last


def test_windows_able_count_agrees_with_the_dispatch_rules(hall):
    """The kiosk's count of windows that may serve a ticket (the centre's scarcity tables) equals
    dispatch.windows_able over the window views, for every window type, skill kind and window state."""
    from yichuang.catalog.models import Matter
    from yichuang.hall import dispatch

    h = hall
    other = Matter.objects.create(implementation_code="M2", name="其他事项", department=h.dept,
                                  matter_type="confirmation", domain=h.b, legal_limit_days=1, promised_limit_days=1)
    h.window(number="G", clerk_user=h.clerk(domains=[h.a]))                                   # general, skill A
    h.window(number="D", window_type="domain", domains=[h.b], clerk_user=h.clerk(domains=[h.a, h.b]))
    h.window(number="P", window_type="department", department=h.dept, clerk_user=h.clerk(matters=[other]))
    h.window(number="M", window_type="domain", domains=[h.a], clerk_user=h.clerk(matters=[h.matter]))
    paused = h.window(number="Z", clerk_user=h.clerk(domains=[h.a, h.b]))
    services.window_set_state(window=paused, actor=None, state="paused")
    h.window(number="E")                                                                      # nobody signed in
    views = services.open_window_views(centre_id=h.centre.pk)
    # A ticket's matter is always of its domain (ticket_issue refuses others, a transfer to another domain drops it).
    for domain, matter in [(h.a, None), (h.b, None), (h.a, h.matter), (h.b, other)]:
        probe = dispatch.TicketView(id=0, domain_id=domain.pk, matter_id=matter.pk if matter else None,
                                    priority=3, queued_at=h.now)
        assert services.windows_able_count(centre_id=h.centre.pk, domain_id=domain.pk,
                                           matter_id=matter.pk if matter else None) == \
            dispatch.windows_able(views, probe), (domain.code, matter)

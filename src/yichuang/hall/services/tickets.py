"""Taking a number (取号) and the ends of a ticket that involve no window: cancelling, closing the day."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.errors import ConflictError, NotFound, ValidationFailed
from yichuang.core.validators import age_on, validate_id_number

from .. import hooks, scarcity
from ..constants import ACTIVE_STATES, ELDERLY_AGE, EventKind, PriorityClass, TicketSource, TicketState
from ..models import DailySequence, Ticket, TicketEvent
from . import events
from .checks import ticket_locked


def next_seq(*, centre_id: int, domain_id: int, day: dt.date) -> int:
    """Take the next number of the day: one upsert that creates the day's counter or increments it and returns
    the new value (PostgreSQL and SQLite alike); the counter row stays locked until the transaction ends, so two
    kiosks never draw the same number."""
    table = DailySequence._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (centre_id, domain_id, day, last) VALUES (%s, %s, %s, 1) "
                    f"ON CONFLICT (centre_id, domain_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                    [centre_id, domain_id, day])
        return cur.fetchone()[0]


def priority_class(*, id_number: str, priority_reason: str, appointment_due: bool, day: dt.date) -> int:
    """免等 (aged 70+ by the ID number) before 优先 (a reason given by staff) before a due appointment before normal."""
    if id_number and (age_on(id_number, day) or 0) >= ELDERLY_AGE:
        return PriorityClass.ELDERLY
    if priority_reason:
        return PriorityClass.PRIORITY
    if appointment_due:
        return PriorityClass.APPOINTMENT
    return PriorityClass.NORMAL


def _instance(model, obj, what: str):
    if isinstance(obj, model):
        return obj
    found = model.objects.filter(pk=obj).first()
    if found is None:
        raise NotFound(f"找不到该{what}。", f"{model.__name__} not found.")
    return found


@transaction.atomic
def ticket_issue(*, centre: Centre | int, domain: WindowDomain | int, matter: Matter | int | None = None,
                 id_number: str = "", source: str = TicketSource.KIOSK, priority_reason: str = "",
                 appointment_due: bool = False, actor=None, now: dt.datetime | None = None) -> Ticket:
    """Take a number: prefix + 3-digit daily sequence per centre and domain (A001…, reset daily).

    ``priority_reason`` (残疾人/军人…, staff only) gives 优先; an ID number of someone aged 70+ gives 免等.
    Centre, domain and matter as instances or ids (an unknown id: NotFound). Refused when the matter is not of
    the domain or no open window can serve the ticket (``scarcity.windows_able``, kept on the ticket as
    ``windows_able`` for the slip's wait estimate).
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    if id_number:
        id_number = validate_id_number(id_number, today=day)
    priority = priority_class(id_number=id_number, priority_reason=priority_reason, appointment_due=appointment_due,
                              day=day)
    centre = _instance(Centre, centre, "中心")
    domain = _instance(WindowDomain, domain, "办事领域")
    matter = _instance(Matter, matter, "事项") if matter else None
    if matter is not None and matter.domain_id != domain.pk:
        raise ValidationFailed(f"事项“{matter.name}”不属于“{domain.name}”领域。",
                               "The matter does not belong to the chosen domain.", field="matter")
    able = scarcity.windows_able(centre_id=centre.pk, domain_id=domain.pk, matter_id=matter.pk if matter else None)
    if not able:
        raise ValidationFailed(f"当前没有开放的窗口可以办理“{domain.name}”业务，请咨询导服台或稍后再来。",
                               "No open window serves this service area right now; ask the help desk.",
                               code="no_open_window", field="domain")
    seq = next_seq(centre_id=centre.pk, domain_id=domain.pk, day=day)
    ticket = Ticket.objects.create(
        centre=centre, domain=domain, matter=matter, day=day, seq=seq, number=f"{domain.ticket_prefix}{seq:03d}",
        priority=priority, priority_reason=priority_reason, source=source, id_number=id_number,
        issued_at=now, queued_at=now,
    )
    clerk = actor if getattr(actor, "pk", None) else None
    events.record(ticket, EventKind.ISSUED, now, clerk=clerk, data={"priority": priority, "source": source})
    ticket.windows_able = able  # the slip's wait estimate divides by it (not counted twice)
    ticket.rating_code = hooks.ticket_issued.first(ticket=ticket)  # printed once on the slip (好差评 评价码)
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    ticket = ticket_locked(ticket)
    if ticket.state != TicketState.WAITING:
        raise ConflictError("只有等候中的号可以取消。", "Only a waiting ticket can be cancelled.")
    ticket.state = TicketState.CANCELLED
    ticket.save(update_fields=["state"])
    events.record(ticket, EventKind.CANCELLED, now)
    return ticket


@transaction.atomic
def hall_close_day(*, centre=None, day: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Close the leftover waiting/called tickets of days before ``day`` (default: today), so the claim set
    stays small. Run at closing time (``day`` = tomorrow) or at the start of a day."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    qs = Ticket.objects.filter(day__lt=day, state__in=(TicketState.WAITING, *ACTIVE_STATES))
    if centre is not None:
        qs = qs.filter(centre=centre)
    rows = list(qs.select_for_update().values_list("id", "centre_id"))
    ids = [i for i, _c in rows]
    TicketEvent.objects.bulk_create([TicketEvent(ticket_id=i, centre_id=c, kind=EventKind.CLOSED, at=now)
                                     for i, c in rows])
    Ticket.objects.filter(id__in=ids).update(state=TicketState.CLOSED)
    return len(ids)

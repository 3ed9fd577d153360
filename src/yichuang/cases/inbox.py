"""The department inbox (待办列表) and a case's deadline light as of today: one page in due-date order, read in
SQL through the (department, state, due date) indexes whatever the size of the table (see :func:`case_inbox`)."""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any

from django.db import connection
from django.db.models import DateField, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.catalog.models import Matter
from yichuang.core.errors import PermissionDeniedError
from yichuang.workcal.workdays import add_workdays, workdays_between

from .constants import CaseState as S
from .constants import Light
from .deadline import YELLOW_MIN_WORKDAYS, light
from .models import CLOCK_STATES, INBOX_CLOSED_STATES, Case, Suspension


def case_light(*, case: Case, today: dt.date | None = None) -> Light | None:
    if case.state not in CLOCK_STATES or case.due_date is None:
        return None
    today = today or timezone.localdate()
    return light(due_date=effective_due_date(case=case, today=today), today=today,
                 limit_days=case.promised_days + case.extension_days)


def effective_due_date(*, case: Case, today: dt.date) -> dt.date | None:
    """The due date as of today: while suspended the clock stands still, so the days of the open
    suspension so far push it back too."""
    if case.due_date is None:
        return None
    if case.state == S.SUSPENDED:
        if hasattr(case, "open_suspension_start"):  # annotated by the inbox query
            start = case.open_suspension_start
        else:
            open_susp = case.suspensions.filter(end_date__isnull=True).order_by("-start_date").first()
            start = open_susp.start_date if open_susp is not None else None
        if start is not None:
            extra = max(workdays_between(start, today).value, 0)
            return add_workdays(case.due_date, extra).value
    return case.due_date


INBOX_MAX = 200
# Light filters are exact in SQL for limits up to 3 × this many working days; beyond, SQL keeps a superset and
# the Python check below decides.
_LIGHT_MAX_K = 60
_INBOX_FIELDS = ("id", "number", "matter_id", "matter__name", "applicant_name", "state", "due_date", "tolerant",
                 "received_at", "promised_days", "extension_days")


# A suspended case's effective due date is its due date pushed back by the working days suspended so far. It can
# be today or later (not red) only if no working day lies between the due date and the start of the suspension,
# and no run of days off is longer than this.
_MAX_DAYS_OFF = 10


def _light_prefilter(light_filter: str, state: str, today: dt.date) -> Q:
    """A SQL condition every case in ``state`` (accepted or suspended) with ``light_filter`` today meets: exact for
    accepted cases, a superset for suspended ones (the Python check decides).

    With r the working days left after today (workdays_between) and L the limit (promised + extension days):
    red ⇔ due < today; yellow ⇔ today ≤ due and r ≤ K where K = max(2, L // 3); green ⇔ r > K; and
    r ≤ K ⇔ due < add_workdays(today, K + 1), one date per K (a CASE on K, see :func:`_yellow_bound`).
    A suspended case's clock stands still, so its effective due date is on or after ``due_date``: red needs
    ``due_date`` < today; yellow ``due_date`` < the bound; and neither yellow nor green is possible for a case that
    was already overdue when it was suspended (due date more than ``_MAX_DAYS_OFF`` days before the start)."""
    if light_filter == Light.RED:
        return Q(due_date__lt=today)
    bound = _yellow_bound(today)
    big = Q(_k__gt=_LIGHT_MAX_K)
    if state == S.SUSPENDED:
        not_red = Q(open_suspension_start__isnull=True) | Q(
            open_suspension_start__lte=ExpressionWrapper(F("due_date") + dt.timedelta(days=_MAX_DAYS_OFF),
                                                         output_field=DateField()))
        return not_red & (Q(due_date__lt=bound) | big) if light_filter == Light.YELLOW else not_red
    if light_filter == Light.YELLOW:
        return Q(due_date__gte=today) & (Q(due_date__lt=bound) | big)
    return Q(due_date__gte=add_workdays(today, YELLOW_MIN_WORKDAYS + 1).value) & (Q(due_date__gte=bound) | big)


def _k_sql() -> str:
    """K = max(2, (promised + extension days) // 3), the yellow threshold of a case in working days (integer
    division on both databases)."""
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return (f'{greatest}({YELLOW_MIN_WORKDAYS}, ("cases_case"."promised_days" + "cases_case"."extension_days") / 3)')


def _limit_third():
    return RawSQL(_k_sql(), [], output_field=IntegerField())


def _yellow_bound(today: dt.date) -> RawSQL:
    """add_workdays(today, K + 1) for the case's K: the first due date that is no longer yellow. A simple CASE
    on K (computed once per row), one date per K up to ``_LIGHT_MAX_K``; NULL beyond."""
    days = [add_workdays(today, n + 1).value for n in range(YELLOW_MIN_WORKDAYS, _LIGHT_MAX_K + 1)]
    if connection.vendor != "postgresql":
        days = [d.isoformat() for d in days]
    whens = " ".join(f"WHEN {n} THEN %s" for n in range(YELLOW_MIN_WORKDAYS, _LIGHT_MAX_K + 1))
    cast = "::date" if connection.vendor == "postgresql" else ""
    sql = f"(CASE {_k_sql()} {whens} END){cast}"
    return RawSQL(sql, days, output_field=DateField())


def inbox_querysets(*, user, state: str | None = None, light_filter: str | None = None,
                    matter_code: str | None = None, today: dt.date | None = None) -> list[QuerySet[Case]]:
    """The inbox queries of :func:`case_inbox`, each in due-date order, not yet sliced: one query, or with a light
    filter one per state whose clock runs (each then reads one range of the (department, state, due date) index in
    order; the inbox is their merge). The benchmark EXPLAINs them."""
    today = today or timezone.localdate()
    qs: QuerySet[Case] = Case.objects.select_related("matter").only(*_INBOX_FIELDS)
    if user.role == Role.APPROVER:
        qs = qs.filter(department_id=user.department_id)
    elif user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER):
        qs = qs.filter(Q(centre_id=user.centre_id) | Q(handling_centre_id=user.centre_id))
    elif user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDeniedError("您无权查看办件列表。", "You may not view the inbox.")
    if matter_code:
        qs = qs.filter(matter_id=Subquery(Matter.objects.filter(implementation_code=matter_code).values("pk")[:1]))
    qs = qs.annotate(open_suspension_start=Subquery(
        Suspension.objects.filter(case_id=OuterRef("pk"), end_date__isnull=True).order_by("-start_date")
        .values("start_date")[:1]))
    order = (F("due_date").asc(nulls_last=True), "received_at", "id")
    if light_filter:
        states = [st for st in CLOCK_STATES if not state or st == state]
        qs = qs.alias(_k=_limit_third())
        return [qs.filter(Q(state=st) & _light_prefilter(light_filter, st, today)).order_by(*order) for st in states]
    qs = qs.filter(state=state) if state else qs.exclude(state__in=INBOX_CLOSED_STATES)
    return [qs.order_by(*order)]


def _batches(qs: QuerySet[Case], batch: int):
    """The rows of an ordered query, read one LIMITed batch at a time."""
    pos = 0
    while True:
        chunk = list(qs[pos:pos + batch])
        yield from chunk
        if len(chunk) < batch:
            return
        pos += batch


def _inbox_key(case: Case):
    return (case.due_date is None, case.due_date or dt.date.min,
            case.received_at or dt.datetime.min.replace(tzinfo=dt.UTC), case.pk)


def case_inbox(*, user, state: str | None = None, light_filter: str | None = None, matter_code: str | None = None,
               today: dt.date | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The back-office inbox of the user's department (clerks: their centre; supervisors: all), by due date.

    One page of at most ``limit`` rows (≤ 200), ordered in SQL (due date, cases without one last), so the cost is
    that of one page whatever the size of the table: approvers read the handling department copied onto the case
    (``Case.department``) through the index (department, state, due date, …) or, unfiltered, the partial index of
    open cases; there is no count. A light filter is narrowed in SQL (exact for accepted cases, see
    :func:`_light_prefilter`) and checked in Python, reading on in due-date order until the page is full."""
    limit = max(1, min(int(limit), INBOX_MAX))
    offset = max(0, int(offset))
    today = today or timezone.localdate()
    queries = inbox_querysets(user=user, state=state, light_filter=light_filter, matter_code=matter_code,
                              today=today)
    if not light_filter:
        return [_inbox_row(c, case_light(case=c, today=today)) for c in queries[0][offset:offset + limit]]
    rows: list[dict[str, Any]] = []
    skipped, batch = 0, max(offset + limit + 1, 60)
    for case in heapq.merge(*(_batches(q, batch) for q in queries), key=_inbox_key):
        lt = case_light(case=case, today=today)
        if lt is None or lt.value != light_filter:
            continue
        if skipped < offset:
            skipped += 1
            continue
        rows.append(_inbox_row(case, lt))
        if len(rows) >= limit:
            break
    return rows


def _inbox_row(case: Case, lt: Light | None) -> dict[str, Any]:
    return {"number": case.number, "matter": case.matter.name, "applicant": case.applicant_name,
            "state": case.state, "state_label": S(case.state).label, "due_date": case.due_date,
            "light": lt.value if lt else None, "tolerant": case.tolerant, "received_at": case.received_at}

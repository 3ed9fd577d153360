"""Business rules of the hall: windows, sign-in, tickets, calling, appointments.

Calling is atomic: the chosen ticket is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL
(two windows calling at once never get the same ticket; the loser simply takes the next choice). On SQLite
the IMMEDIATE transaction mode (settings) serialises writers, so the re-check of the state suffices.

Decisions: a no-show may be re-queued once, at the back of its class (``queued_at`` = now) while
``issued_at`` is kept, so waits in the statistics still start when the number was taken. A transfer keeps
both ``issued_at`` and ``queued_at`` (the applicant does not lose their place). Window administration and
sign-in are audited in the audit chain; the high-rate ticket flow is recorded in ``TicketEvent`` rows
instead (one row per event) so a call does not contend on the audit chain head.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.audit.services import audit_record
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed, label_zh
from yichuang.core.ttlcache import TTLCache
from yichuang.core.validators import age_on, validate_id_number

from . import claim, dispatch, issuing, live, scarcity
from .constants import (ACTIVE_STATES, AHEAD_COUNT_CAP, CANDIDATE_LIMIT, CHECKIN_EARLY_MINUTES, CHECKIN_GRACE_MINUTES,
                        DEFAULT_SERVICE_MINUTES, ELDERLY_AGE, RECALL_LIMIT, REQUEUE_LIMIT, AppointmentState,
                        EventKind, PriorityClass, TicketSource, TicketState, WindowState, WindowType)
from .models import (Appointment, AppointmentSlot, ClerkSkill, DailySequence, Ticket, TicketEvent, Window,
                     WindowSession)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def recall_limit() -> int:
    return int(getattr(settings, "HALL_RECALL_LIMIT", RECALL_LIMIT))


def dispatch_policy() -> dispatch.Policy:
    return dispatch.Policy(starvation_minutes=float(getattr(settings, "HALL_STARVATION_MINUTES", 30)))


# Events that change what a display board shows (latest calls, waiting counts); the others are not pushed.
BOARD_EVENTS = frozenset({EventKind.ISSUED, EventKind.CALLED, EventKind.RECALLED, EventKind.NO_SHOW,
                          EventKind.REQUEUED, EventKind.TRANSFERRED, EventKind.CANCELLED, EventKind.CLOSED})


def _publish(ticket: Ticket, kind: str, window: Window | None, *, pg_notified: bool = False) -> None:
    """Tell the display boards; ``pg_notified`` when the claim statement already ran its own pg_notify."""
    if kind in BOARD_EVENTS:
        live.publish(ticket.centre_id, {"kind": str(kind), "number": ticket.number,
                                        "window": window.number if window is not None else None},
                     postgres=not pg_notified)


def _event(ticket: Ticket, kind: str, at: dt.datetime, *, window: Window | None = None, clerk=None,
           data: dict | None = None) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, at=at, window=window, clerk=clerk, data=data or {})
    _publish(ticket, kind, window)
    return event


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def _window_obj(window: Window | int) -> Window:
    if isinstance(window, Window):
        return window
    found = Window.objects.filter(pk=window).first()
    if found is None:
        raise NotFound("找不到该窗口。", "Window not found.")
    return found


# ---------------------------------------------------------------- eligibility views


def window_views(windows: list[Window]) -> list[dispatch.WindowView]:
    """Dispatch views of windows with the clerks signed in, in a fixed number of queries."""
    if not windows:
        return []
    window_domains: dict[int, set[int]] = {w.pk: set() for w in windows}
    for wid, did in Window.domains.through.objects.filter(window_id__in=window_domains).values_list(
            "window_id", "windowdomain_id"):
        window_domains[wid].add(did)
    dept_ids = {w.department_id for w in windows if w.window_type == WindowType.DEPARTMENT and w.department_id}
    dept_matters: dict[int, set[int]] = {d: set() for d in dept_ids}
    if dept_ids:
        for mid, dep in Matter.objects.filter(department_id__in=dept_ids).values_list("id", "department_id"):
            dept_matters[dep].add(mid)
    clerk_ids = {w.clerk_id for w in windows if w.clerk_id}
    skills = {s.user_id: s for s in ClerkSkill.objects.filter(user_id__in=clerk_ids)}
    skill_domains: dict[int, set[int]] = {s.pk: set() for s in skills.values()}
    skill_matters: dict[int, set[int]] = {s.pk: set() for s in skills.values()}
    if skills:
        for sid, did in ClerkSkill.domains.through.objects.filter(clerkskill_id__in=skill_domains).values_list(
                "clerkskill_id", "windowdomain_id"):
            skill_domains[sid].add(did)
        for sid, mid in ClerkSkill.matters.through.objects.filter(clerkskill_id__in=skill_matters).values_list(
                "clerkskill_id", "matter_id"):
            skill_matters[sid].add(mid)
    views = []
    for w in windows:
        skill = skills.get(w.clerk_id) if w.clerk_id else None
        views.append(dispatch.WindowView(
            id=w.pk, all_domains=w.window_type == WindowType.GENERAL, domains=frozenset(window_domains[w.pk]),
            matters=frozenset(dept_matters.get(w.department_id, ())) if w.window_type == WindowType.DEPARTMENT
            else frozenset(),
            clerk_domains=frozenset(skill_domains[skill.pk]) if skill else frozenset(),
            clerk_matters=frozenset(skill_matters[skill.pk]) if skill else frozenset(),
        ))
    return views


def window_view(window: Window) -> dispatch.WindowView:
    """The dispatch view of one window with the clerk signed in (no clerk skills when nobody is)."""
    return window_views([window])[0]


def open_window_views(*, centre_id: int) -> list[dispatch.WindowView]:
    return window_views(list(Window.objects.filter(centre_id=centre_id, state=WindowState.OPEN,
                                                   clerk__isnull=False)))


def _overlaps(view: dispatch.WindowView) -> bool:
    if _serving_domain_ids(view, list(WindowDomain.objects.values_list("id", flat=True))):
        return True
    for m_id, d_id in Matter.objects.filter(id__in=view.clerk_matters).values_list("id", "domain_id"):
        if dispatch.window_allows(view, domain_id=d_id, matter_id=m_id):
            return True
    return False


def _serving_domain_ids(view: dispatch.WindowView, all_ids: list[int]) -> set[int]:
    """Domains for which the window (with its clerk) can serve at least a ticket with no matter."""
    return {d for d in all_ids if dispatch.window_allows(view, domain_id=d, matter_id=None)
            and dispatch.clerk_allows(view, domain_id=d, matter_id=None)}


# ---------------------------------------------------------------- windows and sign-in


@transaction.atomic
def window_create(*, actor, centre, number: str, window_type: str = WindowType.GENERAL, area: str = "",
                  domains: list[WindowDomain] | None = None, department=None) -> Window:
    if window_type not in WindowType.values:
        raise ValidationFailed(f"未知的窗口类型“{window_type}”。", f"Unknown window type {window_type}.",
                               field="window_type")
    if window_type == WindowType.DEPARTMENT and department is None:
        raise ValidationFailed("专业窗口须指定所属部门。", "A department window needs a department.", field="department")
    if window_type not in (WindowType.GENERAL, WindowType.DEPARTMENT) and not domains:
        raise ValidationFailed("该类型窗口须至少指定一个可办领域。", "This window type needs at least one domain.",
                               field="domains")
    if Window.objects.filter(centre=centre, number=number).exists():
        raise ConflictError(f"窗口号“{number}”已存在。", f"Window number {number} already exists.", field="number")
    window = Window.objects.create(centre=centre, number=number, window_type=window_type, area=area,
                                   department=department)
    if domains:
        window.domains.set(domains)
    audit_record(actor=actor, action="hall.window_create", obj=window, after={"number": number, "type": window_type})
    scarcity.changed(centre.pk)
    return window


def skill_set(*, user, domains: list[WindowDomain] = (), matters: list[Matter] = (), level: str = "junior"
              ) -> ClerkSkill:
    skill, _ = ClerkSkill.objects.update_or_create(user=user, defaults={"level": level})
    skill.domains.set(domains)
    skill.matters.set(matters)
    scarcity.changed()
    return skill


def _lock_window(window: Window) -> Window:
    return Window.objects.select_for_update().get(pk=window.pk)


@transaction.atomic
def clerk_sign_in(*, window: Window, clerk, now: dt.datetime | None = None) -> WindowSession:
    """The clerk takes the window; it opens and serves its type ∩ the clerk's skills."""
    now = _now(now)
    window = _lock_window(window)
    if window.clerk_id and window.clerk_id != clerk.pk:
        raise ConflictError(f"{window}已有人员签到（{window.clerk}）。", "Another clerk is signed in at this window.")
    skill = ClerkSkill.objects.filter(user=clerk).first()
    if skill is None or (not skill.domains.exists() and not skill.matters.exists()):
        raise ValidationFailed("该窗口人员未配置任何业务技能，请先由管理员设置可办领域或事项。",
                               "This clerk has no skills (domains or matters); an administrator must set them.",
                               code="no_skill")
    window.clerk = clerk
    view = window_view(window)
    if not _overlaps(view):
        raise ValidationFailed("该人员的业务技能与本窗口可办范围没有交集，不能在此窗口签到。",
                               "The clerk's skills do not overlap what this window serves.", code="no_skill")
    for other in Window.objects.filter(clerk=clerk).exclude(pk=window.pk):
        _require_no_active(other)
    WindowSession.objects.filter(clerk=clerk, ended_at__isnull=True).exclude(window=window).update(ended_at=now)
    Window.objects.filter(clerk=clerk).exclude(pk=window.pk).update(clerk=None, state=WindowState.CLOSED)
    session = WindowSession.objects.filter(window=window, ended_at__isnull=True).first()
    if session is None:
        session = WindowSession.objects.create(window=window, clerk=clerk, started_at=now)
    window.state = WindowState.OPEN
    window.save(update_fields=["clerk", "state"])
    audit_record(actor=clerk, action="hall.sign_in", obj=window, after={"clerk": clerk.pk})
    scarcity.changed(window.centre_id)
    return session


def _require_open(window: Window) -> None:
    if window.state != WindowState.OPEN:
        raise ConflictError(f"{window}未开放（{label_zh(window.get_state_display())}），不能叫号。",
                            "The window is not open.")


def _require_no_active(window: Window) -> None:
    active = Ticket.objects.filter(window=window, state__in=ACTIVE_STATES).first()
    if active is not None:
        raise ConflictError(f"本窗口仍有未结束的号（{active.number}），请先办结、过号或转移。",
                            f"Ticket {active.number} is still open at this window; finish, mark no-show or transfer it.")


@transaction.atomic
def clerk_sign_out(*, window: Window, clerk, now: dt.datetime | None = None) -> Window:
    now = _now(now)
    window = _lock_window(window)
    if window.clerk_id != clerk.pk:
        raise PermissionDeniedError("您未在该窗口签到。", "You are not signed in at this window.")
    _require_no_active(window)
    WindowSession.objects.filter(window=window, ended_at__isnull=True).update(ended_at=now)
    window.clerk = None
    window.state = WindowState.CLOSED
    window.save(update_fields=["clerk", "state"])
    audit_record(actor=clerk, action="hall.sign_out", obj=window)
    scarcity.changed(window.centre_id)
    return window


@transaction.atomic
def window_set_state(*, window: Window, actor, state: str) -> Window:
    """Open, pause or close a window (pause: the clerk stays, nothing is called)."""
    window = _lock_window(window)
    if state not in WindowState.values:
        raise ValidationFailed(f"未知的窗口状态“{state}”。", f"Unknown window state {state}.", field="state")
    if state == WindowState.OPEN and not window.clerk_id:
        raise ValidationFailed("窗口无人签到，不能开放。请先由窗口人员签到。",
                               "Nobody is signed in at this window; a clerk must sign in first.")
    if state == WindowState.CLOSED:
        _require_no_active(window)
    before = window.state
    window.state = state
    window.save(update_fields=["state"])
    audit_record(actor=actor, action="hall.window_state", obj=window, before={"state": before}, after={"state": state})
    scarcity.changed(window.centre_id)
    return window


# ---------------------------------------------------------------- tickets


def _next_seq(*, centre_id: int, domain_id: int, day: dt.date) -> int:
    """Atomically take the next number of the day: one upsert that creates the day's counter or increments it
    and returns the new value; the counter row stays locked until the caller's transaction ends."""
    table = DailySequence._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (centre_id, domain_id, day, last) VALUES (%s, %s, %s, 1) "
                    f"ON CONFLICT (centre_id, domain_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                    [centre_id, domain_id, day])
        return cur.fetchone()[0]


# How many open, signed-in windows of a centre may serve a (domain, matter), counted in the database by the claim
# statements' own condition — one query, whatever the number of windows (the kiosk asks for every ticket).
# tests/hall/test_services.py checks it against dispatch.windows_able.
WINDOWS_ABLE_SQL = ("SELECT count(*) FROM hall_window ow WHERE ow.centre_id = %(centre)s AND ow.state = 'open' "
                    "AND ow.clerk_id IS NOT NULL AND " + claim.may_serve("%(domain)s", "%(matter)s"))


def windows_able_count(*, centre_id: int, domain_id: int, matter_id: int | None = None) -> int:
    with connection.cursor() as cur:
        cur.execute(WINDOWS_ABLE_SQL, {"centre": centre_id, "domain": domain_id, "matter": matter_id})
        return cur.fetchone()[0]


def ticket_issue(*, centre: Centre | int, domain: WindowDomain | int, matter: Matter | int | None = None,
                 id_number: str = "", source: str = TicketSource.KIOSK, priority_reason: str = "",
                 appointment_due: bool = False, actor=None, now: dt.datetime | None = None) -> Ticket:
    """Take a number: prefix + 3-digit daily sequence per centre and domain (A001…, reset daily).

    ``priority_reason`` (残疾人/军人…, staff only) gives 优先; an ID number of someone aged 70+ gives 免等.
    Centre, domain and matter as instances or ids (an unknown id: NotFound). Refused when the matter is not of
    the domain or no open window can serve the ticket. On PostgreSQL one statement does it all
    (``issuing.ISSUE_SQL``) and also counts the people ahead for the slip (``ticket.ahead``).
    """
    now = _now(now)
    day = timezone.localdate(now)
    if id_number:
        id_number = validate_id_number(id_number, today=day)
    priority = PriorityClass.NORMAL
    if appointment_due:
        priority = PriorityClass.APPOINTMENT
    if priority_reason:
        priority = PriorityClass.PRIORITY
    if id_number and (age_on(id_number, day) or 0) >= ELDERLY_AGE:
        priority = PriorityClass.ELDERLY
    clerk = actor if getattr(actor, "pk", None) else None
    if not issuing.available():
        return _ticket_issue_orm(centre=centre, domain=domain, matter=matter, id_number=id_number, source=source,
                                 priority=priority, priority_reason=priority_reason, clerk=clerk, now=now)
    got = issuing.issue(centre_id=_pk(centre), domain_id=_pk(domain), matter_id=_pk(matter) if matter else None,
                        day=day, now=now, priority=priority, priority_reason=priority_reason, source=source,
                        id_number=id_number, clerk_id=clerk.pk if clerk else None, ahead_cap=AHEAD_COUNT_CAP)
    if not got.centre_found:
        raise _not_found("中心", "Centre")
    if got.domain is None:
        raise _not_found("办事领域", "WindowDomain")
    if matter and not got.matter_found:
        raise _not_found("事项", "Matter")
    if matter and got.matter_domain_id != got.domain.pk:
        raise _matter_not_of(got.matter_name, got.domain)
    if not got.windows_able:
        raise _no_open_window(got.domain)
    ticket = got.ticket
    ticket.windows_able, ticket.ahead = got.windows_able, got.ahead  # for the slip's wait estimate
    _publish(ticket, EventKind.ISSUED, None, pg_notified=True)  # the statement ran its own pg_notify
    return ticket


def _not_found(what: str, model: str) -> NotFound:
    return NotFound(f"找不到该{what}。", f"{model} not found.")


def _matter_not_of(matter_name: str, domain: WindowDomain) -> ValidationFailed:
    return ValidationFailed(f"事项“{matter_name}”不属于“{domain.name}”领域。",
                            "The matter does not belong to the chosen domain.", field="matter")


def _no_open_window(domain: WindowDomain) -> ValidationFailed:
    return ValidationFailed(f"当前没有开放的窗口可以办理“{domain.name}”业务，请咨询导服台或稍后再来。",
                            "No open window serves this service area right now; ask the help desk.",
                            code="no_open_window", field="domain")


def _instance(model, obj, what: str):
    if isinstance(obj, model):
        return obj
    found = model.objects.filter(pk=obj).first()
    if found is None:
        raise _not_found(what, model.__name__)
    return found


@transaction.atomic
def _ticket_issue_orm(*, centre, domain, matter, id_number: str, source: str, priority: int, priority_reason: str,
                      clerk, now: dt.datetime) -> Ticket:
    """``ticket_issue`` statement by statement (SQLite): the same checks, in the same order."""
    day = timezone.localdate(now)
    centre = _instance(Centre, centre, "中心")
    domain = _instance(WindowDomain, domain, "办事领域")
    matter = _instance(Matter, matter, "事项") if matter else None
    if matter is not None and matter.domain_id != domain.pk:
        raise _matter_not_of(matter.name, domain)
    able = windows_able_count(centre_id=centre.pk, domain_id=domain.pk, matter_id=matter.pk if matter else None)
    if not able:
        raise _no_open_window(domain)
    seq = _next_seq(centre_id=centre.pk, domain_id=domain.pk, day=day)
    ticket = Ticket.objects.create(
        centre=centre, domain=domain, matter=matter, day=day, seq=seq, number=f"{domain.ticket_prefix}{seq:03d}",
        priority=priority, priority_reason=priority_reason, source=source, id_number=id_number,
        issued_at=now, queued_at=now,
    )
    _event(ticket, EventKind.ISSUED, now, clerk=clerk, data={"priority": priority, "source": source})
    ticket.windows_able = able  # the slip's wait estimate divides by it (not counted twice)
    return ticket


def _require_clerk_at(window: Window, clerk) -> None:
    if window.clerk_id != clerk.pk:
        raise PermissionDeniedError(f"您未在{window}签到，不能在此叫号。", "You are not signed in at this window.")


def _candidate_snapshot(*, window: Window, view: dispatch.WindowView,
                        excluded: set[int] = frozenset()) -> list[dispatch.TicketView]:
    """The bounded candidate set: waiting tickets this window may serve, best class and oldest first."""
    cond = Q(domain_id__in=view.clerk_domains) | Q(matter_id__in=view.clerk_matters)
    if not view.all_domains:
        cond &= Q(domain_id__in=view.domains) | Q(matter_id__in=view.matters)
    rows = (Ticket.objects.filter(centre_id=window.centre_id, state=TicketState.WAITING)
            .filter(cond).filter(Q(target_window__isnull=True) | Q(target_window_id=window.pk))
            .exclude(id__in=excluded)
            .order_by("priority", "queued_at", "id")
            .values_list("id", "domain_id", "matter_id", "priority", "queued_at", "target_window_id")[:CANDIDATE_LIMIT])
    return [dispatch.TicketView(id=i, domain_id=d, matter_id=m, priority=p, queued_at=q, target_window_id=tw)
            for i, d, m, p, q, tw in rows]


def _claim(ticket_id: int) -> Ticket | None:
    qs = Ticket.objects.filter(pk=ticket_id, state=TicketState.WAITING)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return qs.first()


def _mark_called(ticket: Ticket, *, window: Window, clerk, now: dt.datetime, how: str) -> Ticket:
    ticket.state = TicketState.CALLED
    ticket.called_at = now
    ticket.window = window
    ticket.clerk = clerk
    ticket.recall_count = 0
    ticket.save(update_fields=["state", "called_at", "window", "clerk", "recall_count"])
    _event(ticket, EventKind.CALLED, now, window=window, clerk=clerk,
           data={"how": how, "wait_seconds": int((now - ticket.issued_at).total_seconds())})
    return ticket


def ticket_call_next(*, window: Window | int, clerk, now: dt.datetime | None = None,
                     policy: dispatch.Policy | None = None) -> Ticket:
    """Call the next ticket for this window by the dispatch policy; atomic against other windows.

    On PostgreSQL one statement does it (``claim.CALL_NEXT_SQL``); when it claims nothing, the ORM path below
    runs and either claims (e.g. every candidate was locked by other windows) or says why it cannot.
    """
    now = _now(now)
    policy = policy or dispatch_policy()
    if claim.available() and not policy.exclude:
        try:
            ticket = claim.call_next(window_id=_pk(window), clerk_id=clerk.pk, now=now,
                                     starvation_minutes=policy.starvation_minutes, wait_weight=policy.wait_weight,
                                     scarcity_weight=policy.scarcity_weight, fifo=policy.fifo)
        except IntegrityError:  # a second call at the same window at the same moment: one active ticket only
            ticket = None
        if ticket is not None:
            _publish(ticket, EventKind.CALLED, ticket.window, pg_notified=True)
            return ticket
    return _ticket_call_next_orm(window=_window_obj(window), clerk=clerk, now=now, policy=policy)


def ticket_finish_and_call_next(*, window: Window | int, clerk, ticket: Ticket | int,
                                now: dt.datetime | None = None, policy: dispatch.Policy | None = None) -> Ticket:
    """办结并叫下一号: finish the ticket being served, then call the next one (the clerk's usual click).

    On PostgreSQL one statement does both (``claim.FINISH_AND_CALL_NEXT_SQL``). The finish stands even when
    nobody can be called; the call-next error then says why. A finish that is refused calls nobody.
    """
    now = _now(now)
    policy = policy or dispatch_policy()
    if claim.available() and not policy.exclude:
        try:
            finished, called = claim.finish_and_call_next(
                window_id=_pk(window), clerk_id=clerk.pk, ticket_id=_pk(ticket), now=now,
                starvation_minutes=policy.starvation_minutes, wait_weight=policy.wait_weight,
                scarcity_weight=policy.scarcity_weight, fifo=policy.fifo)
        except IntegrityError:  # a second click at the same window at the same moment
            finished, called = False, None
        if called is not None:
            _publish(called, EventKind.CALLED, called.window, pg_notified=True)
            return called
        if finished:
            return ticket_call_next(window=window, clerk=clerk, now=now, policy=policy)
    ticket_finish(window=window, clerk=clerk, ticket=ticket, now=now)
    return ticket_call_next(window=window, clerk=clerk, now=now, policy=policy)


@transaction.atomic
def _ticket_call_next_orm(*, window: Window, clerk, now: dt.datetime, policy: dispatch.Policy) -> Ticket:
    window = _lock_window(window)
    _require_clerk_at(window, clerk)
    _require_open(window)
    _require_no_active(window)
    views = open_window_views(centre_id=window.centre_id)  # includes this (open, signed-in) window
    view = next((v for v in views if v.id == window.pk), None) or window_view(window)
    others = tuple(v for v in views if v.id != window.pk)
    excluded: set[int] = set(policy.exclude)
    for _round in range(5):
        tickets = tuple(_candidate_snapshot(window=window, view=view, excluded=excluded))
        snapshot = dispatch.Snapshot(tickets=tickets, windows=others + (view,))
        while True:
            chosen = dispatch.choose(snapshot, view, now, dispatch.Policy(
                starvation_minutes=policy.starvation_minutes, wait_weight=policy.wait_weight,
                scarcity_weight=policy.scarcity_weight, fifo=policy.fifo, exclude=frozenset(excluded)))
            if chosen is None:
                break
            ticket = _claim(chosen)
            if ticket is not None:
                return _mark_called(ticket, window=window, clerk=clerk, now=now, how="next")
            excluded.add(chosen)  # taken by another window meanwhile: next choice
        if not tickets:
            break
    _raise_nothing_to_call(window=window, view=view)
    raise AssertionError("unreachable")


def _raise_nothing_to_call(*, window: Window, view: dispatch.WindowView) -> None:
    waiting = set(Ticket.objects.filter(centre_id=window.centre_id, state=TicketState.WAITING)
                  .values_list("domain_id", "domain__name").distinct())
    servable = any(dispatch.window_allows(view, domain_id=d, matter_id=None)
                   and dispatch.clerk_allows(view, domain_id=d, matter_id=None) for d, _ in waiting)
    if waiting and not servable and not view.clerk_matters:
        names = sorted({n for _, n in waiting})
        raise ValidationFailed(
            f"本窗口（含签到人员的业务技能）不能办理任何正在等候的领域（{'、'.join(names)}），"
            "请联系管理员调整技能或窗口。",
            "This window and its clerk have no skill for any domain with waiting tickets.",
            code="no_skill_for_waiting")
    raise NotFound("当前没有您可办理的等候号。", "There is no waiting ticket you can serve.", code="queue_empty")


def _get_ticket_locked(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound("找不到该号。", "Ticket not found.")
    return ticket


@transaction.atomic
def ticket_call_specific(*, window: Window, clerk, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    window = _lock_window(window)
    _require_clerk_at(window, clerk)
    _require_open(window)
    _require_no_active(window)
    ticket = _get_ticket_locked(ticket.pk)
    if ticket.state != TicketState.WAITING or ticket.centre_id != window.centre_id:
        raise ConflictError(f"{ticket.number}号不在等候中（{label_zh(ticket.get_state_display())}），不能叫号。",
                            "The ticket is not waiting.")
    if not dispatch.can_serve(window_view(window), dispatch.TicketView(
            id=ticket.pk, domain_id=ticket.domain_id, matter_id=ticket.matter_id, priority=ticket.priority,
            queued_at=ticket.queued_at, target_window_id=ticket.target_window_id)):
        raise ValidationFailed(f"本窗口（含签到人员技能）不能办理{ticket.number}号的“{ticket.domain.name}”业务。",
                               "This window may not serve that ticket.", code="not_eligible")
    return _mark_called(ticket, window=window, clerk=clerk, now=now, how="specific")


def _active_ticket(*, window: Window, clerk, ticket: Ticket, states=ACTIVE_STATES) -> Ticket:
    _require_clerk_at(window, clerk)
    ticket = _get_ticket_locked(ticket.pk)
    if ticket.window_id != window.pk or ticket.state not in states:
        raise ConflictError(f"{ticket.number}号不是本窗口当前叫到的号。",
                            "The ticket is not the one currently called at this window.")
    return ticket


@transaction.atomic
def ticket_recall(*, window: Window, clerk, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    ticket = _active_ticket(window=window, clerk=clerk, ticket=ticket, states=(TicketState.CALLED,))
    limit = recall_limit()
    if ticket.recall_count >= limit:
        raise ValidationFailed(f"{ticket.number}号已重呼{ticket.recall_count}次，达到上限{limit}次；请标记过号。",
                               f"Ticket already recalled {ticket.recall_count} times (limit {limit}); mark it no-show.",
                               code="recall_limit")
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    _event(ticket, EventKind.RECALLED, now, window=window, clerk=clerk, data={"count": ticket.recall_count})
    return ticket


@transaction.atomic
def ticket_no_show(*, window: Window, clerk, ticket: Ticket, requeue: bool = True,
                   now: dt.datetime | None = None) -> Ticket:
    """过号. The first time (if ``requeue``) the ticket goes back to the end of its class; then it is closed."""
    now = _now(now)
    ticket = _active_ticket(window=window, clerk=clerk, ticket=ticket, states=(TicketState.CALLED,))
    _event(ticket, EventKind.NO_SHOW, now, window=window, clerk=clerk, data={"recalls": ticket.recall_count})
    if requeue and ticket.requeue_count < REQUEUE_LIMIT:
        ticket.state = TicketState.WAITING
        ticket.requeue_count += 1
        ticket.queued_at = now
        ticket.window = None
        ticket.clerk = None
        ticket.called_at = None
        ticket.recall_count = 0
        ticket.save(update_fields=["state", "requeue_count", "queued_at", "window", "clerk", "called_at",
                                   "recall_count"])
        _event(ticket, EventKind.REQUEUED, now, window=window, clerk=clerk)
    else:
        ticket.state = TicketState.NO_SHOW
        ticket.save(update_fields=["state"])
    return ticket


@transaction.atomic
def ticket_transfer(*, window: Window, clerk, ticket: Ticket, to_domain: WindowDomain | None = None,
                    to_window: Window | None = None, now: dt.datetime | None = None) -> Ticket:
    """转移 to another domain or window. Keeps issue time and queue position; it waits again."""
    now = _now(now)
    if to_domain is None and to_window is None:
        raise ValidationFailed("请指定转往的领域或窗口。", "Give a domain or a window to transfer to.")
    ticket = _active_ticket(window=window, clerk=clerk, ticket=ticket)
    if to_window is not None:
        if to_window.centre_id != ticket.centre_id or to_window.pk == window.pk:
            raise ValidationFailed("不能转往该窗口。", "Cannot transfer to that window.", field="to_window")
    domain = to_domain or ticket.domain
    probe = dispatch.TicketView(id=ticket.pk, domain_id=domain.pk,
                                matter_id=ticket.matter_id if domain.pk == ticket.domain_id else None,
                                priority=ticket.priority, queued_at=ticket.queued_at,
                                target_window_id=to_window.pk if to_window else None)
    targets = [v for v in open_window_views(centre_id=ticket.centre_id) if v.id != window.pk]
    if not any(dispatch.can_serve(v, probe) for v in targets):
        raise ValidationFailed(f"当前没有开放的窗口可以接收转来的“{domain.name}”业务。",
                               "No open window can take the transferred ticket.", code="no_open_window")
    before = {"domain": ticket.domain_id, "window": window.pk}
    ticket.domain = domain
    if probe.matter_id is None:
        ticket.matter = None
    ticket.target_window = to_window
    ticket.state = TicketState.WAITING
    ticket.window = None
    ticket.clerk = None
    ticket.recall_count = 0
    ticket.save(update_fields=["domain", "matter", "target_window", "state", "window", "clerk", "recall_count"])
    _event(ticket, EventKind.TRANSFERRED, now, window=window, clerk=clerk,
           data={"from": before, "to_domain": domain.pk, "to_window": to_window.pk if to_window else None})
    return ticket


@transaction.atomic
def ticket_start_service(*, window: Window, clerk, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    ticket = _active_ticket(window=window, clerk=clerk, ticket=ticket, states=(TicketState.CALLED,))
    ticket.state = TicketState.SERVING
    ticket.started_at = now
    ticket.save(update_fields=["state", "started_at"])
    _event(ticket, EventKind.STARTED, now, window=window, clerk=clerk)
    return ticket


def ticket_finish(*, window: Window | int, clerk, ticket: Ticket | int, now: dt.datetime | None = None) -> Ticket:
    """办结. From 'called' the service is taken to start at the call."""
    now = _now(now)
    if claim.available():
        done = claim.finish(window_id=_pk(window), clerk_id=clerk.pk, ticket_id=_pk(ticket), now=now)
        if done is not None:
            return done
    if isinstance(ticket, int):
        ticket = Ticket.objects.filter(pk=ticket).first()
        if ticket is None:
            raise NotFound("找不到该号。", "Ticket not found.")
    return _ticket_finish_orm(window=_window_obj(window), clerk=clerk, ticket=ticket, now=now)


@transaction.atomic
def _ticket_finish_orm(*, window: Window, clerk, ticket: Ticket, now: dt.datetime) -> Ticket:
    ticket = _active_ticket(window=window, clerk=clerk, ticket=ticket)
    if ticket.started_at is None:
        ticket.started_at = ticket.called_at or now
        _event(ticket, EventKind.STARTED, ticket.started_at, window=window, clerk=clerk, data={"implicit": True})
    ticket.state = TicketState.DONE
    ticket.finished_at = now
    ticket.save(update_fields=["state", "started_at", "finished_at"])
    _event(ticket, EventKind.FINISHED, now, window=window, clerk=clerk,
           data={"service_seconds": int((now - ticket.started_at).total_seconds())})
    return ticket


@transaction.atomic
def ticket_link_case(*, window: Window, clerk, ticket: Ticket, case_number: str,
                     now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    case_number = (case_number or "").strip()
    if not case_number:
        raise ValidationFailed("请填写办件编号。", "Give the case number.", field="case_number")
    ticket = _active_ticket(window=window, clerk=clerk, ticket=ticket,
                            states=ACTIVE_STATES + (TicketState.DONE,))
    if case_number not in ticket.case_numbers:
        ticket.case_numbers = [*ticket.case_numbers, case_number]
        ticket.save(update_fields=["case_numbers"])
        _event(ticket, EventKind.CASE_LINKED, now, window=window, clerk=clerk, data={"case": case_number})
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    ticket = _get_ticket_locked(ticket.pk)
    if ticket.state != TicketState.WAITING:
        raise ConflictError("只有等候中的号可以取消。", "Only a waiting ticket can be cancelled.")
    ticket.state = TicketState.CANCELLED
    ticket.save(update_fields=["state"])
    _event(ticket, EventKind.CANCELLED, now)
    return ticket


@transaction.atomic
def hall_close_day(*, centre=None, day: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Close the leftover waiting/called tickets of days before ``day`` (default: today), so the claim set
    stays small. Run at closing time (``day`` = tomorrow) or at the start of a day."""
    now = _now(now)
    day = day or timezone.localdate(now)
    qs = Ticket.objects.filter(day__lt=day, state__in=(TicketState.WAITING, *ACTIVE_STATES))
    if centre is not None:
        qs = qs.filter(centre=centre)
    ids = list(qs.select_for_update().values_list("id", flat=True))
    TicketEvent.objects.bulk_create([TicketEvent(ticket_id=i, kind=EventKind.CLOSED, at=now) for i in ids])
    Ticket.objects.filter(id__in=ids).update(state=TicketState.CLOSED)
    return len(ids)


# ---------------------------------------------------------------- estimated wait


def mean_service_minutes(*, centre_id: int, recent: int = 50) -> float:
    """Mean service time of the centre's last ``recent`` finished tickets, kept per process for
    ``HALL_SERVICE_MEAN_SECONDS`` (every ticket slip asks for it; it moves slowly)."""
    mean = _service_means.get((centre_id, recent))
    if mean is None:
        rows = list(TicketEvent.objects.filter(kind=EventKind.FINISHED, ticket__centre_id=centre_id)
                    .order_by("-at").values_list("data", flat=True)[:recent])
        secs = [r.get("service_seconds") for r in rows
                if isinstance(r, dict) and r.get("service_seconds") is not None]
        mean = (sum(secs) / len(secs) / 60.0) if secs else DEFAULT_SERVICE_MINUTES
        _service_means.put((centre_id, recent), mean)
    return mean


_service_means = TTLCache("HALL_SERVICE_MEAN_SECONDS", 30, max_entries=1000)  # (centre, recent) -> minutes


def ticket_estimated_wait(*, ticket: Ticket) -> dict:
    """Queue ahead ÷ eligible open windows × recent mean service time (minutes)."""
    if ticket.state != TicketState.WAITING:
        return {"ahead": 0, "ahead_label": "0", "windows": 0, "minutes": 0}
    ahead = getattr(ticket, "ahead", None)  # counted by the issuing statement
    if ahead is None and issuing.available():
        ahead = issuing.ahead(centre_id=ticket.centre_id, domain_id=ticket.domain_id, priority=ticket.priority,
                              queued_at=ticket.queued_at, cap=AHEAD_COUNT_CAP)
    elif ahead is None:
        ahead = Ticket.objects.filter(centre_id=ticket.centre_id, state=TicketState.WAITING,
                                      domain_id=ticket.domain_id).filter(
            Q(priority__lt=ticket.priority) | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at)
        )[:AHEAD_COUNT_CAP].count()
    probe = dispatch.TicketView(id=ticket.pk, domain_id=ticket.domain_id, matter_id=ticket.matter_id,
                                priority=ticket.priority, queued_at=ticket.queued_at,
                                target_window_id=ticket.target_window_id)
    windows = getattr(ticket, "windows_able", None)
    if windows is None:
        windows = (dispatch.windows_able(open_window_views(centre_id=ticket.centre_id), probe)
                   if ticket.target_window_id else
                   windows_able_count(centre_id=ticket.centre_id, domain_id=ticket.domain_id,
                                      matter_id=ticket.matter_id))
    minutes = round(ahead / max(windows, 1) * mean_service_minutes(centre_id=ticket.centre_id))
    label = f"{ahead}+" if ahead >= AHEAD_COUNT_CAP else str(ahead)
    return {"ahead": ahead, "ahead_label": label, "windows": windows, "minutes": int(minutes)}


# ---------------------------------------------------------------- appointments


@transaction.atomic
def slot_create(*, centre, domain: WindowDomain, date: dt.date, start: dt.time, end: dt.time,
                capacity: int) -> AppointmentSlot:
    if end <= start:
        raise ValidationFailed("结束时间须晚于开始时间。", "The end must be after the start.", field="end")
    if capacity < 1:
        raise ValidationFailed("容量至少为1。", "Capacity must be at least 1.", field="capacity")
    return AppointmentSlot.objects.create(centre=centre, domain=domain, date=date, start=start, end=end,
                                          capacity=capacity)


_PHONE_SEPARATORS = str.maketrans("", "", " -()（）")


def validate_phone(value: str, *, required: bool = False, field: str = "phone") -> str:
    """A mainland mobile number (11 digits, 1[3-9]…, an optional +86/0086 in front) or a landline with its area
    code (0 + 2–3 digits, then 7–8 digits); returned without separators. Blank is allowed unless ``required``."""
    raw = (value or "").strip().translate(_PHONE_SEPARATORS)
    if not raw:
        if required:
            raise ValidationFailed("请填写手机号码。", "The phone number is required.", field=field)
        return ""
    for prefix in ("+86", "0086"):
        if raw.startswith(prefix) and len(raw) == len(prefix) + 11:
            raw = raw[len(prefix):]
    if not raw.isdigit():
        raise ValidationFailed("电话号码只能包含数字。", "A phone number has digits only.", field=field)
    if len(raw) == 11 and raw[0] == "1" and raw[1] in "3456789":
        return raw
    if raw[0] == "0" and 10 <= len(raw) <= 12:
        return raw
    raise ValidationFailed(f"电话号码“{value.strip()}”格式不正确：手机号码应为以1开头的11位数字，固定电话请加区号。",
                           "The phone number is not valid: a mobile number has 11 digits starting with 1; "
                           "a landline needs its area code.", field=field)


@transaction.atomic
def appointment_book(*, slot: AppointmentSlot, name: str, id_number: str, phone: str = "",
                     now: dt.datetime | None = None) -> Appointment:
    now = _now(now)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写姓名。", "The name is required.", field="name")
    id_number = validate_id_number(id_number, today=timezone.localdate(now))
    phone = validate_phone(phone)
    slot = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
    start = timezone.make_aware(dt.datetime.combine(slot.date, slot.start))
    if start < now:
        raise ValidationFailed("该时段已过，不能预约。", "This slot is in the past.", field="slot")
    live = slot.appointments.exclude(state=AppointmentState.CANCELLED)
    if live.filter(id_number=id_number).exists():
        raise ConflictError("您已预约该时段。", "You already booked this slot.")
    if live.count() >= slot.capacity:
        raise ConflictError("该时段已约满，请选择其他时段。", "This slot is full; choose another.", code="slot_full")
    appointment = Appointment.objects.create(slot=slot, name=name, id_number=id_number, phone=phone,
                                             code=secrets.token_hex(4).upper())
    audit_record(actor=None, action="hall.appointment_book", obj=appointment,
                 after={"slot": slot.pk, "state": appointment.state})
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.state != AppointmentState.BOOKED:
        raise ConflictError("该预约已签到或已取消，不能再取消。", "The appointment was already checked in or cancelled.")
    appointment.state = AppointmentState.CANCELLED
    appointment.save(update_fields=["state"])
    audit_record(actor=None, action="hall.appointment_cancel", obj=appointment,
                 before={"state": AppointmentState.BOOKED}, after={"state": appointment.state})
    return appointment


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    """签到: within the grace window → an appointment-priority ticket; later → late, a normal ticket."""
    now = _now(now)
    appointment = Appointment.objects.select_for_update().select_related("slot", "slot__domain", "slot__centre"
                                                                         ).get(pk=appointment.pk)
    if appointment.state != AppointmentState.BOOKED:
        raise ConflictError("该预约已签到或已取消。", "The appointment was already checked in or cancelled.")
    slot = appointment.slot
    if timezone.localdate(now) != slot.date:
        raise ValidationFailed(f"预约日期为{slot.date:%Y-%m-%d}，只能当天签到。",
                               "Check in on the day of the appointment.")
    start = timezone.make_aware(dt.datetime.combine(slot.date, slot.start))
    if now < start - dt.timedelta(minutes=CHECKIN_EARLY_MINUTES):
        raise ValidationFailed(f"签到过早，请于{CHECKIN_EARLY_MINUTES}分钟内再签到。",
                               "Too early to check in.")
    due = now <= start + dt.timedelta(minutes=CHECKIN_GRACE_MINUTES)
    ticket = ticket_issue(centre=slot.centre, domain=slot.domain, id_number=appointment.id_number,
                          source=TicketSource.APPOINTMENT, appointment_due=due, now=now)
    appointment.ticket = ticket
    appointment.state = AppointmentState.CHECKED_IN if due else AppointmentState.LATE
    appointment.save(update_fields=["ticket", "state"])
    audit_record(actor=None, action="hall.appointment_check_in", obj=appointment,
                 before={"state": AppointmentState.BOOKED}, after={"state": appointment.state, "ticket": ticket.pk})
    return appointment

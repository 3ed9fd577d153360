"""Two weeks of demo history so the supervision desk and the KPI dashboard have something to show: hall tickets
with their events (bulk rows, as the hall writes them), cases taken through the real services (then dated back),
ratings with a rectification, 办不成事 tickets, door-to-door zones, then the KPI rollups. Seeded, so every demo
looks the same; skipped when the history is already there."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.models import Centre, Department, User
from yichuang.cases import services as cs
from yichuang.cases.models import Case, CaseTransition
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.hall.models import Ticket, TicketEvent
from yichuang.supervision import services as sv
from yichuang.supervision.kpi import kpi_open_snapshot, kpi_rollup
from yichuang.supervision.models import Complaint, DepartmentLead, Rating, Rectification, Zone
from yichuang.workcal.workdays import add_workdays, is_workday

from . import org

DAYS = 14


def _past_workdays(today: dt.date, n: int) -> list[dt.date]:
    out, d = [], today - dt.timedelta(days=1)
    while len(out) < n:
        if is_workday(d):
            out.append(d)
        d -= dt.timedelta(days=1)
    return sorted(out)


def _aware(day: dt.date, minutes: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)) + dt.timedelta(minutes=minutes))


def _tickets(centre: Centre, days: list[dt.date], rnd: random.Random) -> None:
    domains = list(WindowDomain.objects.exclude(code="issuance").order_by("order", "code"))
    clerks = list(User.objects.filter(username__in=["clerk", "clerk2", "guide"]))
    tickets, plan = [], []
    for day in days:
        seqs = {d.pk: 0 for d in domains}
        for _ in range(rnd.randint(90, 140)):
            domain = rnd.choice(domains)
            seqs[domain.pk] += 1
            minute = rnd.choice([rnd.uniform(540, 690), rnd.uniform(840, 1000)])   # 9:00–11:30, 14:00–16:40
            issued = _aware(day, minute)
            peak = 1.8 if 570 <= minute <= 630 or 870 <= minute <= 930 else 1.0
            wait = min(rnd.expovariate(1 / (8 * peak)), 90)
            service = rnd.uniform(4, 22)
            no_show = rnd.random() < 0.05
            tickets.append(Ticket(centre=centre, domain=domain, day=day, seq=seqs[domain.pk],
                                  number=f"{domain.ticket_prefix}{seqs[domain.pk]:03d}", issued_at=issued,
                                  queued_at=issued, state="no_show" if no_show else "done"))
            plan.append((issued + dt.timedelta(minutes=wait), service, no_show, rnd.choice(clerks)))
    Ticket.objects.bulk_create(tickets, batch_size=500)
    events = []
    for t, (called, service, no_show, clerk) in zip(tickets, plan, strict=True):
        events.append(TicketEvent(ticket=t, kind="issued", at=t.issued_at, data={}))
        events.append(TicketEvent(ticket=t, kind="called", at=called, clerk=clerk, data={}))
        if no_show:
            events.append(TicketEvent(ticket=t, kind="no_show", at=called + dt.timedelta(minutes=3), clerk=clerk))
        else:
            events.append(TicketEvent(ticket=t, kind="finished", at=called + dt.timedelta(minutes=service),
                                      clerk=clerk, data={"service_seconds": int(service * 60)}))
    TicketEvent.objects.bulk_create(events, batch_size=1000)


def _cases(days: list[dt.date], rnd: random.Random) -> list[Case]:
    clerk = User.objects.get(username="clerk")
    issuer = User.objects.get(username="issuer")
    approvers = {u.department_id: u for u in User.objects.filter(role="approver", post="A")}
    matters = [m for m in Matter.objects.filter(is_active=True, department_id__in=approvers).order_by("implementation_code")
               if not m.versions.latest("number").snapshot.get("situations")]
    by_dept: dict[int, list[Matter]] = {}
    for m in matters:
        by_dept.setdefault(m.department_id, []).append(m)
    rotation = [ms[k % len(ms)] for k in range(12) for ms in by_dept.values()]
    made = []
    for i in range(36):
        matter = rotation[i % len(rotation)]
        snap = matter.versions.latest("number").snapshot
        form = {f["code"]: "演示" for f in snap.get("form_fields") or [] if f.get("required")
                and (f.get("type") or "text") == "text"}
        try:
            case = cs.case_receive(actor=clerk, matter_code=matter.implementation_code, applicant_name=f"演示申请人{i + 1}",
                                   id_number=org.make_id_number(f"500107{1970 + i % 30}{1 + i % 12:02d}{1 + i % 28:02d}{i:03d}"),
                                   contact_phone="13800001234", form_data=form,
                                   materials={m["code"]: "provided" for m in snap.get("materials", [])})
            approver = approvers[matter.department_id]
            case = cs.case_forward(case=case, actor=clerk)
            case = cs.case_accept(case=case, actor=approver)
            case = cs.case_approve(case=case, actor=approver, opinion="符合条件")
            case = cs.case_mark_ready(case=case, actor=approver)
            cs.case_issue(case=case, actor=issuer, method="window", signed_by=case.applicant_name)
        except Exception:  # a matter the generic generator cannot fill; the demo history skips it
            continue
        day = days[i % len(days)]
        received = _aware(day, rnd.uniform(540, 960))
        handling = rnd.choice([0.02, 0.3, 1, 2, 3, 5, 7, 9, 12])
        decided = min(received + dt.timedelta(days=handling), timezone.now() - dt.timedelta(hours=2))
        decided = max(decided, received + dt.timedelta(minutes=20))
        due = add_workdays(day, max(case.promised_days, 1)).value
        Case.objects.filter(pk=case.pk).update(received_at=received, decided_at=decided, accepted_at=day,
                                               due_date=due if i % 9 else day)
        CaseTransition.objects.filter(case=case, to_state="issued").update(at=decided + dt.timedelta(hours=2))
        made.append(Case.objects.get(pk=case.pk))
    return made


def _ratings(cases: list[Case], rnd: random.Random) -> None:
    supervisor = User.objects.get(username="supervisor")
    for i, case in enumerate(cases[:30]):
        level = 1 if i == 7 else 2 if i == 19 else rnd.choice([5, 5, 5, 4, 4, 3])
        r = sv.rating_submit(case=case, level=level, comment="排队时间太长" if level <= 2 else "")
        when = case.decided_at + dt.timedelta(hours=3)
        Rating.objects.filter(pk=r.pk).update(created_at=when)
        if level <= 2 and i == 7:
            rect = r.rectification
            sv.rectification_callback(rect=rect, actor=supervisor, note="已电话回访，申请人反映高峰期等候过长")
            sv.rectification_reply(rect=rect, actor=supervisor, reply="高峰时段增开2个综窗并启用预约分流")
            sv.rectification_close(rect=rect, actor=supervisor)
            Rectification.objects.filter(pk=rect.pk).update(closed_at=when + dt.timedelta(days=2))


def _supervision_setup(centre: Centre) -> None:
    scj = Department.objects.filter(code=org.department_code("SCJ")).first()
    lead = User.objects.filter(username="approver_scj_b").first()
    if scj and lead and not DepartmentLead.objects.filter(department=scj).exists():
        sv.department_lead_set(department=scj, user=lead)
    if not Zone.objects.filter(centre=centre).exists():
        matters = list(Matter.objects.filter(is_active=True, name__contains="养老")[:3]) + \
            list(Matter.objects.filter(is_active=True, name__contains="残疾")[:2])
        sv.zone_save(actor=None, centre=centre, name="石桥铺街道", days=[7, 15, 21, 28], matters=matters)
        sv.zone_save(actor=None, centre=centre, name="华岩镇", days=[5, 20], matters=matters)
    if not Complaint.objects.exists():
        sup = User.objects.get(username="supervisor")
        sv.complaint_open(actor=sup, centre=centre, kind="consult", channel="hotline",
                          content="新生儿落户需要带哪些材料？")
        sv.complaint_open(actor=sup, centre=centre, kind="help", channel="window",
                          content="外地营业执照变更在本中心办不成，请求协调", department=scj)
        sv.complaint_open(actor=sup, centre=centre, kind="complaint", channel="hotline",
                          content="窗口人员让我回去补材料，跑了两次", department=scj)


def demo_history(*, centre: Centre, seed: int = 20261124) -> bool:
    """Create the history once; True when it was created now."""
    today = timezone.localdate()
    _supervision_setup(centre)
    if Ticket.objects.filter(centre=centre, day__lt=today).exists():
        return False
    rnd = random.Random(seed)
    days = _past_workdays(today, DAYS)
    with transaction.atomic():
        _tickets(centre, days, rnd)
        cases = _cases(days, rnd)
        _ratings(cases, rnd)
    d = days[0]
    while d <= today:
        kpi_rollup(day=d)
        d += dt.timedelta(days=1)
    kpi_open_snapshot(today=today)
    return True

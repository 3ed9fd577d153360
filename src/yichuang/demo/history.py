"""Two weeks of demo history, so the inboxes, the supervision desk and the KPI dashboard have something to show:
hall tickets with their events (bulk rows, as the hall writes them), cases taken through the real services, ratings
with a rectification, then the KPI rollups. Seeded, so every demo looks the same; made once (skipped when the past
days' tickets are there).

Every case step is a service call made at the moment it happens: the steps of all cases are put in time order and
each runs with Django's clock (``django.utils.timezone.now``) set to its moment, so the services write their own
timestamps — history rows, audit chain, notices, deadlines — and a case's history runs forward in time, received
before forwarded before accepted before decided, never later than the real now. A step planned for after now is not
taken: the case waits there, as it would. The open cases are chosen so that every approver has work in the inbox
and the deadline lights show green, yellow and red."""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.models import Centre, Department, User
from yichuang.bundles.models import Bundle, BundleCase
from yichuang.bundles.selectors import bundle_public
from yichuang.bundles.services import bundle_apply
from yichuang.cases import services as cs
from yichuang.cases.constants import Light, SuspensionReason
from yichuang.cases.deadline import due_dates, light
from yichuang.cases.forms import form_validate
from yichuang.cases.models import Case
from yichuang.cases.selectors import case_result_fields
from yichuang.catalog.checklist import checklist_build
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.errors import DomainError
from yichuang.feedback import services as fb
from yichuang.feedback.models import Complaint, Rectification
from yichuang.hall.models import Ticket, TicketEvent
from yichuang.supervision import services as sv
from yichuang.supervision.kpi import kpi_open_snapshot, kpi_rollup
from yichuang.supervision.models import DepartmentLead, Zone
from yichuang.workcal.workdays import is_workday

from . import org, people

log = logging.getLogger(__name__)

DAYS = 14
SEED = 20261124
MORNING, NOON, AFTERNOON, EVENING = 9 * 60, 12 * 60, 13 * 60 + 30, 17 * 60 + 30
# How many completed cases over the two weeks, and the open cases each approving department gets.
DONE_CASES = 42
LIGHTS = {"SCJ": ("green", "yellow", "red"), "GAJ": ("green", "yellow", "red"), "BDC": ("green", "yellow", "red"),
          "RSJ": ("green", "yellow", "red"), "GJJ": ("green", "red"), "SWJ": ("red",), "YH": ("yellow",)}


# ---------------------------------------------------------------- the clock


class DemoClock:
    """Django's ``timezone.now`` while the demo history is made: the moment the current step happens, never later
    than the real now (less a minute) and never earlier than a moment already shown."""

    def __init__(self) -> None:
        self.limit = timezone.now() - dt.timedelta(minutes=1)
        self.at: dt.datetime | None = None

    def now(self) -> dt.datetime:
        return (self.at or self.limit).astimezone(dt.UTC)   # as Django's own: UTC (the audit chain hashes its ISO form)

    def set(self, when: dt.datetime) -> None:
        when = min(when, self.limit)
        self.at = when if self.at is None else max(self.at, when)

    @contextmanager
    def running(self) -> Iterator[DemoClock]:
        with mock.patch.object(timezone, "now", self.now):
            yield self


def demo_start(today: dt.date | None = None) -> dt.datetime:
    """The morning the demo centre was set up: the working day before the history's first day, 8:30."""
    today = today or timezone.localdate()
    first = _past_workdays(today, DAYS)[0]
    d = first - dt.timedelta(days=1)
    while not is_workday(d):
        d -= dt.timedelta(days=1)
    return _aware(d, 8 * 60 + 30)


@contextmanager
def set_up_in_the_past(when: dt.datetime) -> Iterator[None]:
    """Run the demo's set-up (centres, catalogue, users) at ``when``, so that its audit events come before the
    history's."""
    clock = DemoClock()
    clock.set(when)
    with clock.running():
        yield


# ---------------------------------------------------------------- working hours


def _past_workdays(today: dt.date, n: int) -> list[dt.date]:
    out, d = [], today - dt.timedelta(days=1)
    while len(out) < n:
        if is_workday(d):
            out.append(d)
        d -= dt.timedelta(days=1)
    return sorted(out)


def _aware(day: dt.date, minutes: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)) + dt.timedelta(minutes=minutes))


def _in_hours(t: dt.datetime, rnd: random.Random) -> dt.datetime:
    """``t`` if the centre is open then, else a few minutes after it next opens."""
    local = timezone.localtime(t)
    day, minute = local.date(), local.hour * 60 + local.minute + local.second / 60
    if is_workday(day):
        if minute < MORNING:
            return _aware(day, MORNING + rnd.uniform(2, 40))
        if MORNING <= minute < NOON or AFTERNOON <= minute < EVENING:
            return t
        if NOON <= minute < AFTERNOON:
            return _aware(day, AFTERNOON + rnd.uniform(2, 40))
    day += dt.timedelta(days=1)
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return _aware(day, MORNING + rnd.uniform(2, 60))


def _later(t: dt.datetime, minutes: float, rnd: random.Random) -> dt.datetime:
    return _in_hours(t + dt.timedelta(minutes=minutes), rnd)


def _on(day: dt.date, rnd: random.Random, *, earliest: int = MORNING + 5, latest: int = EVENING - 60) -> dt.datetime:
    minute = rnd.uniform(earliest, latest)
    if NOON <= minute < AFTERNOON:
        minute = AFTERNOON + (minute - NOON)
    return _aware(day, minute)


# ---------------------------------------------------------------- hall tickets


def _tickets(centre: Centre, days: list[dt.date], rnd: random.Random) -> None:
    domains = list(WindowDomain.objects.exclude(code="issuance").order_by("order", "code"))
    clerks = list(User.objects.filter(username__in=["clerk", "clerk2", "guide"]))
    rows = []
    for day in days:
        for _ in range(rnd.randint(90, 140)):
            domain = rnd.choice(domains)
            minute = rnd.choice([rnd.uniform(540, 690), rnd.uniform(840, 1000)])   # 9:00–11:30, 14:00–16:40
            peak = 1.8 if 570 <= minute <= 630 or 870 <= minute <= 930 else 1.0
            wait = min(rnd.expovariate(1 / (8 * peak)), 90)
            rows.append((day, domain, _aware(day, minute), wait, rnd.uniform(4, 22), rnd.random() < 0.05,
                         rnd.choice(clerks)))
    # Numbered in order of issue within each domain and day (A001, A002…).
    rows.sort(key=lambda r: (r[0], r[1].pk, r[2]))
    tickets, plan, seqs = [], [], {}
    for day, domain, issued, wait, service, no_show, clerk in rows:
        seq = seqs[(day, domain.pk)] = seqs.get((day, domain.pk), 0) + 1
        tickets.append(Ticket(centre=centre, domain=domain, day=day, seq=seq, number=f"{domain.ticket_prefix}{seq:03d}",
                              issued_at=issued, queued_at=issued, state="no_show" if no_show else "done"))
        plan.append((issued + dt.timedelta(minutes=max(wait, 0.5)), service, no_show, clerk))
    Ticket.objects.bulk_create(tickets, batch_size=500)
    events = []
    for t, (called, service, no_show, clerk) in zip(tickets, plan, strict=True):
        events.append(TicketEvent(ticket=t, centre=centre, kind="issued", at=t.issued_at, data={}))
        events.append(TicketEvent(ticket=t, centre=centre, kind="called", at=called, clerk=clerk, data={}))
        if no_show:
            events.append(TicketEvent(ticket=t, centre=centre, kind="no_show", at=called + dt.timedelta(minutes=3), clerk=clerk))
        else:
            events.append(TicketEvent(ticket=t, centre=centre, kind="finished", at=called + dt.timedelta(minutes=service),
                                      clerk=clerk, data={"service_seconds": int(service * 60)}))
    TicketEvent.objects.bulk_create(events, batch_size=1000)


# ---------------------------------------------------------------- what an applicant writes on a form


def _field_value(spec: dict, *, who: people.Person, org_: people.Company | None, rnd: random.Random,
                 today: dt.date) -> Any:
    code = str(spec.get("code") or spec.get("name") or "")
    label = str(spec.get("label") or code)
    kind = spec.get("type") or "text"
    options = [o["code"] if isinstance(o, dict) else o for o in spec.get("options") or []]
    if kind in ("choice", "select"):
        return rnd.choice(options) if options else ""
    if kind == "multiselect":
        return rnd.sample(options, k=min(len(options), rnd.choice((1, 1, 2)))) if options else []
    if kind == "bool":
        return True
    if kind == "id_number":
        return who.id_number if code in ("id_number", "legal_rep_id") else people.person(rnd).id_number
    if kind == "credit_code":
        return org_.credit_code if org_ else people.company(rnd).credit_code
    if kind == "phone":
        return who.phone
    if kind == "date":
        return (today - dt.timedelta(days=rnd.randint(3, 40))).isoformat()
    if kind == "integer":
        return rnd.randint(3, 40)
    if kind == "number":
        if "比例" in label:
            return rnd.choice([5, 8, 10, 12])
        if "资本" in label:
            return rnd.choice([10, 50, 100, 200])
        return float(rnd.randint(20, 900) * 100)
    if kind == "textarea":
        return "餐饮服务；食品销售；日用百货零售" if "经营范围" in label else f"{label}：详见申请材料"
    # text
    if "身份号码" in label or code.endswith("_id"):
        return people.person(rnd).id_number
    if any(w in label for w in ("名称", "账户名")) or code in ("enterprise_name", "unit_name", "taxpayer_name"):
        return org_.name if org_ else f"九龙坡区{rnd.choice(people.SHOP_WORDS)}便利店"
    if any(w in label for w in ("地址", "住所", "场所", "坐落")):
        return org_.address if org_ and "邮寄" not in label else who.address
    if "新生儿" in label:
        return rnd.choice(people.SURNAMES[:20]) + rnd.choice(people.FEMALE + people.MALE) * 1
    if any(w in label for w in ("姓名", "代表人", "负责人", "户主", "权利人", "义务人", "办税人员", "受让方", "转让方")):
        return who.name if any(w in label for w in ("代表人", "负责人", "经营者", "户主", "权利人", "受让方")) \
            else people.person(rnd).name
    if "证书号" in label:
        return f"渝（{today.year - rnd.randint(1, 8)}）九龙坡区不动产权第{rnd.randint(10**6, 10**7 - 1):07d}号"
    if "编号" in label:
        return f"O{rnd.randint(50, 52)}{rnd.randint(10**7, 10**8 - 1)}"
    if "账号" in label or "户号" in label:
        return f"{rnd.randint(10**11, 10**12 - 1)}"
    if "印章" in label:
        return "公章、财务专用章、发票专用章"
    return f"{label}见申请材料"


@dataclass
class Filing:
    """What the front desk needs to receive a case of ``matter`` for one applicant."""

    matter: Matter
    kwargs: dict[str, Any]
    promised: int
    legal: int
    result_kind: str


def _filing(matter: Matter, rnd: random.Random, today: dt.date, *, who: people.Person | None = None) -> Filing | None:
    snap = matter.versions.latest("number").snapshot
    answers = {}
    for s in snap.get("situations") or []:
        options = [o["code"] if isinstance(o, dict) else o for o in s.get("options") or []]
        if options:
            answers[s["code"]] = options[0] if rnd.random() < 0.6 else rnd.choice(options)
    answers = {k: v for k, v in answers.items() if k != "agent" or v != "agent"}   # no agents in the demo
    for s in snap.get("situations") or []:
        if s["code"] == "agent":
            answers["agent"] = next((o["code"] if isinstance(o, dict) else o for o in s.get("options") or []
                                     if (o["code"] if isinstance(o, dict) else o) == "self"), answers.get("agent"))
    company = "legal_person" in (snap.get("service_objects") or []) and "person" not in (snap.get("service_objects")
                                                                                           or [])
    who = who or people.person(rnd)
    org_ = people.company(rnd) if company else None
    form = {str(f.get("code") or f.get("name")): _field_value(f, who=who, org_=org_, rnd=rnd, today=today)
            for f in snap.get("form_fields") or []}
    try:
        checklist = checklist_build(snap, answers, frozenset())
        if checklist.unanswered:
            return None
        form = form_validate(snap.get("form_fields") or [], form)
    except DomainError:
        return None
    kwargs: dict[str, Any] = {
        "matter_code": matter.implementation_code, "answers": answers, "form_data": form,
        "materials": {item.code: "provided" for item in checklist.items if not item.exempt},
        "contact_phone": who.phone, "contact_address": who.address,
    }
    if company:
        kwargs.update(applicant_kind="company", applicant_name=org_.name, credit_code=org_.credit_code,
                      id_number=who.id_number, contact_name=who.name)
    else:
        kwargs.update(applicant_name=who.name, id_number=who.id_number, contact_name=who.name)
    return Filing(matter=matter, kwargs=kwargs, promised=int(snap.get("promised_limit_days") or 0),
                  legal=int(snap.get("legal_limit_days") or 0), result_kind=str(snap.get("result_kind") or ""))


# ---------------------------------------------------------------- a case's life, step by step


@dataclass
class _Life:
    """One case: its filing and the steps (time, what) still to take."""

    filing: Filing
    steps: list[tuple[dt.datetime, str]]
    online: bool = False
    rating: int | None = None
    case: Case | None = None
    dead: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _done_steps(received: dt.datetime, filing: Filing, rnd: random.Random) -> list[tuple[dt.datetime, str]]:
    """Received → forwarded → accepted → decided → ready → issued (→ closed), in working hours."""
    forwarded = _later(received, rnd.uniform(3, 15), rnd)
    if filing.promised == 0:
        decided = _later(forwarded, rnd.uniform(10, 90), rnd)
        steps = [(received, "receive"), (forwarded, "forward"), (decided, "decide_now")]
    else:
        accepted = _later(forwarded, rnd.choice([30, 90, 240, 600]), rnd)
        span = max(1, min(filing.promised, 6))
        decided = _later(accepted, rnd.uniform(0.3, span) * 8 * 60 + rnd.uniform(0, 120), rnd)
        steps = [(received, "receive"), (forwarded, "forward"), (accepted, "accept"), (decided, "approve")]
    ready = _later(steps[-1][0], rnd.uniform(15, 90), rnd)
    issued = _later(ready, rnd.choice([40, 120, 600, 1200]), rnd)
    rated = _later(issued, rnd.uniform(60, 200), rnd)
    steps += [(ready, "ready"), (issued, "issue"), (rated, "rate"), (_later(rated, 8 * 60, rnd), "close")]
    return steps


def _open_steps(received: dt.datetime, accept_day: dt.date | None, end: str, rnd: random.Random
                ) -> list[tuple[dt.datetime, str]]:
    """A case the back office still works: forwarded, or accepted on ``accept_day`` (and then suspended)."""
    forwarded = _later(received, rnd.uniform(3, 15), rnd)
    steps = [(received, "receive"), (forwarded, "forward")]
    if accept_day is not None:
        accepted = max(_later(forwarded, 20, rnd), _on(accept_day, rnd, earliest=MORNING + 20, latest=EVENING - 150))
        steps.append((accepted, "accept"))
        if end == "suspend":
            steps.append((_later(accepted, rnd.uniform(30, 90), rnd), "suspend"))
    return steps


def _light_on(filing: Filing, accept_day: dt.date, today: dt.date) -> str:
    due = due_dates(start=accept_day, promised_days=filing.promised, legal_days=filing.legal).due_date
    return light(due_date=due, today=today, limit_days=filing.promised).value


def _accept_day_for(filing: Filing, wanted: str, days: list[dt.date], today: dt.date, rnd: random.Random
                    ) -> dt.date | None:
    """An acceptance day among the past working days that gives the case ``wanted`` light today."""
    if filing.promised == 0 and wanted != Light.RED:
        return None
    choices = [d for d in days[1:] if _light_on(filing, d, today) == wanted]
    if not choices:
        return None
    return choices[-1] if wanted != Light.RED else rnd.choice(choices[-4:])


class _Actors:
    def __init__(self) -> None:
        users = {u.username: u for u in User.objects.all()}
        self.clerks = [users[n] for n in ("clerk", "clerk2") if n in users]
        self.issuer = users["issuer"]
        self.supervisor = users["supervisor"]
        self.admin = users["admin"]
        self.applicant = users.get("applicant")
        self.approver = {u.department_id: u for u in User.objects.filter(role="approver").exclude(post="B")}


def _result_data(case: Case, rnd: random.Random) -> dict[str, str]:
    """What approving the case must record (the new 统一社会信用代码 of a 设立登记, …)."""
    out = {}
    for fld in case_result_fields(case=case):
        if fld["required"] and not fld.get("value"):
            out[fld["code"]] = people.company(rnd).credit_code if fld["code"] == "credit_code" \
                else f"{rnd.randint(10**7, 10**8 - 1)}"
    return out


def _take(life: _Life, what: str, actors: _Actors, rnd: random.Random, clerk: User) -> None:
    f = life.filing
    approver = actors.approver[f.matter.department_id]
    case = Case.objects.get(pk=life.case.pk) if life.case is not None else None
    if what == "receive":
        if life.online:
            life.case = cs.case_submit_online(actor=None, **f.kwargs)
        else:
            life.case = cs.case_receive(actor=clerk, **f.kwargs)
        return
    if what == "forward":
        life.case = cs.case_forward(case=case, actor=approver if life.online else clerk)
    elif what == "accept":
        life.case = cs.case_accept(case=case, actor=approver)
    elif what == "decide_now":   # a licence for a new organisation: its credit code is given with the decision
        life.case = cs.case_accept_and_decide(case=case, actor=approver, opinion="符合条件，当场办结",
                                              result_data=_result_data(case, rnd) or None)
    elif what == "approve":
        life.case = cs.case_approve(case=case, actor=approver, opinion="申请材料齐全，符合法定条件，准予办理",
                                    result_data=_result_data(case, rnd) or None)
    elif what == "suspend":
        life.case = cs.case_suspend(case=case, actor=approver, reason=SuspensionReason.SITE_INSPECTION,
                                    note="需现场核查经营场所")
    elif what == "ready":
        life.case = cs.case_mark_ready(case=case, actor=approver)
    elif what == "issue":
        cs.case_issue(case=case, actor=actors.issuer, method="window", signed_by=case.applicant_name)
    elif what == "close":
        cs.case_close(case=case, actor=actors.issuer)
    elif what == "rate" and life.rating:
        rating = fb.rating_submit(case=case, level=life.rating, code=fb.rating_code_issue(case=case),
                                  comment={1: "排队时间太长，材料退回两次", 2: "等候较久"}.get(life.rating, ""))
        rect = Rectification.objects.filter(rating=rating).first()
        if life.rating == 1 and rect is not None:
            life.extra["rect"] = rect


def _plan(days: list[dt.date], today: dt.date, rnd: random.Random, actors: _Actors) -> list[_Life]:
    depts = {d.pk: d for d in Department.objects.filter(pk__in=list(actors.approver))}
    by_dept: dict[int, list[Matter]] = {}
    for m in Matter.objects.filter(is_active=True, department_id__in=list(depts)).order_by("implementation_code"):
        by_dept.setdefault(m.department_id, []).append(m)
    lives: list[_Life] = []
    # Completed cases over the two weeks, every department in turn.
    rotation = [ms[k % len(ms)] for k in range(12) for ms in by_dept.values()]
    k = 0
    while len(lives) < DONE_CASES and k < 4 * DONE_CASES:
        matter = rotation[k % len(rotation)]
        k += 1
        filing = _filing(matter, rnd, today)
        if filing is None:
            continue
        day = days[min(len(days) - 1, int(rnd.triangular(0, len(days) - 3, 2)))]
        life = _Life(filing=filing, steps=_done_steps(_on(day, rnd), filing, rnd))
        life.rating = rnd.choice([5, 5, 5, 5, 4, 4, 3])
        lives.append(life)
    if len(lives) > 20:
        lives[7].rating, lives[19].rating = 1, 2
    # Two decided yesterday whose results wait at the issuance window.
    for matter in [m for ms in by_dept.values() for m in ms if m.promised_limit_days == 0][:2]:
        filing = _filing(matter, rnd, today)
        if filing is not None:
            steps = _done_steps(_on(days[-1], rnd, latest=NOON - 60), filing, rnd)
            lives.append(_Life(filing=filing, steps=steps[:[w for _t, w in steps].index("ready") + 1]))
    # Open cases: each approving department's lights, and one waiting to be accepted.
    short = {d.pk: d.code.rsplit("-", 1)[-1] for d in depts.values()}
    for dept_id, matters in by_dept.items():
        wanted = LIGHTS.get(short[dept_id], ())
        pool = matters[:]
        rnd.shuffle(pool)
        for colour in wanted:
            for matter in sorted(pool, key=lambda m: (m.promised_limit_days == 0, rnd.random())):
                filing = _filing(matter, rnd, today)
                day = _accept_day_for(filing, colour, days, today, rnd) if filing else None
                if day is None:
                    continue
                received_day = max((d for d in days if d < day), default=day)
                received = _on(received_day, rnd, earliest=MORNING + 5, latest=EVENING - 90)
                end = "suspend" if colour == "green" and short[dept_id] == "SCJ" else ""
                lives.append(_Life(filing=filing, steps=_open_steps(received, day, end, rnd)))
                break
        for matter in pool:   # waiting for acceptance (received yesterday)
            filing = _filing(matter, rnd, today)
            if filing is not None:
                lives.append(_Life(filing=filing, steps=_open_steps(_on(days[-1], rnd), None, "", rnd)))
                break
    # The demo applicant (孙小梅): one case issued, one applied online and waiting for the back office's pre-review.
    me = _demo_applicant()
    online = [m for m in Matter.objects.filter(is_active=True, department_id__in=list(depts)).order_by("name")
              if m.name in ("居民身份证换领", "住房公积金提取", "城乡居民基本医疗保险参保登记", "社会保障卡申领")]
    for i, matter in enumerate(online[:2]):
        filing = _filing(matter, rnd, today, who=me)
        if filing is None:
            continue
        if i == 0:
            life = _Life(filing=filing, steps=_done_steps(_on(days[-6], rnd), filing, rnd), rating=5)
        else:
            life = _Life(filing=filing, steps=[(_on(days[-1], rnd), "receive")], online=True)
        lives.append(life)
    return lives


def _demo_applicant() -> people.Person:
    _u, display, _role, _d, _p, _c, id17, phone, _s = next(u for u in org.USERS if u[0] == "applicant")
    return people.Person(name=display, id_number=org.make_id_number(id17), phone=phone, sex="女",
                         birth=dt.date(int(id17[6:10]), int(id17[10:12]), int(id17[12:14])),
                         address="重庆市九龙坡区杨家坪正街66号3-2")


def _run_with_followups(lives: list[_Life], clock: DemoClock, actors: _Actors, rnd: random.Random) -> list[Case]:
    """Every step of every case in time order, each at its moment, with the follow-ups (a bad rating's
    rectification: callback, reply, close) as steps of their own; a step planned for after now is not taken."""
    queue: list[tuple[dt.datetime, int, int, Callable[[], None] | None]] = []
    seq = 0
    for i, life in enumerate(lives):
        if life.steps:
            queue.append((life.steps[0][0], seq, i, None))
            seq += 1
    heapq.heapify(queue)
    clerks = actors.clerks
    position = {i: 0 for i in range(len(lives))}
    while queue:
        when, _s, i, follow = heapq.heappop(queue)
        if when > clock.limit:
            continue
        clock.set(when)
        if follow is not None:
            try:
                with transaction.atomic():
                    follow()
            except DomainError as exc:
                log.info("demo history: follow-up skipped: %s", exc.message_en)
            continue
        life = lives[i]
        if life.dead:
            continue
        n = position[i]
        what = life.steps[n][1]
        try:
            with transaction.atomic():
                _take(life, what, actors, rnd, clerks[i % len(clerks)])
        except DomainError as exc:   # a matter the generic generator cannot fill: that case stops there
            log.info("demo history: %s stopped at %s: %s", life.filing.matter.name, what, exc.message_en)
            life.dead = True
            continue
        if "rect" in life.extra:
            rect = life.extra.pop("rect")
            # The department rectifies (the supervisor only watches); a window's rating: the administrator.
            fixer = actors.approver.get(rect.department_id) or actors.admin
            t1 = _later(when, 6 * 60, rnd)
            t2 = _later(t1, 16 * 60, rnd)
            t3 = _later(t2, 20 * 60, rnd)
            for t, fn in ((t1, lambda r=rect, u=fixer: fb.rectification_callback(
                               rect=r, actor=u, note="已电话回访，申请人反映高峰期等候过长")),
                          (t2, lambda r=rect, u=fixer: fb.rectification_reply(
                              rect=r, actor=u, reply="高峰时段增开2个综窗并启用预约分流")),
                          (t3, lambda r=rect, u=fixer: fb.rectification_close(rect=r, actor=u))):
                heapq.heappush(queue, (t, seq, i, fn))
                seq += 1
        position[i] = n + 1
        if n + 1 < len(life.steps):
            heapq.heappush(queue, (max(life.steps[n + 1][0], when), seq, i, None))
            seq += 1
    return [life.case for life in lives if life.case is not None]


# ---------------------------------------------------------------- supervision set-up


def supervision_setup(centre: Centre) -> None:
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
        sup = User.objects.get(username="guide")  # 办不成事 / hotline tickets: registered by the front office
        fb.complaint_open(actor=sup, centre=centre, kind="consult", channel="hotline",
                          content="新生儿落户需要带哪些材料？")
        fb.complaint_open(actor=sup, centre=centre, kind="help", channel="window",
                          content="外地营业执照变更在本中心办不成，请求协调", department=scj)
        fb.complaint_open(actor=sup, centre=centre, kind="complaint", channel="hotline",
                          content="窗口人员让我回去补材料，跑了两次", department=scj)


def _bundle_case_today(rnd: random.Random, today: dt.date) -> None:
    """One 企业开办 (一件事) received at a comprehensive window this morning, through the bundle service: its
    sub-cases without prerequisites are forwarded to their departments, the rest wait for the business licence."""
    bundle = Bundle.objects.filter(code="qykb", is_active=True).first()
    clerk = User.objects.filter(username="clerk").first()
    if bundle is None or clerk is None or BundleCase.objects.filter(bundle=bundle).exists():
        return
    who, org_ = people.person(rnd, born_from=1975, born_to=1998), people.company(rnd)
    questions = bundle_public(bundle=bundle)["questionnaire"]
    answers = {q["code"]: q["options"][0]["code"] for q in questions}  # 有限责任公司, 本人办理
    public = bundle_public(bundle=bundle, answers=answers)
    form = {f["code"]: _field_value(f, who=who, org_=org_, rnd=rnd, today=today) for f in public["fields"]}
    materials = {m["key"]: "provided" for m in public["checklist"] if not m["exempt"]}
    bundle_apply(bundle=bundle, actor=clerk, applicant_name=who.name, id_number=who.id_number,
                 contact_phone=who.phone, contact_address=who.address, answers=answers, form_data=form,
                 materials=materials)


def demo_history(*, centre: Centre, seed: int = SEED) -> bool:
    """Create the history once; True when it was created now."""
    today = timezone.localdate()
    if Ticket.objects.filter(centre=centre, day__lt=today).exists():
        supervision_setup(centre)
        return False
    rnd = random.Random(seed)
    days = _past_workdays(today, DAYS)
    clock = DemoClock()
    actors = _Actors()
    started = timezone.now()
    with clock.running(), transaction.atomic():
        _tickets(centre, days, rnd)
        lives = _plan(days, today, rnd, actors)
        _run_with_followups(lives, clock, actors, rnd)
        clock.set(min(_aware(today, MORNING + 25), started))  # this morning, never ahead of the real clock
        _bundle_case_today(rnd, today)
    supervision_setup(centre)
    d = days[0]
    while d <= today:
        kpi_rollup(day=d)
        d += dt.timedelta(days=1)
    kpi_open_snapshot(today=today)
    return True

"""The simulated day (SimPy), calling tickets with the live hall's dispatch policy.

Each window is a SimPy process: when its clerk is free it asks ``yichuang.hall.dispatch.choose`` — the very
function ``ticket_call_next`` uses — which ticket to call, with the snapshot built the way the live hall builds
it: the window's ``WindowView`` (window type + clerk skills), the candidate set (waiting tickets this window may
serve, best class first, oldest first, at most ``CANDIDATE_LIMIT``), and the open windows for scarcity.
A window with nothing to call sleeps until a ticket it may serve arrives (the longest-idle window is woken).

Tickets are drawn up front from the seed (arrival, domain, priority class, no-show, service time), so two
layouts compared with the same seed see exactly the same applicants (common random numbers).
Times are minutes after midnight; the policy gets datetimes on a fixed day.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from dataclasses import dataclass, field
from itertools import islice

import simpy

from yichuang.hall import dispatch
from yichuang.hall.constants import CANDIDATE_LIMIT, PriorityClass

from .layouts import expand
from .scenario import Scenario, WindowSpec

BASE = dt.datetime(2026, 1, 5)  # a Monday; only differences of datetimes matter to the policy
_MINUTE = dt.timedelta(minutes=1)
PRIORITY_KEYS = (("elderly", PriorityClass.ELDERLY), ("priority", PriorityClass.PRIORITY),
                 ("appointment", PriorityClass.APPOINTMENT))


@dataclass(slots=True)
class SimTicket:
    id: int
    domain: int  # index into scenario.domains
    priority: int
    arrival: float
    no_show: bool
    service: float
    view: dispatch.TicketView | None = None
    called: float | None = None
    window: int | None = None


@dataclass
class DayRun:
    """What one simulated day produced (raw; ``stats.summarise`` turns runs into figures)."""

    tickets: list[SimTicket]
    windows: list[WindowSpec]
    busy: list[float]
    served: list[int]
    open_minutes: float
    queue_times: list[float] = field(default_factory=list)
    queue_total: list[int] = field(default_factory=list)
    queue_by_domain: list[list[int]] = field(default_factory=list)
    unserved: int = 0


def draw_tickets(sc: Scenario, rng: random.Random) -> list[SimTicket]:
    """The day's applicants: Poisson arrivals per domain and hour (or replayed ones), sorted by arrival."""
    raw: list[tuple[float, int, int | None]] = []
    for di, d in enumerate(sc.domains):
        if d.replay:
            prios = d.replay_priorities or (None,) * len(d.replay)
            raw += [(t, di, p) for t, p in zip(d.replay, prios)]
            continue
        for a, b in sc.open_intervals():
            for h in range(a // 60, -(-b // 60)):
                rate = d.rates.get(h, 0.0)
                if rate <= 0:
                    continue
                lo, hi = max(a, h * 60), min(b, h * 60 + 60)
                t = lo + rng.expovariate(rate / 60.0)
                while t < hi:
                    raw.append((t, di, None))
                    t += rng.expovariate(rate / 60.0)
    raw.sort(key=lambda r: (r[0], r[1]))
    samplers = [d.service.sampler(rng) for d in sc.domains]
    mix = sc.priority_mix
    tickets = []
    for i, (t, di, prio) in enumerate(raw, start=1):
        if prio is None:
            u, prio, acc = rng.random(), PriorityClass.NORMAL, 0.0
            for key, cls in PRIORITY_KEYS:
                acc += mix.get(key, 0.0)
                if u < acc:
                    prio = cls
                    break
        no_show = sc.no_show > 0 and rng.random() < sc.no_show
        tickets.append(SimTicket(id=i, domain=di, priority=int(prio), arrival=t, no_show=no_show,
                                 service=samplers[di]()))
    return tickets


def window_view(spec: WindowSpec, wid: int, sc: Scenario, index: dict[str, int]) -> dispatch.WindowView:
    """The ``WindowView`` the live hall would build (hall.eligibility.window_views) for this window and clerk."""
    if spec.type == "department":
        domains = frozenset(index[d.key] for d in sc.domains if d.department == spec.department) | frozenset(
            index[k] for k in spec.domains)
    else:
        domains = frozenset(index[k] for k in spec.domains)
    return dispatch.WindowView(id=wid, all_domains=spec.type == "general", domains=domains,
                               clerk_domains=frozenset(index[k] for k in spec.skills))


class _Hall:
    def __init__(self, sc: Scenario, specs: list[WindowSpec], policy: dispatch.Policy, tickets: list[SimTicket]):
        self.sc, self.specs, self.policy, self.tickets = sc, specs, policy, tickets
        index = {d.key: i + 1 for i, d in enumerate(sc.domains)}  # domain ids as the live hall has them
        self.views = [window_view(s, i + 1, sc, index) for i, s in enumerate(specs)]
        nd = len(sc.domains)
        probes = [dispatch.TicketView(id=0, domain_id=d + 1, priority=PriorityClass.NORMAL, queued_at=BASE)
                  for d in range(nd)]
        # What each window may serve, asked of the policy module itself (window type AND clerk skill).
        self.servable = [[d for d in range(nd) if dispatch.can_serve(v, probes[d])] for v in self.views]
        self.open_views = tuple(self.views)
        self.able = dispatch.scarcity_table(self.open_views, probes)
        # Waiting tickets by (domain, class), each an insertion-ordered dict (= queued_at order).
        self.waiting: list[list[dict[int, SimTicket]]] = [[{} for _ in range(4)] for _ in range(nd)]
        self.n_waiting = 0
        self.n_waiting_domain = [0] * nd
        self.idle: dict[int, simpy.Event] = {}
        self.busy = [0.0] * len(specs)
        self.served = [0] * len(specs)
        self.env = simpy.Environment(initial_time=sc.open)
        self.closed = False

    # ------------------------------------------------------------ the queue

    def enqueue(self, t: SimTicket) -> None:
        t.view = dispatch.TicketView(id=t.id, domain_id=t.domain + 1, priority=t.priority,
                                     queued_at=BASE + t.arrival * _MINUTE)
        self.waiting[t.domain][t.priority][t.id] = t
        self.n_waiting += 1
        self.n_waiting_domain[t.domain] += 1
        for w in self.idle:  # wake the longest-idle window that may serve it
            if t.domain in self.servable_set[w]:
                self.idle.pop(w).succeed()
                break

    def candidates(self, w: int) -> tuple[dispatch.TicketView, ...]:
        """As ``hall.services.calling.candidate_snapshot``: best class first, oldest first, at most CANDIDATE_LIMIT."""
        doms = self.servable[w]
        for cls in range(4):
            queues = [self.waiting[d][cls] for d in doms if self.waiting[d][cls]]
            if not queues:
                continue
            if len(queues) == 1:
                return tuple(t.view for t in islice(queues[0].values(), CANDIDATE_LIMIT))
            merged = heapq.merge(*(q.values() for q in queues), key=lambda t: t.id)  # id order = queued order
            return tuple(t.view for t in islice(merged, CANDIDATE_LIMIT))
        return ()

    def call_next(self, w: int) -> SimTicket | None:
        tickets = self.candidates(w)
        if not tickets:
            return None
        snapshot = dispatch.Snapshot(tickets=tickets, windows=self.open_views, able=self.able)
        chosen = dispatch.choose(snapshot, self.views[w], BASE + self.env.now * _MINUTE, self.policy)
        if chosen is None:
            return None
        t = self.tickets[chosen - 1]
        del self.waiting[t.domain][t.priority][t.id]
        self.n_waiting -= 1
        self.n_waiting_domain[t.domain] -= 1
        return t

    # ------------------------------------------------------------ processes

    def arrivals(self):
        env = self.env
        for t in self.tickets:
            if t.arrival > env.now:
                yield env.timeout(t.arrival - env.now)
            self.enqueue(t)

    def _resume_at(self) -> float | None:
        """When a free clerk may call again (None: the day is over for calling)."""
        now, sc = self.env.now, self.sc
        if sc.is_open(now):
            return now
        if sc.lunch and sc.lunch[0] <= now < sc.lunch[1] and sc.serve_before_lunch and self.n_waiting:
            return now  # 午间延时: whoever holds a number at the break is still called (the queue only drains)
        for a, _b in self.sc.open_intervals():
            if a > now:
                return a
        if self.sc.serve_after_close and self.n_waiting:
            return now
        return None

    def window(self, w: int):
        env, sc = self.env, self.sc
        while True:
            at = self._resume_at()
            if at is None:
                return
            if at > env.now:
                yield env.timeout(at - env.now)
                continue
            t = self.call_next(w)
            if t is None:
                if env.now >= sc.close:
                    return
                wake = env.event()
                self.idle[w] = wake
                yield wake
                continue
            t.called, t.window = env.now, w
            took = sc.no_show_minutes if t.no_show else t.service
            self.busy[w] += took
            if not t.no_show:
                self.served[w] += 1
            yield env.timeout(took)

    def sampler(self, run: DayRun):
        env, step = self.env, self.sc.sample_minutes
        while env.now <= self.sc.close:
            run.queue_times.append(env.now)
            run.queue_total.append(self.n_waiting)
            run.queue_by_domain.append(list(self.n_waiting_domain))
            yield env.timeout(step)

    def run(self) -> DayRun:
        self.servable_set = [set(s) for s in self.servable]
        run = DayRun(tickets=self.tickets, windows=self.specs, busy=self.busy, served=self.served,
                     open_minutes=self.sc.open_minutes())
        env = self.env
        env.process(self.arrivals())
        for w in range(len(self.specs)):
            env.process(self.window(w))
        env.process(self.sampler(run))
        env.run(until=self.sc.close)
        if self.sc.serve_after_close:
            env.run(until=self.sc.close + 24 * 60)  # drain: windows stop once nothing is waiting
        run.unserved = sum(1 for t in self.tickets if t.called is None)
        return run


def policy_for(sc: Scenario, name: str) -> dispatch.Policy:
    """'dispatch' = the live policy with the scenario's starvation bound; 'fifo' = plain FIFO within class."""
    if name == "fifo":
        return dispatch.Policy(starvation_minutes=sc.starvation_minutes, fifo=True)
    if name != "dispatch":
        raise ValueError(name)
    return dispatch.Policy(starvation_minutes=sc.starvation_minutes)


def simulate_day(sc: Scenario, *, seed: int, groups=None, policy: str = "dispatch") -> DayRun:
    """One day. The same ``seed`` gives the same applicants whatever the layout and policy."""
    rng = random.Random(seed)
    tickets = draw_tickets(sc, rng)
    specs = expand(sc, groups)
    return _Hall(sc, specs, policy_for(sc, policy), tickets).run()

"""Property tests of the pure dispatch policy."""

import datetime as dt

from hypothesis import given, settings, strategies as st

from yichuang.hall.dispatch import (Policy, Snapshot, TicketView, WindowView, can_serve, choose, scarcity_by_domain,
                                     scarcity_of, windows_able)

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
DOMAINS = [1, 2, 3]


@st.composite
def tickets(draw, min_size=0):
    n = draw(st.integers(min_value=min_size, max_value=25))
    out = []
    for i in range(n):
        out.append(TicketView(
            id=i + 1,
            domain_id=draw(st.sampled_from(DOMAINS)),
            matter_id=draw(st.sampled_from([None, 10, 11])),
            priority=draw(st.integers(min_value=0, max_value=3)),
            queued_at=NOW - dt.timedelta(minutes=draw(st.integers(min_value=0, max_value=120))),
        ))
    return tuple(out)


@st.composite
def windows(draw, wid=100):
    doms = frozenset(draw(st.sets(st.sampled_from(DOMAINS))))
    return WindowView(
        id=wid,
        all_domains=draw(st.booleans()),
        domains=doms,
        matters=frozenset(draw(st.sets(st.sampled_from([10, 11])))),
        clerk_domains=frozenset(draw(st.sets(st.sampled_from(DOMAINS)))),
        clerk_matters=frozenset(draw(st.sets(st.sampled_from([10, 11])))),
    )


policies = st.builds(Policy, starvation_minutes=st.sampled_from([15.0, 30.0, 60.0]),
                     wait_weight=st.sampled_from([0.5, 1.0, 2.0]), scarcity_weight=st.sampled_from([0.0, 10.0, 50.0]),
                     fifo=st.booleans())


@st.composite
def scenario(draw):
    w = draw(windows())
    others = tuple(draw(windows(wid=200 + i)) for i in range(draw(st.integers(0, 3))))
    return Snapshot(tickets=draw(tickets()), windows=others + (w,)), w, draw(policies)


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_never_to_a_window_that_may_not_serve(sc):
    snap, w, policy = sc
    chosen = choose(snap, w, NOW, policy)
    eligible = [t for t in snap.tickets if can_serve(w, t)]
    if not eligible:
        assert chosen is None
    else:
        t = next(t for t in snap.tickets if t.id == chosen)
        assert can_serve(w, t)


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_elderly_never_passed_over_by_lower_class(sc):
    snap, w, policy = sc
    chosen = choose(snap, w, NOW, policy)
    if chosen is None:
        return
    t = next(t for t in snap.tickets if t.id == chosen)
    elderly_eligible = [x for x in snap.tickets if x.priority == 0 and can_serve(w, x)]
    if elderly_eligible:
        assert t.priority == 0
    # and more generally: never a worse class while a better eligible one waits
    assert t.priority == min(x.priority for x in snap.tickets if can_serve(w, x))


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_no_starvation(sc):
    snap, w, policy = sc
    chosen = choose(snap, w, NOW, policy)
    if chosen is None:
        return
    t = next(x for x in snap.tickets if x.id == chosen)
    bound = dt.timedelta(minutes=policy.starvation_minutes)
    starving = [x for x in snap.tickets if can_serve(w, x) and x.priority == t.priority and NOW - x.queued_at > bound]
    if starving:
        # a ticket over the bound goes before any newer ticket of its class: the oldest starving one is chosen
        assert NOW - t.queued_at > bound
        assert t.queued_at == min(x.queued_at for x in starving)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=20), st.integers(min_value=0, max_value=3), st.integers(0, 10))
def test_fifo_within_equal_scores(n, priority, minutes):
    # Same domain, class and queue time: equal scores, so the lowest id (first issued) wins.
    same = NOW - dt.timedelta(minutes=minutes)
    ts = tuple(TicketView(id=i, domain_id=1, priority=priority, queued_at=same) for i in range(n, 0, -1))
    w = WindowView(id=1, all_domains=True, clerk_domains=frozenset({1}))
    assert choose(Snapshot(tickets=ts, windows=(w,)), w, NOW) == 1


def test_fifo_policy_takes_oldest_of_best_class():
    w = WindowView(id=1, all_domains=True, clerk_domains=frozenset({1, 2}))
    ts = (TicketView(id=1, domain_id=1, priority=3, queued_at=NOW - dt.timedelta(minutes=5)),
          TicketView(id=2, domain_id=2, priority=3, queued_at=NOW - dt.timedelta(minutes=9)),
          TicketView(id=3, domain_id=1, priority=0, queued_at=NOW))
    assert choose(Snapshot(tickets=ts), w, NOW, Policy(fifo=True)) == 3
    assert choose(Snapshot(tickets=ts[:2]), w, NOW, Policy(fifo=True)) == 2


def test_scarcity_prefers_domain_few_windows_serve():
    w = WindowView(id=1, all_domains=True, clerk_domains=frozenset({1, 2}))
    others = tuple(WindowView(id=10 + i, domains=frozenset({1}), clerk_domains=frozenset({1})) for i in range(4))
    ts = (TicketView(id=1, domain_id=1, priority=3, queued_at=NOW - dt.timedelta(minutes=3)),
          TicketView(id=2, domain_id=2, priority=3, queued_at=NOW - dt.timedelta(minutes=1)))
    # domain 2 is served only by this window: its bonus (10/1) beats 2 minutes of extra wait (10/5 + 3).
    assert choose(Snapshot(tickets=ts, windows=others + (w,)), w, NOW) == 2


def test_transferred_to_named_window_only():
    w = WindowView(id=1, all_domains=True, clerk_domains=frozenset({1}))
    ts = (TicketView(id=1, domain_id=1, priority=3, queued_at=NOW, target_window_id=2),)
    assert choose(Snapshot(tickets=ts), w, NOW) is None


MATTER_DOMAIN = {10: 1, 11: 2}  # a matter belongs to one domain


@settings(max_examples=300, deadline=None)
@given(st.lists(windows(), max_size=6), st.lists(st.sampled_from([(1, None), (2, None), (3, None), (1, 10), (2, 11)]),
                                                 min_size=1, max_size=10))
def test_scarcity_tables_give_windows_able_of_every_ticket(ws, keys):
    # The claim statement reads scarcity from these two tables (hall.scarcity); they must agree with counting.
    listed = set().union(*(w.matters | w.clerk_matters for w in ws)) if ws else set()
    by_domain, by_matter = scarcity_by_domain(ws, DOMAINS, {m: MATTER_DOMAIN[m] for m in listed})
    for i, (d, m) in enumerate(keys):
        t = TicketView(id=i, domain_id=d, matter_id=m, priority=3, queued_at=NOW)
        assert scarcity_of(t, by_domain, by_matter) == windows_able(ws, t)
    assert set(by_matter) <= listed  # only the matters some list names are kept


def test_scarcity_of_a_ticket_sent_to_one_window_is_one():
    w = WindowView(id=1, all_domains=True, clerk_domains=frozenset({1}))
    t = TicketView(id=1, domain_id=1, priority=3, queued_at=NOW, target_window_id=1)
    assert scarcity_of(t, *scarcity_by_domain([w, w], DOMAINS, {})) == 1

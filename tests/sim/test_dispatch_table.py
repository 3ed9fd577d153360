"""The scarcity table the simulator passes to the live policy changes nothing but speed."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from yichuang.hall import dispatch

BASE = dt.datetime(2026, 1, 5, 9)
domains = st.integers(1, 4)


@st.composite
def hall(draw):
    windows = tuple(dispatch.WindowView(id=i + 1, all_domains=draw(st.booleans()),
                                        domains=frozenset(draw(st.sets(domains, max_size=3))),
                                        clerk_domains=frozenset(draw(st.sets(domains, min_size=1, max_size=4))))
                    for i in range(draw(st.integers(1, 6))))
    tickets = tuple(dispatch.TicketView(id=i + 1, domain_id=draw(domains), priority=draw(st.integers(0, 3)),
                                        queued_at=BASE + dt.timedelta(minutes=draw(st.integers(0, 90))),
                                        target_window_id=draw(st.sampled_from([None, None, None, 1])))
                    for i in range(draw(st.integers(0, 25))))
    return windows, tickets


@settings(max_examples=200, deadline=None)
@given(hall(), st.integers(0, 5), st.integers(60, 150))
def test_choose_with_table_equals_choose_without(h, which, minutes):
    windows, tickets = h
    window = windows[which % len(windows)]
    now = BASE + dt.timedelta(minutes=minutes)
    plain = dispatch.choose(dispatch.Snapshot(tickets=tickets, windows=windows), window, now)
    table = dispatch.scarcity_table(windows, tickets)
    fast = dispatch.choose(dispatch.Snapshot(tickets=tickets, windows=windows, able=table), window, now)
    assert plain == fast

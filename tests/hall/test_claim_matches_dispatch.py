"""The live call claims exactly what the dispatch policy ranks first for the same queue, on SQLite and PostgreSQL.

The snapshot is built here independently of the call's own queries: every waiting ticket of the centre and the
views of every open window (so the policy counts scarcity itself), against the call's bounded candidate query,
its scarcity counts from the cache and its ``FOR UPDATE SKIP LOCKED`` claim over the ranked ids.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yichuang.accounts.models import Department, User
from yichuang.catalog.models import Matter
from yichuang.core.errors import NotFound, ValidationFailed
from yichuang.hall import dispatch, scarcity, services
from yichuang.hall.models import Ticket, Window
from yichuang.sim import engine
from yichuang.sim.scenario import example_scenarios, load_scenario

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

ticket_st = st.fixed_dictionaries({
    "what": st.sampled_from(["a", "b", "m1", "m2"]),
    "priority": st.integers(0, 3),
    "seconds_ago": st.integers(0, 3600),
    "target": st.sampled_from([None, None, None, "self", "other"]),
})
window_st = st.fixed_dictionaries({
    "type": st.sampled_from(["general", "domain_a", "domain_b", "department"]),
    "skill_domains": st.sets(st.sampled_from(["a", "b"])),
    "skill_matters": st.sets(st.sampled_from(["m1", "m2"])),
})


class _Rollback(Exception):
    pass


def _snapshot(centre_id: int) -> tuple[dispatch.Snapshot, list[dispatch.WindowView]]:
    views = services.open_window_views(centre_id=centre_id)
    tickets = tuple(dispatch.TicketView(id=t.pk, domain_id=t.domain_id, matter_id=t.matter_id, priority=t.priority,
                                        queued_at=t.queued_at, target_window_id=t.target_window_id)
                    for t in Ticket.objects.filter(centre_id=centre_id, state="waiting"))
    return dispatch.Snapshot(tickets=tickets, windows=tuple(views)), views


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(ticket_st, max_size=14), me=window_st, others=st.lists(window_st, max_size=3),
       fifo=st.booleans(), starve=st.sampled_from([5.0, 30.0, 120.0]))
def test_the_call_claims_what_dispatch_ranks_first(hall, tickets, me, others, fifo, starve):
    h = hall
    dept2 = Department.objects.get_or_create(code="ga", defaults={"name": "公安局", "centre": h.centre})[0]
    m2 = Matter.objects.get_or_create(
        implementation_code="M2", defaults=dict(name="户口迁移", department=dept2, matter_type="confirmation",
                                                domain=h.b, legal_limit_days=1, promised_limit_days=1,
                                                handling_kind="immediate"))[0]
    names = {"a": h.a, "b": h.b, "m1": h.matter, "m2": m2}
    scarcity.forget(h.centre.pk)  # a count kept by an earlier example, whose windows were rolled back
    try:
        with transaction.atomic():
            windows = []
            for i, spec in enumerate([me, *others]):
                user = User.objects.create(username=f"p{i}", role="clerk", centre=h.centre)
                services.skill_set(user=user, domains=[names[d] for d in spec["skill_domains"]],
                                   matters=[names[m] for m in spec["skill_matters"]])
                wtype = "domain" if spec["type"].startswith("domain") else spec["type"]
                w = Window.objects.create(centre=h.centre, number=f"P{i}", window_type=wtype, state="open",
                                          clerk=user, department=h.dept if wtype == "department" else None)
                if wtype == "domain":
                    w.domains.set([h.a if spec["type"] == "domain_a" else h.b])
                windows.append((w, user))
            my_window, my_clerk = windows[0]
            other_window = windows[1][0] if len(windows) > 1 else None
            for i, spec in enumerate(tickets):
                obj = names[spec["what"]]
                matter = obj if isinstance(obj, Matter) else None
                domain = matter.domain if matter else obj
                target = {"self": my_window, "other": other_window}.get(spec["target"]) if spec["target"] else None
                at = NOW - dt.timedelta(seconds=spec["seconds_ago"])
                Ticket.objects.create(centre=h.centre, domain=domain, matter=matter, day=at.date(), seq=i + 1,
                                      number=f"X{i}", priority=spec["priority"], issued_at=at, queued_at=at,
                                      target_window=target)
            scarcity.forget(h.centre.pk)  # the windows above were made without the services, which would say so
            policy = dispatch.Policy(starvation_minutes=starve, fifo=fifo)
            snapshot, views = _snapshot(h.centre.pk)
            view = next(v for v in views if v.id == my_window.pk)
            expected = dispatch.choose(snapshot, view, NOW, policy)
            try:
                got = services.ticket_call_next(window=my_window, clerk=my_clerk, now=NOW, policy=policy).pk
            except (NotFound, ValidationFailed):
                got = None
            assert got == expected
            raise _Rollback
    except _Rollback:
        pass


def test_the_live_hall_and_the_simulator_run_the_same_ranking(open_hall, monkeypatch):
    """Both go through ``dispatch.rank``: the live call directly, the simulator through ``dispatch.choose``."""
    seen = []
    real = dispatch.rank

    def spy(snapshot, window, now, policy=dispatch.Policy()):
        ranked = real(snapshot, window, now, policy)
        seen.append(ranked[:1])
        return ranked

    monkeypatch.setattr(dispatch, "rank", spy)
    t = services.ticket_issue(centre=open_hall.centre, domain=open_hall.a)
    assert services.ticket_call_next(window=open_hall.w1, clerk=open_hall.c1).pk == t.pk
    assert seen == [[t.pk]]
    engine.simulate_day(load_scenario(example_scenarios()["county_skills"]), seed=1)
    assert len(seen) > 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ticket_being_claimed_by_another_window_is_skipped_for_the_next_ranked(hall):
    """PostgreSQL: while another window's call holds the best-ranked ticket, the call takes the second."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's IMMEDIATE transactions serialise the calls instead")
    clerk = hall.clerk(domains=[hall.a])
    window = hall.window(number="1", clerk_user=clerk)
    first = services.ticket_issue(centre=hall.centre, domain=hall.a, now=NOW - dt.timedelta(minutes=2))
    second = services.ticket_issue(centre=hall.centre, domain=hall.a, now=NOW - dt.timedelta(minutes=1))
    locked, release = threading.Event(), threading.Event()

    def other_window():
        try:
            with transaction.atomic():
                list(Ticket.objects.select_for_update().filter(pk=first.pk))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=other_window)
    holder.start()
    try:
        assert locked.wait(10)
        assert services.ticket_call_next(window=window, clerk=clerk, now=NOW).pk == second.pk
    finally:
        release.set()
        holder.join()
    assert Ticket.objects.get(pk=first.pk).state == "waiting"

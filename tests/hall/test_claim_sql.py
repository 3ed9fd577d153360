"""The one-statement claim on PostgreSQL picks what the pure dispatch policy picks (random queues, hypothesis)."""

import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yichuang.accounts.models import Department, User
from yichuang.catalog.models import Matter
from yichuang.hall import claim, dispatch, scarcity, services
from yichuang.hall.models import Ticket, Window

pytestmark = pytest.mark.postgres

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


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(ticket_st, max_size=14), me=window_st, others=st.lists(window_st, max_size=3),
       fifo=st.booleans(), starve=st.sampled_from([5.0, 30.0, 120.0]))
def test_sql_claim_matches_dispatch_choose(hall, tickets, me, others, fifo, starve):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement claim is PostgreSQL's")
    h = hall
    dept2 = Department.objects.get_or_create(code="ga", defaults={"name": "公安局", "centre": h.centre})[0]
    m2 = Matter.objects.get_or_create(
        implementation_code="M2", defaults=dict(name="户口迁移", department=dept2, matter_type="confirmation",
                                                domain=h.b, legal_limit_days=1, promised_limit_days=1,
                                                handling_kind="immediate"))[0]
    names = {"a": h.a, "b": h.b, "m1": h.matter, "m2": m2}
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
            policy = dispatch.Policy(starvation_minutes=starve, fifo=fifo)
            views = services.open_window_views(centre_id=h.centre.pk)
            view = next(v for v in views if v.id == my_window.pk)
            snapshot = dispatch.Snapshot(tickets=tuple(services._candidate_snapshot(window=my_window, view=view)),
                                         windows=tuple(views))
            expected = dispatch.choose(snapshot, view, NOW, policy)
            scarcity.forget()  # the windows above were made without the services, which would have said so
            got = claim.call_next(window_id=my_window.pk, clerk_id=my_clerk.pk, now=NOW,
                                  starvation_minutes=starve, wait_weight=policy.wait_weight,
                                  scarcity_weight=policy.scarcity_weight, fifo=fifo)
            assert (got.pk if got else None) == expected
            raise _Rollback
    except _Rollback:
        pass

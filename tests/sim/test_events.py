"""Replaying a real day: arrivals from 取号 events, empirical service times from 办结 events."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.hall.hall_world import build_hall
from yichuang.core.errors import NotFound
from yichuang.hall import services as hall
from yichuang.sim.events import scenario_with_events
from yichuang.sim.runs import scenario_simulate
from yichuang.sim.scenario import load_scenario, read_raw

pytestmark = pytest.mark.django_db

YAML = """
name: replay
hours: {open: "09:00", close: "17:00"}
replay: {centre: "500107", day: "%s"}
domains:
  - {key: social, arrivals: 0, service: {dist: empirical, from_events: true, mean: 8}}
  - {key: enterprise, arrivals: 3, service: {dist: exponential, mean: 10}}
windows:
  - {count: 1, type: general, skills: all}
"""


def _real_day():
    w = build_hall()
    day = timezone.localdate() - dt.timedelta(days=1)
    at = lambda h, m: timezone.make_aware(dt.datetime.combine(day, dt.time(h, m)))  # noqa: E731
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"], now=at(8, 55))
    w["window"].refresh_from_db()
    for minute in (0, 5, 20):
        hall.ticket_issue(centre=w["centre"], domain=w["social"], now=at(9, minute))
    for minute in (1, 12, 30):
        t = hall.ticket_call_next(window=w["window"], clerk=w["clerk"], now=at(9, minute))
        hall.ticket_finish(window=w["window"], clerk=w["clerk"], ticket=t, now=at(9, minute + 6))
    return day


def test_replay_and_empirical_service_from_events():
    day = _real_day()
    raw = read_raw(YAML % day.isoformat(), text=True)
    sc = scenario_with_events(load_scenario(raw), raw)
    social = sc.domain("social")
    assert [round(x) for x in social.replay] == [540, 545, 560]
    assert social.service.dist == "empirical" and social.service.samples == (6.0, 6.0, 6.0)
    assert sc.domain("enterprise").rates  # Poisson kept where the day had no tickets
    res = scenario_simulate(scenario=sc, seed=1)
    d = next(x for x in res["domains"] if x["key"] == "social")
    assert d["arrived"] == 3 and d["served"] == 3


def test_replay_of_an_empty_day_or_unknown_centre_is_a_clear_error():
    _real_day()
    raw = read_raw(YAML % "2001-01-01", text=True)
    with pytest.raises(NotFound):
        scenario_with_events(load_scenario(raw), raw)
    raw = read_raw((YAML % "2001-01-01").replace("500107", "999999"), text=True)
    with pytest.raises(NotFound):
        scenario_with_events(load_scenario(raw), raw)

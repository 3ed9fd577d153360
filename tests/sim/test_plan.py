"""`yichuang plan` answers the fewest windows (issue 19, item 10a).

The planner used to start every window group at 80% of its peak load and only add windows, so it could answer
more than needed (huangshi_social at 15 min: 25 windows where 23 meet the target; binzhou_2f with three skills per
clerk: 19 + 2 where 12 + 2 do). Here the command's answer is checked from outside, with the plan's own seed and
replications: the answer meets the targets in every hour, and one window fewer in any group misses them."""

from __future__ import annotations

import functools
import io
import json
from dataclasses import replace

import pytest
from django.core.management import call_command

from yichuang.sim.engine import simulate_day
from yichuang.sim.events import scenario_with_events
from yichuang.sim.layouts import pooled_layout, with_skill_mix
from yichuang.sim.scenario import example_scenarios, load_scenario, read_raw
from yichuang.sim.stats import hour_waits_with_unserved, percentile

SEED, REPLICATIONS = 1, 5   # the command's defaults


def _scenario(name: str):
    raw = read_raw(example_scenarios()[name])
    return scenario_with_events(load_scenario(raw), raw)


def _meets(sc, groups, *, target: float, target_p90: float, seed: int, replications: int) -> bool:
    """Every hour of issue: mean wait ≤ target and p90 ≤ target_p90 (unserved applicants wait until closing)."""
    runs = [simulate_day(sc, seed=seed + r, groups=groups, policy="dispatch") for r in range(replications)]
    for waits in hour_waits_with_unserved(sc, runs).values():
        w = sorted(waits)
        if sum(w) / len(w) > target + 1e-9 or percentile(w, 0.9) > target_p90 + 1e-9:
            return False
    return True


@functools.cache
def _plan(name: str, target: str) -> dict:
    out = io.StringIO()
    call_command("plan", name, "--target-wait", target, "--json", stdout=out)
    return json.loads(out.getvalue())


def _layout(sc, option: dict):
    base = pooled_layout(sc)
    groups = with_skill_mix(base, option["mix"]) if option["mix"] != "scenario" else base
    counts = {g["name"]: g["count"] for g in option["groups"]}
    return tuple(replace(g, count=counts[g.name]) for g in groups)


@pytest.mark.parametrize(("name", "target", "minutes"), [
    ("county_skills", "10m", 10),
    ("huangshi_social", "15m", 15),   # answered 25 before; 23 meet the target
    ("binzhou_2f", "10m", 10),
    ("village_station", "30m", 30),   # answered 2 before; 1 meets the target
])
def test_the_plan_is_the_fewest_windows_with_its_own_seed(name, target, minutes):
    sc = _scenario(name)
    res = _plan(name, target)
    assert res["seed"] == SEED and res["replications"] == REPLICATIONS
    best = res["best"]
    assert best and best["ok"]
    assert best["windows"] == min(o["windows"] for o in res["options"] if o["ok"])
    check = {"target": minutes, "target_p90": 2 * minutes, "seed": res["seed"], "replications": res["replications"]}
    for option in [o for o in res["options"] if o["ok"]]:
        groups = _layout(sc, option)
        assert sum(g.count for g in groups) == option["windows"]
        assert _meets(sc, groups, **check), option["mix"]
        for i, g in enumerate(groups):
            if g.count > 1:
                fewer = groups[:i] + (replace(g, count=g.count - 1),) + groups[i + 1:]
                assert not _meets(sc, fewer, **check), (option["mix"], g.name, g.count - 1)


def test_the_search_goes_down_from_its_start():
    """The search starts at 80% of the peak load; when that already meets the target it still goes down."""
    res = _plan("huangshi_social", "15m")
    full = next(o for o in res["options"] if o["mix"] == "full")
    assert full["windows"] < 25

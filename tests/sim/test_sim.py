"""Simulator behaviour: the example scenarios, the comparison, the planner, dispatch vs FIFO, bad input."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yichuang.core.errors import ValidationFailed
from yichuang.hall import dispatch
from yichuang.sim.engine import simulate_day
from yichuang.sim.layouts import assign_skills
from yichuang.sim.runs import scenario_compare, scenario_plan, scenario_simulate
from yichuang.sim.scenario import example_scenarios, load_scenario


def example(name):
    return load_scenario(example_scenarios()[name])


@pytest.mark.parametrize("name", sorted(example_scenarios()))
def test_every_example_runs(name):
    res = scenario_simulate(scenario=example(name), seed=2)
    assert res["overall"]["arrived"] > 0 and res["windows"] and res["queue"]["total"]
    assert {"mean", "p50", "p90", "max"} <= set(res["overall"])
    json.dumps(res)


def test_same_seed_same_day_and_the_live_policy_is_called(monkeypatch):
    sc = example("county_skills")
    calls = []
    real = dispatch.choose
    monkeypatch.setattr(dispatch, "choose", lambda *a, **k: calls.append(1) or real(*a, **k))
    a = scenario_simulate(scenario=sc, seed=5)
    assert calls, "the simulator must call yichuang.hall.dispatch.choose"
    b = scenario_simulate(scenario=sc, seed=5)
    assert a == b
    assert scenario_simulate(scenario=sc, seed=6) != a


def test_binzhou_dedicated_vs_pooled():
    res = scenario_compare(scenario=example("binzhou_2f"), seed=1, replications=5)
    by = {v["key"]: v for v in res["variants"]}
    ded, pooled = by["dedicated"], by["pooled_dispatch"]
    print(f"\nBinzhou 2F: dedicated ({ded['windows_count']} windows) mean wait {ded['overall']['mean']} min, "
          f"pooled ({pooled['windows_count']} windows) {pooled['overall']['mean']} min, "
          f"reduction {pooled['reduction_pct']}%")
    assert ded["windows_count"] == 37 and pooled["windows_count"] == 8
    assert pooled["overall"]["mean"] < ded["overall"]["mean"] and pooled["reduction_pct"] > 30
    assert pooled["mean_utilisation"] > 3 * ded["mean_utilisation"]  # 忙闲不均 before the reform


def test_dispatch_vs_fifo_at_p90_on_skill_constrained_hall():
    sc = example("county_skills")
    res = {p: scenario_simulate(scenario=sc, seed=11, replications=20, policy=p) for p in ("fifo", "dispatch")}
    f, d = res["fifo"]["overall"], res["dispatch"]["overall"]
    scarce = {p: next(x for x in res[p]["domains"] if x["key"] == "gjj") for p in res}
    print(f"\ncounty, skills as listed, 20 days: p90 FIFO {f['p90']} min, our dispatch {d['p90']} min; "
          f"mean {f['mean']} vs {d['mean']}; scarce 公积金 p90 {scarce['fifo']['p90']} vs {scarce['dispatch']['p90']}")
    assert f["arrived"] == d["arrived"]  # the same applicants
    assert d["p90"] <= f["p90"] * 1.1


def test_planner_finds_fewest_windows_and_a_skill_mix():
    res = scenario_plan(scenario=example("county_skills"), target_wait=10, seed=3, replications=3)
    best = res["best"]
    print(f"\nplan county, mean<=10 p90<=20 every hour: {best['windows']} windows, {best['label_en']}; "
          + "; ".join(f"{o['label_en']}: {o['windows']}{'' if o['ok'] else ' (not met)'}" for o in res["options"]))
    assert best and best["ok"] and all(h["mean"] <= 10 and h["p90"] <= 20 for h in best["hours"])
    # One window fewer of the same mix was tried, and missed the target somewhere (tests/sim/test_plan.py checks
    # it from outside).
    tried = {tuple(t["counts"]): t for t in next(o for o in res["options"] if o["mix"] == best["mix"])["tried"]}
    assert best["windows"] == 1 or not tried[(best["windows"] - 1,)]["ok"]


def test_skill_mixes_cover_every_domain():
    sc = example("huangshi_social")
    keys = sc.domain_keys
    k2 = assign_skills(sc, keys, 32, "k2")
    assert all(len(s) == 2 for s in k2) and set().union(*k2) == set(keys)
    dept = assign_skills(sc, keys, 32, "department")
    assert all(len({sc.domain(k).department for k in s}) == 1 for s in dept)


def test_lunch_break_and_closing():
    sc = example("village_station")
    run = simulate_day(sc, seed=4)
    for t in run.tickets:
        assert not (12 * 60 <= t.arrival < 14 * 60)
        if t.called is not None:
            assert t.called < 17 * 60 and not (12 * 60 < t.called < 14 * 60) or t.called == t.arrival


@pytest.mark.parametrize("text, field", [
    ("[1, 2]", None),
    ("domains: []\nwindows: [{count: 1}]", "domains"),
    ("domains: [{key: a, arrivals: 5}]\nwindows: [{count: 1, type: nope}]", "windows[0]"),
    ("domains: [{key: a, arrivals: 5, service: {dist: weibull}}]\nwindows: [{count: 1}]", "domains[0].service"),
    ("hours: {open: '18:00', close: '09:00'}\ndomains: [{key: a}]\nwindows: [{count: 1}]", "hours.close"),
    ("domains: [{key: a, arrivals: 5}]\nwindows: [{count: 1, skills: [zz]}]", "windows[0].skills"),
    ("domains: [{key: a, arrivals: 1000000}]\nwindows: [{count: 1}]", "domains"),
    ("a: [", None),
])
def test_bad_scenarios_are_clear_errors(text, field):
    with pytest.raises(ValidationFailed) as exc:
        load_scenario(text, text=True)
    assert exc.value.message.startswith("情景有误") and (field is None or exc.value.field == field)


def test_commands(capsys, tmp_path):
    call_command("simulate", "village_station", "--seed", "3")
    out = capsys.readouterr().out
    assert "合计 overall" in out and "utilisation" in out
    call_command("simulate", "binzhou_2f", "--compare", "-n", "2", "--json")
    res = json.loads(capsys.readouterr().out)
    assert [v["key"] for v in res["variants"]][:3] == ["dedicated", "pooled_fifo", "pooled_dispatch"]
    call_command("plan", "village_station", "--target-wait", "10m", "-n", "2")
    assert "建议 answer" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("domains: nope", encoding="utf-8")
    with pytest.raises(CommandError, match="情景有误"):
        call_command("simulate", str(bad))

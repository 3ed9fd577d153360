"""What the command and the page ask of the simulator: one layout, a comparison of layouts, a staffing plan.

Pure functions over a ``Scenario``; keyword-only, named ``scenario_<action>`` after the house style.
"""

from __future__ import annotations

import math
from dataclasses import replace

from yichuang.core.errors import ValidationFailed

from .engine import simulate_day
from .layouts import (
    SKILL_MIX_LABELS,
    SKILL_MIXES,
    dedicated_layout,
    expand,
    has_listed_skills,
    pooled_layout,
    spec_serves,
    with_skill_mix,
)
from .scenario import Group, Scenario, load_scenario, parse_duration
from .stats import hour_waits_with_unserved, percentile, summarise

MAX_REPLICATIONS = 200


def _check_reps(replications: int) -> int:
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValidationFailed(f"重复次数应在 1–{MAX_REPLICATIONS} 之间。",
                               f"Replications must be between 1 and {MAX_REPLICATIONS}.", field="replications")
    return replications


def _runs(sc: Scenario, *, seed: int, replications: int, groups, policy: str):
    return [simulate_day(sc, seed=seed + r, groups=groups, policy=policy) for r in range(replications)]


def scenario_simulate(*, scenario: Scenario, seed: int = 1, replications: int = 1, layout: str = "",
                      policy: str = "dispatch") -> dict:
    """One layout (the scenario's ``windows`` or a named entry of ``layouts``) under one policy."""
    _check_reps(replications)
    if policy not in ("dispatch", "fifo"):
        raise ValidationFailed("策略只能是 dispatch 或 fifo。", "The policy must be dispatch or fifo.", field="policy")
    if layout and layout not in scenario.layouts and layout != "dedicated":
        raise ValidationFailed(f"情景中没有布局 {layout}。", f"The scenario has no layout {layout}.", field="layout")
    groups = (dedicated_layout(scenario) if layout == "dedicated" else scenario.layouts[layout]) if layout \
        else scenario.groups
    runs = _runs(scenario, seed=seed, replications=replications, groups=groups, policy=policy)
    return summarise(scenario, runs, layout=layout or "windows", policy=policy, seed=seed)


def comparison_variants(sc: Scenario) -> list[dict]:
    """The layouts compared in one run: before the reform, pooled FIFO / dispatch, and the skill mixes."""
    pooled = pooled_layout(sc)
    out = [
        {"key": "dedicated", "label": "部门专窗（改革前）", "label_en": "dedicated department windows",
         "groups": dedicated_layout(sc), "policy": "fifo"},
        {"key": "pooled_fifo", "label": "综窗·全员通岗·先到先叫", "label_en": "pooled, full skills, FIFO",
         "groups": with_skill_mix(pooled, "full"), "policy": "fifo"},
        {"key": "pooled_dispatch", "label": "综窗·全员通岗·本系统派号", "label_en": "pooled, full skills, our dispatch",
         "groups": with_skill_mix(pooled, "full"), "policy": "dispatch"},
    ]
    names = {"fifo": ("先到先叫", "FIFO"), "dispatch": ("本系统派号", "our dispatch")}
    if has_listed_skills(sc, pooled):
        for policy, (pzh, pen) in names.items():
            out.append({"key": f"listed_{policy}", "label": f"综窗·情景所列技能·{pzh}",
                        "label_en": f"pooled, skills as listed, {pen}", "groups": pooled, "policy": policy})
    for mix in ("k2", "department"):
        zh, en = SKILL_MIX_LABELS[mix]
        for policy, (pzh, pen) in names.items():
            out.append({"key": f"{mix}_{policy}", "label": f"综窗·{zh}·{pzh}", "label_en": f"pooled, {en}, {pen}",
                        "groups": with_skill_mix(pooled, mix), "policy": policy})
    return out


def scenario_compare(*, scenario: Scenario, seed: int = 1, replications: int = 3) -> dict:
    """Every variant on the same applicants (same seeds), with the reduction of the mean wait against the first."""
    _check_reps(replications)
    rows = []
    for v in comparison_variants(scenario):
        res = summarise(scenario, _runs(scenario, seed=seed, replications=replications, groups=v["groups"],
                                        policy=v["policy"]), layout=v["key"], policy=v["policy"], seed=seed)
        res.update(key=v["key"], label=v["label"], label_en=v["label_en"])
        rows.append(res)
    base = rows[0]["overall"]["mean"]
    for r in rows:
        r["reduction_pct"] = round(100.0 * (base - r["overall"]["mean"]) / base, 1) if base > 0 else 0.0
    return {"scenario": scenario.name, "seed": seed, "replications": replications, "variants": rows}


# ---------------------------------------------------------------- the planner


def _hour_check(sc: Scenario, runs, target: float, target_p90: float) -> tuple[bool, list[dict], float]:
    """Per hour of issue: mean and p90 against the targets. Returns (ok, rows, worst ratio)."""
    rows, worst = [], 0.0
    for h, waits in sorted(hour_waits_with_unserved(sc, runs).items()):
        w = sorted(waits)
        mean = sum(w) / len(w)
        p90 = percentile(w, 0.9)
        ratio = max(mean / target, p90 / target_p90)
        worst = max(worst, ratio)
        rows.append({"hour": h, "n": len(w), "mean": round(mean, 2), "p90": round(p90, 2), "ok": ratio <= 1.0})
    return worst <= 1.0, rows, worst


def _domain_ratios(sc: Scenario, runs, target: float, target_p90: float) -> dict[str, float]:
    """Worst ratio to target per domain (over its hours) — which domain the planner must help next."""
    per: dict[tuple[int, int], list[float]] = {}
    for run in runs:
        for t in run.tickets:
            if t.arrival < sc.open + sc.warmup_minutes or (t.called is not None and t.no_show):
                continue
            wait = (t.called if t.called is not None else max(sc.close, t.arrival)) - t.arrival
            per.setdefault((t.domain, int(t.arrival // 60)), []).append(wait)
    out: dict[str, float] = {}
    for (di, _h), waits in per.items():
        w = sorted(waits)
        ratio = max(sum(w) / len(w) / target, percentile(w, 0.9) / target_p90)
        key = sc.domains[di].key
        out[key] = max(out.get(key, 0.0), ratio)
    return out


def _start_counts(sc: Scenario, groups: tuple[Group, ...]) -> list[int]:
    """Where the search starts: each domain's work goes to the most specific group that may serve it, and a group
    starts at 80% of its peak offered load. A guess, not a bound — a queue can absorb a short overload, and the
    search goes down from here as well as up."""
    specs_allowed = []
    for g in groups:
        one = expand(sc, [replace(g, count=1, skills_mode="")])[0]
        specs_allowed.append({k for k in sc.domain_keys if spec_serves(sc, one, k)})
    owner: dict[int, list[str]] = {i: [] for i in range(len(groups))}
    for key in sc.domain_keys:
        able = [i for i, s in enumerate(specs_allowed) if key in s]
        if able:
            owner[min(able, key=lambda i: (len(specs_allowed[i]), i))].append(key)
    return [max(1, math.ceil(0.8 * max(sc.load_by_hour(owner[i]).values() or [0.0]) - 1e-9)) if owner[i] else 1
            for i in range(len(groups))]


class _Trials:
    """Runs a layout once per distinct window counts (same seed, same replications: the same applicants every time)
    and remembers the outcome, in the order tried."""

    def __init__(self, sc: Scenario, groups: tuple[Group, ...], *, target: float, target_p90: float, seed: int,
                 replications: int, policy: str):
        self.sc, self.groups, self.target, self.target_p90 = sc, groups, target, target_p90
        self.seed, self.replications, self.policy = seed, replications, policy
        self.seen: dict[tuple[int, ...], dict] = {}
        self.tried: list[dict] = []

    def __call__(self, counts) -> dict:
        key = tuple(counts)
        if key not in self.seen:
            gs = tuple(replace(g, count=c) for g, c in zip(self.groups, key))
            runs = _runs(self.sc, seed=self.seed, replications=self.replications, groups=gs, policy=self.policy)
            ok, hours, worst = _hour_check(self.sc, runs, self.target, self.target_p90)
            self.seen[key] = {"ok": ok, "hours": hours, "worst": worst, "runs": runs, "groups": gs}
            self.tried.append({"counts": list(key), "worst_ratio": round(worst, 3), "ok": ok})
        return self.seen[key]


def _grow(trials: _Trials, counts: list[int], max_windows: int) -> list[int] | None:
    """Add one window at a time where the worst-off domain is (the most specific group that may serve it) until
    every hour meets the targets; None when ``max_windows`` is reached first."""
    sc = trials.sc
    while True:
        res = trials(counts)
        if res["ok"]:
            return counts
        if sum(counts) >= max_windows:
            return None
        gs = res["groups"]
        ratios = _domain_ratios(sc, res["runs"], trials.target, trials.target_p90)
        specs = expand(sc, gs)
        counts = list(counts)
        for key in sorted(ratios, key=lambda k: -ratios[k]):
            able = sorted({i for i, g in enumerate(gs) for s in specs if s.group == g.name
                           and spec_serves(sc, s, key)}, key=lambda i: (len(gs[i].skills), i))
            if not able:  # nobody trained for it yet (skill mix too thin): grow the general windows
                able = [i for i, g in enumerate(gs) if g.type == "general" or key in g.skills]
            if able:
                counts[able[0]] += 1
                break
        else:
            counts[0] += 1


def _shrink(trials: _Trials, counts: list[int]) -> list[int]:
    """From counts that meet the targets, the fewest of each group that still do (a bisection per group, the other
    groups held), round after round, until one window fewer in any group misses the targets."""
    counts = list(counts)
    while True:
        for i in range(len(counts)):
            lo, hi = 0, counts[i]       # lo: known to miss (or impossible), hi: known to meet
            while hi - lo > 1:
                mid = (lo + hi) // 2
                trial = counts[:i] + [mid] + counts[i + 1:]
                if trials(trial)["ok"]:
                    hi = mid
                else:
                    lo = mid
            counts[i] = hi
        fewer = [counts[:i] + [counts[i] - 1] + counts[i + 1:] for i in range(len(counts)) if counts[i] > 1]
        better = [c for c in fewer if trials(c)["ok"]]
        if not better:
            return counts
        counts = min(better, key=lambda c: trials(c)["worst"])


def _plan_counts(sc: Scenario, groups: tuple[Group, ...], *, target: float, target_p90: float, seed: int,
                 replications: int, policy: str, max_windows: int) -> dict:
    """The fewest windows per group meeting the targets, searched in both directions from :func:`_start_counts`:
    up (where the worst-off domain is) until the targets are met, then down (bisecting each group) until one
    window fewer in any group misses them."""
    trials = _Trials(sc, groups, target=target, target_p90=target_p90, seed=seed, replications=replications,
                     policy=policy)
    start = _start_counts(sc, groups)
    met = _grow(trials, start, max_windows)
    if met is None:
        last = trials.tried[-1]["counts"]
        res = trials(last)
        return {"ok": False, "counts": last, "windows": sum(last), "hours": res["hours"], "tried": trials.tried,
                "groups": res["groups"]}
    counts = _shrink(trials, met)
    res = trials(counts)
    return {"ok": True, "counts": counts, "windows": sum(counts), "hours": res["hours"], "tried": trials.tried,
            "groups": res["groups"]}


def scenario_plan(*, scenario: Scenario, target_wait: float, target_p90: float | None = None, seed: int = 1,
                  replications: int = 5, policy: str = "dispatch", mixes: tuple[str, ...] = SKILL_MIXES,
                  max_windows: int = 300) -> dict:
    """The fewest windows, and the skill mix, that keep the mean wait ≤ target and the p90 ≤ target_p90 in every
    hour of issue (an applicant left unserved at closing counts as waiting until closing).

    For each skill mix of the general windows: start every window group at 80% of its peak offered load, add one
    window at a time where the worst-off domain is until every hour meets the targets, then take windows away
    (bisecting each group) until one window fewer in any group would miss them; every layout is simulated with the
    same seeds, so each is tried on the same applicants. The answer is the mix with the fewest windows, ties going
    to the mix that asks least training (fewest skills per clerk).
    """
    _check_reps(replications)
    if target_wait <= 0:
        raise ValidationFailed("目标等候时间须大于 0。", "The target wait must be positive.", field="target_wait")
    target_p90 = target_p90 if target_p90 is not None else 2.0 * target_wait
    if target_p90 <= 0:
        raise ValidationFailed("目标 p90 须大于 0。", "The target p90 must be positive.", field="target_p90")
    base = pooled_layout(scenario)
    has_general = any(g.type == "general" for g in base)
    mixes = mixes if has_general else ("",)
    options = []
    for mix in mixes:
        groups = with_skill_mix(base, mix) if mix else base
        res = _plan_counts(scenario, groups, target=target_wait, target_p90=target_p90, seed=seed,
                           replications=replications, policy=policy, max_windows=max_windows)
        zh, en = SKILL_MIX_LABELS.get(mix, ("按情景", "as in the scenario"))
        specs = expand(scenario, res["groups"])
        options.append({"mix": mix or "scenario", "label": zh, "label_en": en, "ok": res["ok"],
                        "windows": res["windows"],
                        "groups": [{"name": g.name, "type": g.type, "count": c}
                                   for g, c in zip(res["groups"], res["counts"])],
                        "skills": [{"window": s.label, "group": s.group,
                                    "skills": sorted(s.skills, key=scenario.domain_keys.index)} for s in specs],
                        "hours": res["hours"], "tried": res["tried"]})
    training = {m: i for i, m in enumerate(("department", "k2", "k3", "full", "scenario"))}
    feasible = [o for o in options if o["ok"]]
    best = min(feasible, key=lambda o: (o["windows"], training.get(o["mix"], 9))) if feasible else None
    return {"scenario": scenario.name, "target_wait": target_wait, "target_p90": target_p90, "seed": seed,
            "replications": replications, "policy": policy, "best": best, "options": options}


WEB_MAX_REPLICATIONS = 20  # the page and the API run inside a request: keep it short
MODES = ("compare", "simulate", "plan")


def _as_int(value, default: int, lo: int, hi: int, fld: str) -> int:
    try:
        n = int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        raise ValidationFailed(f"{fld} 应为整数。", f"{fld} must be a whole number.", field=fld) from None
    if not lo <= n <= hi:
        raise ValidationFailed(f"{fld} 应在 {lo}–{hi} 之间。", f"{fld} must be between {lo} and {hi}.", field=fld)
    return n


def scenario_run(*, yaml_text: str, mode: str = "compare", seed=1, replications=3, target_wait="10m",
                 target_p90=None, policy: str = "dispatch") -> dict:
    """One request from the page or the API: parse the YAML and the knobs, run, return JSON-ready figures."""
    if mode not in MODES:
        raise ValidationFailed(f"运行方式只能是 {', '.join(MODES)}。", f"The mode must be one of {', '.join(MODES)}.",
                               field="mode")
    sc = load_scenario(yaml_text, text=True)
    seed = _as_int(seed, 1, 0, 10**9, "seed")
    reps = _as_int(replications, 3, 1, WEB_MAX_REPLICATIONS, "replications")
    if mode == "simulate":
        return scenario_simulate(scenario=sc, seed=seed, replications=reps, policy=policy)
    if mode == "plan":
        res = scenario_plan(scenario=sc, target_wait=parse_duration(target_wait or "10m", "target_wait"),
                            target_p90=parse_duration(target_p90, "target_p90") if target_p90 else None,
                            seed=seed, replications=reps, policy=policy, max_windows=150)
        res["options"] = [{k: v for k, v in o.items() if k != "tried"} for o in res["options"]]
        return res
    return scenario_compare(scenario=sc, seed=seed, replications=reps)

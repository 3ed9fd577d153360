"""Figures from simulated days: waits (mean, p50, p90, max) per domain, hour and overall; utilisation per
window; queue length over the day; tickets unserved at closing. Waits are minutes from taking the number to
being called, for applicants who were called and came (no-shows and unserved tickets are counted apart).
"""

from __future__ import annotations

import math

from .engine import DayRun
from .scenario import Scenario


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return 0.0
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def wait_figures(waits: list[float]) -> dict:
    w = sorted(waits)
    if not w:
        return {"n": 0, "mean": 0.0, "p50": 0.0, "p90": 0.0, "max": 0.0}
    return {"n": len(w), "mean": round(sum(w) / len(w), 2), "p50": round(percentile(w, 0.5), 2),
            "p90": round(percentile(w, 0.9), 2), "max": round(w[-1], 2)}


def _counted(sc: Scenario, t) -> bool:
    return t.arrival >= sc.open + sc.warmup_minutes


def summarise(sc: Scenario, runs: list[DayRun], *, layout: str = "", policy: str = "", seed: int = 0) -> dict:
    nd = len(sc.domains)
    reps = len(runs)
    waits_all: list[float] = []
    waits_dom: list[list[float]] = [[] for _ in range(nd)]
    hours = sc.hours()
    waits_hour: dict[int, list[float]] = {h: [] for h in hours}
    arrived = [0] * nd
    no_show = [0] * nd
    unserved = [0] * nd
    for run in runs:
        for t in run.tickets:
            if not _counted(sc, t):
                continue
            arrived[t.domain] += 1
            if t.called is None:
                unserved[t.domain] += 1
            elif t.no_show:
                no_show[t.domain] += 1
            else:
                wait = t.called - t.arrival
                waits_all.append(wait)
                waits_dom[t.domain].append(wait)
                waits_hour.setdefault(int(t.arrival // 60), []).append(wait)
    first = runs[0]
    windows = []
    for i, spec in enumerate(first.windows):
        busy = sum(r.busy[i] for r in runs) / reps
        windows.append({"label": spec.label, "type": spec.type, "group": spec.group,
                        "skills": sorted(spec.skills, key=sc.domain_keys.index),
                        "served": round(sum(r.served[i] for r in runs) / reps, 1),
                        "utilisation": round(busy / first.open_minutes, 3) if first.open_minutes else 0.0})
    n_samples = min(len(r.queue_total) for r in runs)
    queue = {"minutes": first.queue_times[:n_samples],
             "clock": [f"{int(m // 60):02d}:{int(m % 60):02d}" for m in first.queue_times[:n_samples]],
             "total": [round(sum(r.queue_total[k] for r in runs) / reps, 2) for k in range(n_samples)],
             "by_domain": {d.key: [round(sum(r.queue_by_domain[k][di] for r in runs) / reps, 2)
                                   for k in range(n_samples)] for di, d in enumerate(sc.domains)}}
    overall = wait_figures(waits_all)
    overall.update(arrived=round(sum(arrived) / reps, 1), served=round(len(waits_all) / reps, 1),
                   no_show=round(sum(no_show) / reps, 1), unserved=round(sum(unserved) / reps, 1))
    domains = []
    for di, d in enumerate(sc.domains):
        f = wait_figures(waits_dom[di])
        f.update(key=d.key, name=d.name, department=d.department, arrived=round(arrived[di] / reps, 1),
                 served=round(len(waits_dom[di]) / reps, 1), no_show=round(no_show[di] / reps, 1),
                 unserved=round(unserved[di] / reps, 1))
        domains.append(f)
    by_hour = []
    for h in sorted(waits_hour):
        f = wait_figures(waits_hour[h])
        f["hour"] = h
        by_hour.append(f)
    util = [w["utilisation"] for w in windows]
    return {
        "scenario": sc.name, "layout": layout, "policy": policy, "seed": seed, "replications": reps,
        "windows_count": len(first.windows), "overall": overall, "domains": domains, "hours": by_hour,
        "windows": windows, "mean_utilisation": round(sum(util) / len(util), 3) if util else 0.0,
        "queue": queue, "unserved_at_close": overall["unserved"],
    }


def hour_waits_with_unserved(sc: Scenario, runs: list[DayRun]) -> dict[int, list[float]]:
    """Waits per hour of issue for planning: an unserved ticket counts as waiting until closing (at least)."""
    out: dict[int, list[float]] = {}
    end = sc.close
    for run in runs:
        for t in run.tickets:
            if not _counted(sc, t) or (t.called is not None and t.no_show):
                continue
            wait = (t.called if t.called is not None else max(end, t.arrival)) - t.arrival
            out.setdefault(int(t.arrival // 60), []).append(wait)
    return out

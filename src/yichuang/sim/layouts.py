"""Window layouts and clerk skill mixes: expand groups to windows; generate the layouts the comparison needs.

Skill mixes (技能配置) for the clerks of general windows:
- ``full``: full cross-training (全科受理), every domain;
- ``k2`` / ``k3``: 2 or 3 domains per clerk, every domain covered by at least one clerk when slots allow and
  the remaining slots given to the domains with the most work;
- ``department``: each clerk knows one department's domains (department-only); when there are fewer clerks
  than departments each clerk takes a disjoint group of departments, balanced by workload.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .scenario import Group, Scenario, WindowSpec

SKILL_MIXES = ("full", "k3", "k2", "department")
SKILL_MIX_LABELS = {
    "full": ("全员通岗", "full cross-training"),
    "k3": ("每人3项技能", "3 skills per clerk"),
    "k2": ("每人2项技能", "2 skills per clerk"),
    "department": ("仅本部门", "department-only"),
}


def domain_work(sc: Scenario) -> dict[str, float]:
    """Minutes of service a day per domain (the weight for skill slots)."""
    out = {}
    for d in sc.domains:
        n = len(d.replay) if d.replay else sum(r * sc.open_fraction(h) for h, r in d.rates.items())
        out[d.key] = n * d.service.expected
    return out


def _largest_remainder(total: int, weights: dict[str, float], floor: dict[str, int], cap: int) -> dict[str, int]:
    out = dict(floor)
    left = total - sum(out.values())
    wsum = sum(weights.values()) or 1.0
    if left > 0:
        shares = {k: left * w / wsum for k, w in weights.items()}
        for k in weights:
            out[k] = min(cap, out[k] + int(shares[k]))
        left = total - sum(out.values())
        order = sorted(weights, key=lambda k: (-(shares[k] - int(shares[k])), -weights[k], k))
        while left > 0 and any(out[k] < cap for k in order):
            for k in order:
                if left > 0 and out[k] < cap:
                    out[k] += 1
                    left -= 1
    return out


def assign_skills(sc: Scenario, keys: list[str], n: int, mode: str) -> list[frozenset[str]]:
    """Skill sets for ``n`` clerks over the domains ``keys`` under a skill mix."""
    if n <= 0:
        return []
    if mode == "full" or not keys:
        return [frozenset(keys)] * n
    work = {k: w for k, w in domain_work(sc).items() if k in keys}
    if mode == "department":
        depts: dict[str, list[str]] = {}
        for d in sc.domains:
            if d.key in keys:
                depts.setdefault(d.department, []).append(d.key)
        dwork = {dep: sum(work[k] for k in ks) for dep, ks in depts.items()}
        if n >= len(depts):
            per = _largest_remainder(n, dwork, {dep: 1 for dep in depts}, n)
            out = []
            for dep in depts:
                out += [frozenset(depts[dep])] * per[dep]
            return out
        # Fewer clerks than departments: longest-processing-time packing into n disjoint groups.
        bins: list[tuple[float, list[str]]] = [(0.0, []) for _ in range(n)]
        for dep in sorted(depts, key=lambda x: (-dwork[x], x)):
            i = min(range(n), key=lambda j: (bins[j][0], j))
            bins[i] = (bins[i][0] + dwork[dep], bins[i][1] + depts[dep])
        return [frozenset(b[1]) for b in bins]
    k = int(mode[1:]) if mode.startswith("k") else 2
    if k >= len(keys):
        return [frozenset(keys)] * n
    slots = n * k
    ordered = sorted(keys, key=lambda x: (-work[x], x))
    if slots >= len(keys):
        per = _largest_remainder(slots, work, {x: 1 for x in keys}, n)
    else:  # not enough slots to cover every domain: the busiest get one each
        per = {x: (1 if i < slots else 0) for i, x in enumerate(ordered)}
    clerks: list[set[str]] = [set() for _ in range(n)]
    for x in sorted(keys, key=lambda x: (-per[x], -work[x], x)):
        for _ in range(per[x]):
            free = [i for i in range(n) if len(clerks[i]) < k and x not in clerks[i]]
            if not free:
                break
            i = min(free, key=lambda j: (len(clerks[j]), sum(work[y] for y in clerks[j]), j))
            clerks[i].add(x)
    return [frozenset(c) for c in clerks]


def group_allowed(sc: Scenario, g: Group) -> frozenset[str]:
    if g.type == "general":
        return frozenset(sc.domain_keys)
    if g.type == "department":
        return frozenset(d.key for d in sc.domains if d.department == g.department) | g.domains
    return g.domains


def spec_serves(sc: Scenario, spec: WindowSpec, key: str) -> bool:
    """Whether a window (type) and its clerk (skills) can take tickets of a domain (for planning only; the
    simulation asks ``dispatch.can_serve``)."""
    if key not in spec.skills:
        return False
    if spec.type == "general":
        return True
    return key in spec.domains or (spec.type == "department" and sc.domain(key).department == spec.department)


def expand(sc: Scenario, groups=None) -> list[WindowSpec]:
    """Windows (numbered 1…) from groups, skills generated for groups with a skill mix."""
    out: list[WindowSpec] = []
    for g in groups if groups is not None else sc.groups:
        if g.skills_mode:
            keys = [k for k in sc.domain_keys if k in g.skills]
            skills = assign_skills(sc, keys, g.count, g.skills_mode)
        else:
            skills = [g.skills] * g.count
        for i in range(g.count):
            out.append(WindowSpec(label=str(len(out) + 1), type=g.type, domains=g.domains, department=g.department,
                                  skills=skills[i], group=g.name))
    return out


def with_skill_mix(groups, mode: str) -> tuple[Group, ...]:
    """The same windows with the general windows' clerks retrained to ``mode`` over every domain any of them knows
    (the general groups become one pool; other windows stay as they are)."""
    general = [g for g in groups if g.type == "general"]
    if not general:
        return tuple(groups)
    keys: frozenset[str] = frozenset().union(*(g.skills for g in general))
    pool = replace(general[0], name=general[0].name if len(general) == 1 else "综窗",
                   count=sum(g.count for g in general), skills=keys, skills_mode=mode)
    out, placed = [], False
    for g in groups:
        if g.type != "general":
            out.append(g)
        elif not placed:
            out.append(pool)
            placed = True
    return tuple(out)


def has_listed_skills(sc: Scenario, groups) -> bool:
    """Whether the general windows' clerks differ from full cross-training as the scenario lists them."""
    general = [g for g in groups if g.type == "general"]
    keys = frozenset().union(*(g.skills for g in general)) if general else frozenset()
    return any(g.skills != keys or g.skills_mode not in ("", "full") for g in general)


def dedicated_layout(sc: Scenario) -> tuple[Group, ...]:
    """Before the reform: one department window per department, more where the load asks for it."""
    if "dedicated" in sc.layouts:
        return sc.layouts["dedicated"]
    peak: dict[str, float] = {}
    for dep in sc.departments:
        keys = [d.key for d in sc.domains if d.department == dep]
        peak[dep] = max(sc.load_by_hour(keys).values() or [0.0])
    return tuple(Group(name=f"dept-{dep}", count=max(1, math.ceil(peak[dep] / 0.85)), type="department",
                       domains=frozenset(), department=dep,
                       skills=frozenset(d.key for d in sc.domains if d.department == dep)) for dep in sc.departments)


def pooled_layout(sc: Scenario) -> tuple[Group, ...]:
    return sc.layouts.get("pooled", sc.groups)

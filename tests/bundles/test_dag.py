"""The DAG and the critical path, as pure functions (with hypothesis for the arithmetic)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yichuang.bundles.critical import critical_path, projected_finish
from yichuang.bundles.dag import CycleError, ancestors, check_dag, descendants, find_cycle
from yichuang.core.errors import ValidationFailed


def test_cycle_named_in_order():
    names = {"setup": "设立登记", "tax": "税务登记", "seal": "公章刻制"}
    with pytest.raises(CycleError) as exc:
        check_dag({"setup": ["tax"], "tax": ["setup"], "seal": ["setup"]}, names)
    msg = exc.value.message
    assert msg.endswith("设立登记 → 税务登记 → 设立登记。") or msg.endswith("税务登记 → 设立登记 → 税务登记。")
    with pytest.raises(CycleError, match="不能以自身为前置事项"):
        check_dag({"a": ["a"]})
    with pytest.raises(ValidationFailed, match="不在本一件事中"):
        check_dag({"a": ["zz"]})


def test_order_and_closures():
    req = {"setup": [], "seal": ["setup"], "tax": ["setup"], "invoice": ["tax"]}
    order = check_dag(req)
    assert order.index("setup") < order.index("tax") < order.index("invoice")
    assert ancestors(req, "invoice") == {"tax", "setup"}
    assert descendants(req, "setup") == {"seal", "tax", "invoice"}


def test_critical_path_is_the_longest_chain_not_the_sum():
    req = {"setup": [], "seal": ["setup"], "tax": ["setup"], "social": ["setup"]}
    total, path = critical_path({"setup": 1, "seal": 1, "tax": 2, "social": 3}, req)
    assert (total, path) == (4, ["setup", "social"])


@st.composite
def dags(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    keys = [f"k{i}" for i in range(n)]
    req = {k: sorted(draw(st.sets(st.sampled_from(keys[:i]), max_size=i)) if i else [])
           for i, k in enumerate(keys)}
    durations = {k: draw(st.integers(min_value=0, max_value=30)) for k in keys}
    return req, durations


@settings(max_examples=200, deadline=None)
@given(dags())
def test_critical_path_properties(data):
    req, durations = data
    assert find_cycle(req) is None
    total, path = critical_path(durations, req)
    # The path is a chain of prerequisites whose durations add up to the total …
    assert sum(durations[k] for k in path) == total
    assert all(path[i] in req[path[i + 1]] for i in range(len(path) - 1))
    # … and no item can finish later than it.
    finish = {}
    for k in check_dag(req):
        finish[k] = max([finish[p] for p in req[k]], default=0) + durations[k]
    assert total == max(finish.values())
    assert max(durations.values()) <= total <= sum(durations.values())
    # With calendar days as working days, the projection ends at the critical path.
    start = dt.date(2026, 1, 1)
    proj = projected_finish(requires=req, durations=durations, known={}, start=start,
                            add_workdays=lambda d, n: d + dt.timedelta(days=n))
    assert max(proj.values()) == start + dt.timedelta(days=total)


@settings(max_examples=100, deadline=None)
@given(dags(), st.data())
def test_any_back_edge_makes_a_cycle(data, draw):
    req, _ = data
    keys = list(req)
    if len(keys) < 2:
        return
    i = draw.draw(st.integers(min_value=1, max_value=len(keys) - 1))
    anc = sorted(ancestors(req, keys[i]))
    if not anc:
        return
    a = draw.draw(st.sampled_from(anc))
    bad = {**req, a: sorted(set(req[a]) | {keys[i]})}
    cycle = find_cycle(bad)
    assert cycle and cycle[0] == cycle[-1]
    assert all(cycle[j] in bad[cycle[j + 1]] for j in range(len(cycle) - 1))

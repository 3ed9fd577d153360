"""Composite deadline of a bundle: the critical path through the DAG, in working days.

Each matter takes its promised limit; a matter starts when its last prerequisite ends. The bundle's limit is the
longest such chain (not the sum of all matters: independent departments work side by side — 并联审批).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from .dag import check_dag


def critical_path(durations: Mapping[str, int], requires: Mapping[str, Sequence[str]]) -> tuple[int, list[str]]:
    """(total working days, the keys of one longest chain in order)."""
    finish: dict[str, int] = {}
    via: dict[str, str | None] = {}
    for key in check_dag(requires):
        prev = max(requires.get(key, ()), key=lambda p: finish[p], default=None)
        best = finish[prev] if prev is not None else 0
        finish[key] = best + int(durations.get(key, 0))
        via[key] = prev
    if not finish:
        return 0, []
    end = max(finish, key=lambda k: (finish[k], k))
    path = [end]
    while via[path[-1]] is not None:
        path.append(via[path[-1]])
    return finish[end], list(reversed(path))


def projected_finish(*, requires: Mapping[str, Sequence[str]], durations: Mapping[str, int],
                     known: Mapping[str, dt.date], start: dt.date,
                     add_workdays: Callable[[dt.date, int], dt.date]) -> dict[str, dt.date]:
    """Expected end date per item: a known date (decided, or the sub-case's own due date) wins; otherwise the
    item starts when its last prerequisite ends (or at ``start``) and takes its promised working days."""
    out: dict[str, dt.date] = {}
    for key in check_dag(requires):
        if key in known:
            out[key] = known[key]
            continue
        begin = max([out[p] for p in requires.get(key, ())] + [start])
        out[key] = add_workdays(begin, int(durations.get(key, 0)))
    return out

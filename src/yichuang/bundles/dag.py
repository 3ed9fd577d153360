"""The order between a bundle's matters is a DAG: a prerequisite must be approved before its dependents start.

Pure functions over ``{key: [prerequisite keys]}``. A cycle is refused with the cycle named in the matters'
own words (设立登记 → 税务登记 → 设立登记), so an administrator sees at once what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from yichuang.core.errors import ValidationFailed


class CycleError(ValidationFailed):
    code = "bundle_cycle"


def find_cycle(requires: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle as a closed walk ``[a, b, …, a]`` in prerequisite order (a before b), or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {k: WHITE for k in requires}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        stack.append(node)
        for pre in requires.get(node, ()):
            if pre not in colour:
                continue
            if colour[pre] == GREY:
                loop = stack[stack.index(pre):] + [pre]
                return list(reversed(loop))
            if colour[pre] == WHITE:
                found = visit(pre)
                if found:
                    return found
        stack.pop()
        colour[node] = BLACK
        return None

    for key in sorted(requires):
        if colour[key] == WHITE:
            found = visit(key)
            if found:
                return found
    return None


def check_dag(requires: Mapping[str, Sequence[str]], names: Mapping[str, str] | None = None) -> list[str]:
    """Validate and return a topological order (prerequisites first, ties by the given order).
    Raises ValidationFailed for an unknown or self prerequisite and CycleError for a cycle."""
    names = dict(names or {})
    label = lambda k: names.get(k) or k  # noqa: E731
    for key, pres in requires.items():
        for pre in pres:
            if pre == key:
                raise CycleError(f"“{label(key)}”不能以自身为前置事项。", f"{key!r} cannot require itself.",
                                 field="requires", details=[key, key])
            if pre not in requires:
                raise ValidationFailed(f"“{label(key)}”的前置环节“{pre}”不在本一件事中。",
                                       f"Prerequisite {pre!r} of {key!r} is not an item of the bundle.",
                                       field="requires")
    cycle = find_cycle(requires)
    if cycle:
        raise CycleError(
            "前置关系存在循环，无法确定办理顺序：" + " → ".join(label(k) for k in cycle) + "。",
            "The prerequisites form a cycle: " + " -> ".join(cycle) + ".", field="requires", details=cycle)
    order: list[str] = []
    done: set[str] = set()
    pending = list(requires)
    while pending:
        for key in pending:
            if all(p in done for p in requires[key]):
                order.append(key)
                done.add(key)
                pending.remove(key)
                break
    return order


def ancestors(requires: Mapping[str, Sequence[str]], key: str) -> set[str]:
    """Every item ``key`` depends on, directly or not."""
    out: set[str] = set()
    todo = list(requires.get(key, ()))
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo.extend(requires.get(k, ()))
    return out


def descendants(requires: Mapping[str, Sequence[str]], key: str) -> set[str]:
    """Every item that depends on ``key``, directly or not."""
    return {k for k in requires if key in ancestors(requires, k)}

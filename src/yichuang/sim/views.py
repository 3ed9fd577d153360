"""The simulator page for administrators and supervisors: pick an example or paste YAML, run, see charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import get_language

from yichuang.accounts.constants import Role
from yichuang.core.errors import DomainError, ValidationFailed

from .runs import MAX_REPLICATIONS, scenario_compare, scenario_plan, scenario_simulate
from .scenario import example_scenarios, load_scenario, parse_duration

STAFF_ROLES = {Role.ADMIN, Role.SUPERVISOR}
PAGE_MAX_REPLICATIONS = 20  # the page runs in a request: keep it short


def _int(value, default: int, lo: int, hi: int, fld: str) -> int:
    try:
        n = int(value) if value not in (None, "") else default
    except ValueError:
        raise ValidationFailed(f"{fld} 应为整数。", f"{fld} must be a whole number.", field=fld) from None
    if not lo <= n <= hi:
        raise ValidationFailed(f"{fld} 应在 {lo}–{hi} 之间。", f"{fld} must be between {lo} and {hi}.", field=fld)
    return n


@login_required
def simulator(request):
    if request.user.role not in STAFF_ROLES and not request.user.is_superuser:
        return HttpResponseForbidden("只有管理员和效能监察可以使用大厅仿真。 Administrators and supervisors only.")
    examples = example_scenarios()
    data = request.POST if request.method == "POST" else request.GET
    example = data.get("example") or "binzhou_2f"
    if example not in examples:
        example = "binzhou_2f"
    yaml_text = data.get("yaml") or examples[example].read_text(encoding="utf-8")
    mode = data.get("mode", "compare")
    ctx = {"examples": list(examples), "example": example, "yaml": yaml_text, "mode": mode,
           "seed": data.get("seed", "1"), "replications": data.get("replications", "3"),
           "target_wait": data.get("target_wait", "10m"), "target_p90": data.get("target_p90", ""),
           "result": None, "error": None}
    if request.method == "POST":
        try:
            sc = load_scenario(yaml_text, text=True)
            seed = _int(data.get("seed"), 1, 0, 10**9, "seed")
            reps = _int(data.get("replications"), 3, 1, min(PAGE_MAX_REPLICATIONS, MAX_REPLICATIONS), "replications")
            if mode == "simulate":
                res = scenario_simulate(scenario=sc, seed=seed, replications=reps)
            elif mode == "plan":
                target = parse_duration(data.get("target_wait") or "10m", "target_wait")
                p90 = parse_duration(data["target_p90"], "target_p90") if data.get("target_p90") else None
                res = scenario_plan(scenario=sc, target_wait=target, target_p90=p90, seed=seed, replications=reps,
                                    max_windows=150)
                res["options"] = [{k: v for k, v in o.items() if k != "tried"} for o in res["options"]]
            else:
                mode = ctx["mode"] = "compare"
                res = scenario_compare(scenario=sc, seed=seed, replications=reps)
            ctx["result"] = res
        except DomainError as exc:
            ctx["error"] = exc.localized(get_language())
    return render(request, "sim/simulator.html", ctx)

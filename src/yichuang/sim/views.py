"""The simulator page for administrators and supervisors: pick an example or paste YAML, run, see charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language

from yichuang.accounts.constants import Role
from yichuang.core.errors import DomainError, PermissionDeniedError

from .runs import scenario_run
from .scenario import example_scenarios

STAFF_ROLES = {Role.ADMIN, Role.SUPERVISOR}


@login_required
def simulator(request):
    if request.user.role not in STAFF_ROLES and not request.user.is_superuser:
        raise PermissionDeniedError("只有管理员和效能监察可以使用大厅仿真。", "Administrators and supervisors only.")
    examples = example_scenarios()
    data = request.POST if request.method == "POST" else request.GET
    example = data.get("example") or "binzhou_2f"
    if example not in examples:
        example = "binzhou_2f"
    yaml_text = data.get("yaml") or examples[example].read_text(encoding="utf-8")
    mode = data.get("mode") if data.get("mode") in ("compare", "simulate", "plan") else "compare"
    ctx = {"examples": list(examples), "example": example, "yaml": yaml_text, "mode": mode,
           "seed": data.get("seed", "1"), "replications": data.get("replications", "3"),
           "target_wait": data.get("target_wait", "10m"), "target_p90": data.get("target_p90", ""),
           "result": None, "error": None}
    if request.method == "POST":
        try:
            ctx["result"] = scenario_run(yaml_text=yaml_text, mode=mode, seed=data.get("seed"),
                                         replications=data.get("replications"), target_wait=data.get("target_wait"),
                                         target_p90=data.get("target_p90"))
        except DomainError as exc:
            ctx["error"] = exc.localized(get_language())
    return render(request, "sim/simulator.html", ctx)

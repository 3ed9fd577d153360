"""Simulator API: the example scenarios, and one run (compare / simulate / plan) for staff."""

from __future__ import annotations

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed

from .runs import scenario_run
from .scenario import example_scenarios
from .views import STAFF_ROLES

router = Router(tags=["sim 大厅仿真"])


def _staff(request):
    user = request.auth if getattr(request, "auth", None) is not None else request.user
    if not getattr(user, "is_authenticated", False) or (user.role not in STAFF_ROLES and not user.is_superuser):
        raise PermissionDeniedError("只有管理员和效能监察可以使用大厅仿真。", "Administrators and supervisors only.")
    return user


class ScenarioOut(Schema):
    name: str
    yaml: str


class RunIn(Schema):
    yaml: str = Field("", description="情景 YAML（见 docs/sim.md）；不填则用 example Scenario YAML")
    example: str = Field("", description="示例情景名（GET /sim/scenarios） An example scenario's name")
    mode: str = Field("compare", description="compare 比较、simulate 模拟、plan 规划")
    seed: int = 1
    replications: int = 3
    target_wait: str = Field("10m", description="规划目标：平均等候 Plan target: mean wait")
    target_p90: str = ""
    policy: str = Field("dispatch", description="dispatch 或 fifo")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "example": "village_station", "mode": "simulate", "seed": 1, "replications": 1, "policy": "dispatch"}]})


@router.get("/scenarios", response=list[ScenarioOut], auth=api_auth, summary="示例情景 Example scenarios")
def scenarios(request):
    _staff(request)
    return [{"name": k, "yaml": p.read_text(encoding="utf-8")} for k, p in example_scenarios().items()]


@router.post("/runs", auth=api_auth, summary="运行仿真（比较/模拟/规划） Run: compare, simulate or plan")
def run(request, payload: RunIn):
    """Figures as JSON: ``compare`` → variants; ``simulate`` → waits, utilisation, queue; ``plan`` → best + options."""
    _staff(request)
    text = payload.yaml
    if not text:
        examples = example_scenarios()
        if payload.example not in examples:
            raise NotFound(f"没有示例情景 {payload.example}。", f"No example scenario {payload.example}.")
        text = examples[payload.example].read_text(encoding="utf-8")
    if payload.policy not in ("dispatch", "fifo"):
        raise ValidationFailed("策略只能是 dispatch 或 fifo。", "The policy must be dispatch or fifo.", field="policy")
    return scenario_run(yaml_text=text, mode=payload.mode, seed=payload.seed, replications=payload.replications,
                        target_wait=payload.target_wait, target_p90=payload.target_p90 or None, policy=payload.policy)

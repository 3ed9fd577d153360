"""``yichuang plan SCENARIO.yaml --target-wait 10m``: the fewest windows and the skill mix that meet the target."""

import json

from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.sim.report import plan_text
from yichuang.sim.runs import scenario_plan
from yichuang.sim.scenario import parse_duration

from ._common import scenario_from_arg


class Command(BaseCommand):
    help = ("排班规划：求满足每小时平均及p90等候目标的最少窗口数与技能配置。Staffing planner: fewest windows and the "
            "skill mix meeting the target mean and p90 wait in every hour.")

    def add_arguments(self, parser):
        parser.add_argument("scenario")
        parser.add_argument("--target-wait", default="10m", help="target mean wait per hour (10m, 600s, 0.25h)")
        parser.add_argument("--target-p90", default=None, help="target p90 wait per hour (default: twice the mean)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replications", "-n", type=int, default=5)
        parser.add_argument("--policy", choices=["dispatch", "fifo"], default="dispatch")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, scenario, target_wait, target_p90, seed, replications, policy, json: bool = False,
               **options):
        sc = scenario_from_arg(scenario)
        try:
            res = scenario_plan(scenario=sc, target_wait=parse_duration(target_wait, "target_wait"),
                                target_p90=parse_duration(target_p90, "target_p90") if target_p90 else None,
                                seed=seed, replications=replications, policy=policy)
        except DomainError as exc:
            raise CommandError(f"{exc.message} / {exc.message_en}") from None
        if json:
            res = {**res, "options": [{k: v for k, v in o.items() if k != "tried"} for o in res["options"]]}
            self.stdout.write(_dumps(res))
        else:
            self.stdout.write(plan_text(res))


def _dumps(res) -> str:
    return json.dumps(res, ensure_ascii=False, indent=1)

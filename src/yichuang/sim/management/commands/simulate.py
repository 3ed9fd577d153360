"""``yichuang simulate SCENARIO.yaml [--seed N] [--json] [--compare]``: a simulated day of the hall."""

import json

from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.sim.report import comparison_text, simulation_text
from yichuang.sim.runs import scenario_compare, scenario_simulate

from ._common import scenario_from_arg


class Command(BaseCommand):
    help = ("大厅仿真：按情景模拟一天的排队（调用实时派号策略）。Simulate a day of the hall with the live dispatch "
            "policy; --compare runs every layout on the same applicants.")

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="scenario YAML, or the name of a bundled example (binzhou_2f…)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replications", "-n", type=int, default=None,
                            help="simulated days (default 1; 3 with --compare)")
        parser.add_argument("--layout", default="", help="a named layout of the scenario (or 'dedicated')")
        parser.add_argument("--policy", choices=["dispatch", "fifo"], default="dispatch")
        parser.add_argument("--compare", action="store_true",
                            help="dedicated vs pooled FIFO vs pooled dispatch vs skill mixes")
        parser.add_argument("--json", action="store_true", help="print JSON instead of tables")

    def handle(self, *args, scenario, seed, replications, layout, policy, compare, json: bool = False, **options):
        sc = scenario_from_arg(scenario)
        try:
            if compare:
                res = scenario_compare(scenario=sc, seed=seed, replications=replications or 3)
            else:
                res = scenario_simulate(scenario=sc, seed=seed, replications=replications or 1, layout=layout,
                                        policy=policy)
        except DomainError as exc:
            raise CommandError(f"{exc.message} / {exc.message_en}") from None
        if json:
            self.stdout.write(_dumps(res))
        else:
            self.stdout.write(comparison_text(res) if compare else simulation_text(res))


def _dumps(res) -> str:
    return json.dumps(res, ensure_ascii=False, indent=1)

"""`yichuang scheduler [--every SECONDS]`: run `tick` forever (the demo runs it in a thread)."""

import json
import time

from django.core.management.base import BaseCommand

from yichuang.supervision.services import tick


class Command(BaseCommand):
    help = "定时任务常驻进程 run the scheduled jobs every N seconds"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=60.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, **opts):
        while True:
            self.stdout.write(json.dumps(tick(), ensure_ascii=False, default=str))
            if opts["once"]:
                return
            time.sleep(max(opts["every"], 1.0))

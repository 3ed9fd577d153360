"""`yichuang tick [--date D]`: one pass of every scheduled job (cron it every few minutes)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from yichuang.supervision.services import tick


class Command(BaseCommand):
    help = "定时任务一次：亮灯提醒、督办、五日视为受理、容缺到期、整改与工单超期、邀评、KPI汇总 run every scheduled job once"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **opts):
        today = None
        if opts.get("date"):
            try:
                today = dt.date.fromisoformat(opts["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD") from exc
        self.stdout.write(json.dumps(tick(today=today), ensure_ascii=False, default=str))

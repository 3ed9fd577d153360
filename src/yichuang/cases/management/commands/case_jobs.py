"""``yichuang case-jobs [--date YYYY-MM-DD]``: the daily case jobs — the 5-day rule (视为受理) and lapsed
tolerant acceptances (容缺失效). Run once a day from cron or a systemd timer; safe to run again."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from yichuang.cases.services import apply_five_day_rule, case_lapse_tolerant


class Command(BaseCommand):
    help = "每日办件任务：五日视为受理、容缺逾期失效 (daily case jobs)"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期执行（默认今天） run as of this date")

    def handle(self, *args, **opts):
        today = None
        if opts.get("date"):
            try:
                today = dt.date.fromisoformat(opts["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。 Date must be YYYY-MM-DD.") from exc
        deemed = apply_five_day_rule(today=today)
        lapsed = case_lapse_tolerant(today=today)
        self.stdout.write(f"视为受理 deemed accepted: {len(deemed)}；容缺失效 tolerant lapsed: {len(lapsed)}")
        for case in deemed:
            self.stdout.write(f"  视为受理 {case.number} 办结期限 {case.due_date}")
        for case in lapsed:
            self.stdout.write(f"  容缺失效 {case.number}")

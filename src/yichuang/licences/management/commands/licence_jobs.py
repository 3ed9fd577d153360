"""``yichuang licence-jobs [--date D]``: daily job — licences whose validity ended become expired."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from yichuang.licences.services import licences_expire


class Command(BaseCommand):
    help = "每日任务：证照到期失效 / Daily job: expire licences past their validity."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="")

    def handle(self, *args, **opts):
        try:
            day = dt.date.fromisoformat(opts["date"]) if opts["date"] else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        done = licences_expire(today=day)
        self.stdout.write(f"已过期 expired: {len(done)}")
        for lic in done:
            self.stdout.write(f"  {lic.number} {lic.holder_name}")

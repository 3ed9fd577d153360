"""``yichuang workdays add DATE N`` / ``yichuang workdays between DATE DATE``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.workcal.workdays import add_workdays, workdays_between

from ._common import parse_date, parse_int


class Command(BaseCommand):
    help = "工作日计算：add DATE N 打印 DATE 之后第 N 个工作日（不含 DATE）；between A B 打印 (A, B] 内的工作日数。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="DATE 之后第 N 个工作日 the N-th working day after DATE")
        add.add_argument("date")
        add.add_argument("n")
        between = sub.add_parser("between", help="(START, END] 内的工作日数 working days in (START, END]")
        between.add_argument("start")
        between.add_argument("end")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "add":
                result = add_workdays(parse_date(opts["date"]), parse_int(opts["n"]))
                text = result.value.isoformat()
            else:
                result = workdays_between(parse_date(opts["start"]), parse_date(opts["end"]))
                text = str(result.value)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(text + (" provisional" if result.provisional else ""))

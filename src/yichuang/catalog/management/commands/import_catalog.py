"""``yichuang import-catalog FILE.xlsx [--dry-run] [--centre CODE]``: import a 实施清单 workbook."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from yichuang.catalog.excel import catalog_import_workbook
from yichuang.core.errors import DomainError


class Command(BaseCommand):
    help = "导入实施清单Excel工作簿（事项、情形、材料…）。Import a catalogue workbook; exits 1 if any row failed."

    def add_arguments(self, parser):
        parser.add_argument("file", help="工作簿路径 (.xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入 (validate only)")
        parser.add_argument("--centre", default=None, help="新建部门所属中心的行政区划代码 (centre code)")

    def handle(self, *args, file: str, dry_run: bool = False, centre: str | None = None, **options):
        try:
            report = catalog_import_workbook(path_or_file=file, dry_run=dry_run, centre=centre)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=1) from None
        lines = report.lines()
        self.stdout.write(lines[0])
        for line in lines[1:]:
            (self.stdout if line.startswith("警告") else self.stderr).write(line)
        if not report.ok:
            sys.exit(1)

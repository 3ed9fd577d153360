"""``yichuang export-catalog FILE.xlsx``: write the whole catalogue in the import format."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yichuang.catalog.excel import catalog_export_workbook


class Command(BaseCommand):
    help = "导出实施清单为Excel工作簿（可再导入）。Export the catalogue as a workbook (re-importable)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出路径 (.xlsx)")

    def handle(self, *args, file: str, **options):
        try:
            counts = catalog_export_workbook(path_or_file=file)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{exc.strerror or exc}", returncode=1) from None
        detail = "，".join(f"{sheet} {n} 行" for sheet, n in counts.items())
        self.stdout.write(f"已导出到 {file}：{detail}。")

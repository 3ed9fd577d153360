"""``yichuang calendar import FILE | export YEAR FILE | show YEAR | seed``."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.workcal import selectors, services


class Command(BaseCommand):
    help = "工作日历：import FILE 导入一个年度（CSV/XLSX）；export YEAR FILE 导出；show YEAR 显示节假日；seed 载入内置官方年度。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入一个年度 import one year (CSV or XLSX)")
        imp.add_argument("file")
        exp = sub.add_parser("export", help="导出一个年度为 CSV export one year as CSV")
        exp.add_argument("year", type=int)
        exp.add_argument("file")
        show = sub.add_parser("show", help="显示一个年度的非常规日期 show holidays and adjusted days")
        show.add_argument("year", type=int)
        seed = sub.add_parser("seed", help="载入 chinese-calendar 内置官方年度 seed the official years")
        seed.add_argument("--force", action="store_true", help="覆盖已导入的年度 overwrite imported years")

    def handle(self, *args, **opts):
        try:
            getattr(self, "_" + opts["action"])(opts)
        except DomainError as exc:
            details = [f"  第 {d['row']} 行：{d['message']}" for d in exc.details if d.get("row")]
            raise CommandError("\n".join([exc.message.split("。")[0] + "。", *details]) if details
                               else exc.message) from None

    def _import(self, opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}  File not found")
        year = services.calendar_import(file=path)
        self.stdout.write(f"已导入 {year.year} 年工作日历 Imported {year.year}")

    def _export(self, opts):
        view = selectors.calendar_year_get(year=opts["year"])
        with open(opts["file"], "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(["日期", "类型", "是否工作日", "名称"])
            for d in view.days:
                writer.writerow([d.date.isoformat(), d.kind_label, "是" if d.is_workday else "否", d.name])
        self.stdout.write(f"已导出 {view.year} 年（{view.source_label}）到 {opts['file']}")

    def _show(self, opts):
        view = selectors.calendar_year_get(year=opts["year"])
        self.stdout.write(f"{view.year} 年 · {view.source_label}" + (" provisional" if view.provisional else ""))
        for d in view.days:
            if d.kind not in ("workday", "weekend"):
                self.stdout.write(f"{d.date.isoformat()}  {d.kind_label}  {d.name}")
        self.stdout.write(f"工作日 {sum(d.is_workday for d in view.days)} 天")

    def _seed(self, opts):
        years = services.calendar_seed_known_years(force=opts["force"])
        self.stdout.write(f"已载入官方年度：{', '.join(map(str, years)) or '无'}")

"""Time catalogue export and import of a synthetic 实施清单 (N matters × 2 situations × 6 materials).

    YICHUANG_DATABASE_URL=sqlite:////tmp/bench.sqlite3 uv run python bench/bench_catalog_excel.py [N]

Uses the given database (default: a throw-away SQLite file); it must be one you may wipe.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("YICHUANG_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    from yichuang.accounts.services import centre_create, department_create
    from yichuang.catalog.excel import catalog_export_workbook, catalog_import_workbook
    from yichuang.catalog.models import Matter, MatterVersion
    from yichuang.catalog.services import domain_save, matter_save

    centre = centre_create(code="330106", name="西湖区政务服务中心", level="county")
    department_create(code="D1", name="区某局", centre=centre)
    domain_save(code="social", name="社会事务", ticket_prefix="S")
    sits = [{"code": "t", "question": "类型", "options": [{"code": "a", "label": "首次"}, {"code": "b", "label": "变更"}]},
            {"code": "w", "question": "谁办", "options": [{"code": "s", "label": "本人"}, {"code": "g", "label": "代办"}]}]
    mats = [{"code": f"C{j}", "name": f"材料{j}", "applies_when": {"t": ["a"]} if j % 2 else {}} for j in range(6)]
    for i in range(n):
        matter_save(spec={"implementation_code": f"M{i:05d}", "name": f"事项{i}", "department": "D1", "domain": "social",
                          "matter_type": "licensing", "legal_limit_days": 20, "promised_limit_days": 5,
                          "process_steps": ["申请", "受理", "决定"]}, situations=sits, materials=mats)
    path = os.path.join(tempfile.mkdtemp(), "catalogue.xlsx")
    t0 = time.perf_counter()
    catalog_export_workbook(path_or_file=path)
    t_export = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = catalog_import_workbook(path_or_file=path, dry_run=True)
    t_dry = time.perf_counter() - t0
    MatterVersion.objects.all().delete()
    Matter.objects.all().delete()
    t0 = time.perf_counter()
    report = catalog_import_workbook(path_or_file=path)
    t_import = time.perf_counter() - t0
    assert report.ok and report.created == n, report.lines()
    print(f"{n} matters ({n * 2} situations, {n * 6} materials), {os.path.getsize(path) / 1024:.0f} KiB")
    print(f"export {t_export:.2f}s; dry-run import {t_dry:.2f}s; import into empty catalogue {t_import:.2f}s "
          f"({t_import / n * 1000:.1f} ms/matter)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)

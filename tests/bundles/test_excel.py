"""The 一件事 sheet: export, import back, and a cycle refused with its names."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from yichuang.bundles.models import Bundle, BundleItem
from yichuang.catalog.excel import catalog_export_workbook, catalog_import_workbook


def _items():
    return {(i.key, tuple(i.requires), tuple(sorted(i.field_map.items())), tuple(sorted(i.produces.items())))
            for i in BundleItem.objects.all()}


def test_round_trip(bw):
    buf = io.BytesIO()
    counts = catalog_export_workbook(path_or_file=buf)
    assert counts["一件事"] == 4
    before = _items()
    Bundle.objects.all().delete()
    buf.seek(0)
    report = catalog_import_workbook(path_or_file=buf)
    assert report.ok, report.lines()
    assert report.counts == {"一件事": 1} and "一件事 1 个" in report.summary()
    assert _items() == before
    ws = load_workbook(io.BytesIO(buf.getvalue()))["一件事"]
    assert [c.value for c in ws[1]][:4] == ["一件事编码", "一件事名称", "环节编码", "实施编码"]


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "一件事"
    ws.append(["一件事编码", "一件事名称", "环节编码", "实施编码", "前置环节", "字段映射", "办结产出"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_cycle_in_sheet_refused_naming_it(bw):
    buf = _sheet([["loop", "循环", "setup", "M-SETUP", "tax", "", ""],
                  ["loop", "循环", "tax", "M-TAX", "seal", "", ""],
                  ["loop", "循环", "seal", "M-SEAL", "setup", "", ""]])
    report = catalog_import_workbook(path_or_file=buf)
    assert not report.ok and not Bundle.objects.filter(code="loop").exists()
    err = report.errors[0]
    assert err.sheet == "一件事" and err.row == 2 and err.column == "前置环节"
    assert "循环" in err.message and "企业设立登记 →" in err.message and err.message.count("→") == 3


def test_bad_cells_reported_with_row(bw):
    buf = _sheet([["x", "坏", "a", "M-SETUP", "", "enterprise_name", ""],
                  ["x", "坏", "b", "M-NOPE", "a", "", ""]])
    report = catalog_import_workbook(path_or_file=buf)
    rows = {(e.row, e.message.split("“")[0]) for e in report.errors}
    assert any(r == 2 for r, _ in rows)
    assert not Bundle.objects.filter(code="x").exists()


def test_item_error_reported_on_the_items_row_and_column(bw):
    """bundle_save names the failing item in the error's field (items.1.matter): the report takes row and column
    from it, not from the message."""
    buf = _sheet([["x", "坏", "a", "M-SETUP", "", "", ""],
                  ["x", "坏", "b", "M-NOPE", "a", "", ""]])
    report = catalog_import_workbook(path_or_file=buf)
    [err] = report.errors
    assert (err.sheet, err.row, err.column) == ("一件事", 3, "实施编码") and "M-NOPE" in err.message
    assert not Bundle.objects.filter(code="x").exists()

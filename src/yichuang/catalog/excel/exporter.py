"""Writing the catalogue as a workbook in the import format: every registered sheet, in workbook order."""

from __future__ import annotations

from typing import IO, Any

from yichuang.core.xlsx import append_row

from .cells import format_cell
from .columns import Col
from .registry import registered_sheets

def _write_sheet(wb: Any, title: str, cols: tuple[Col, ...], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title)
    for cell in append_row(ws, [c.header for c in cols]):
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, row)  # text that starts with =, +, -, @ is data, never a formula (core/xlsx.py)
    for idx, col in enumerate(cols, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        ws.column_dimensions[letter].width = 12 if col.kind in ("int", "bool", "choice") else 24
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def catalog_export_workbook(*, path_or_file: str | IO[bytes] | Any) -> dict[str, int]:
    """Write the whole catalogue (with the departments, domains and licence types it uses, and every sheet other
    apps register) in the import format. Returns row counts per sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    counts: dict[str, int] = {}
    for sheet in registered_sheets():
        rows = [[format_cell(c, values.get(c.key)) for c in sheet.columns] for values in sheet.export_rows()]
        _write_sheet(wb, sheet.name, sheet.columns, rows)
        counts[sheet.name] = len(rows)
    wb.save(path_or_file)
    return counts

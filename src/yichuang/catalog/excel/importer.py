"""Reading a workbook and importing it, sheet by sheet as registered (:mod:`.registry`), in one transaction.

Sheet titles and headers are matched loosely (:func:`.cells.norm_loose`) and through the synonyms of each sheet
and column; an unknown sheet or column is ignored with a warning. Every bad row is reported with sheet, Excel row
number (header = row 1), column and a Chinese reason; the rest is imported.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from yichuang.accounts.models import Centre
from yichuang.core.errors import ValidationFailed

from .cells import CellError, cell_text, norm, norm_loose, parse_cell
from .columns import Col
from .registry import ImportRun, Sheet, registered_sheets, sheet_for
from .report import ImportReport, Row


def _match_headers(sheet: str, header_row: tuple, cols: tuple[Col, ...], report: ImportReport) -> dict[int, Col]:
    mapping: dict[int, Col] = {}
    used: set[str] = set()
    for idx, head in enumerate(header_row):
        if head is None or cell_text(head) == "":
            continue
        found = None
        for normaliser in (norm, norm_loose):
            key = normaliser(head)
            found = next((c for c in cols if c.key not in used and key == normaliser(c.header)), None) or next(
                (c for c in cols if c.key not in used and key in {normaliser(s) for s in c.synonyms}), None)
            if found:
                break
        if found is None:
            report.warnings.append(f"[{sheet}] 未识别的列“{cell_text(head)}”，已忽略。")
            continue
        used.add(found.key)
        mapping[idx] = found
    return mapping


def _read_sheet(ws: Any, sheet: Sheet, report: ImportReport) -> list[Row] | None:
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None)
    if header is None:
        return []
    mapping = _match_headers(sheet.name, header, sheet.columns, report)
    present = {c.key for c in mapping.values()}
    missing = [c.header for c in sheet.columns if c.key in sheet.required and c.key not in present]
    if missing:
        report.error(sheet.name, 1, "", f"缺少必需的列：{'、'.join(missing)}。")
        return None
    out = []
    for number, cells in enumerate(rows_iter, start=2):
        if all(cell_text(c) == "" for c in cells):
            continue
        row = Row(sheet.name, number, {})
        for idx, col in mapping.items():
            value = cells[idx] if idx < len(cells) else None
            try:
                row.values[col.key] = parse_cell(col, value)
            except CellError as exc:
                row.errors.append((col.header, exc.message))
        out.append(row)
    return out


def _open_workbook(path_or_file: Any) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path_or_file, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ValidationFailed(f"文件不存在：{path_or_file}", f"No such file: {path_or_file}", field="file") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValidationFailed(
            "无法打开Excel文件，请确认它是 .xlsx 格式的工作簿。",
            f"Cannot open the workbook; is it an .xlsx file? ({type(exc).__name__})", field="file") from None


def catalog_import_workbook(*, path_or_file: str | IO[bytes] | Any, dry_run: bool = False,
                            centre: Centre | str | None = None, actor: Any = None) -> ImportReport:
    """Import a 实施清单 workbook; return a report. Raises ValidationFailed only when the file itself is unusable
    (not an xlsx, no recognisable sheet, unknown centre)."""
    wb = _open_workbook(path_or_file)
    report = ImportReport(dry_run=dry_run)
    try:
        found: dict[str, tuple[Sheet, Any]] = {}
        for ws in wb.worksheets:
            sheet = sheet_for(ws.title)
            if sheet is None:
                report.warnings.append(f"未识别的工作表“{ws.title}”，已忽略。")
            elif sheet.name in found:
                report.warnings.append(f"工作表“{ws.title}”与前面的“{sheet.name}”表重复，已忽略。")
            else:
                found[sheet.name] = (sheet, ws)
        if not found:
            raise ValidationFailed("工作簿中没有可识别的工作表（事项、情形、材料、部门、领域、证照类型）。",
                                   "The workbook has no recognisable sheet.", field="file")
        rows = {name: _read_sheet(ws, sheet, report) for name, (sheet, ws) in found.items()}
    finally:
        wb.close()

    run = ImportRun(rows=rows, report=report, actor=actor, centre=centre)
    with transaction.atomic():
        for sheet in sorted(registered_sheets(), key=lambda s: s.stage):
            if sheet.import_rows is not None:
                sheet.import_rows(run)
        if dry_run:
            transaction.set_rollback(True)
    rank = {sheet.name: i for i, sheet in enumerate(registered_sheets())}
    report.errors.sort(key=lambda e: (rank.get(e.sheet, 99), e.row))
    return report

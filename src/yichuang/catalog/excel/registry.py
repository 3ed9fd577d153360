"""The sheets of the catalogue workbook. Each sheet is registered once: its name (and other titles accepted for
it), its columns, how its rows are imported and exported, and its place. The catalogue registers its own sheets
(:mod:`.sheets`); an app above it registers its sheet in its ``AppConfig.ready()`` (bundles: 一件事), so the
catalogue never imports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .cells import norm, norm_loose
from .columns import Col
from .report import ImportReport, Row


@dataclass
class ImportRun:
    """What a sheet's import reads and writes. ``rows``: by sheet name, the rows read (absent: no such sheet in the
    workbook; ``None``: the sheet lacks a required column and was not read)."""

    rows: dict[str, list[Row] | None]
    report: ImportReport
    actor: Any = None
    centre: Any = None


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Col, ...]
    # Export: the sheet's rows as {column key: value}, in sheet order (written through cells.format_cell).
    export_rows: Callable[[], Iterable[dict[str, Any]]]
    # Import: saves the sheet's rows, in its own savepoints, reporting bad rows. None: another sheet's import reads
    # these rows (情形 and 材料 are saved with their matter by 事项's).
    import_rows: Callable[[ImportRun], None] | None = None
    synonyms: tuple[str, ...] = ()  # other sheet titles accepted
    required: tuple[str, ...] = ()  # keys of the columns without which the sheet is not read
    order: int = 100  # place in the exported workbook and in the error list
    stage: int = 100  # import order: what is referred to before what refers to it


_SHEETS: dict[str, Sheet] = {}


def sheet_register(sheet: Sheet) -> None:
    """Add a sheet to the workbook (a sheet of the same name is replaced)."""
    _SHEETS[sheet.name] = sheet


def registered_sheets() -> list[Sheet]:
    """The registered sheets, in workbook order."""
    return sorted(_SHEETS.values(), key=lambda s: (s.order, s.name))


def sheet_for(title: str) -> Sheet | None:
    """The sheet a workbook tab's title names (its name or a synonym, compared loosely), if any."""
    n, loose = norm(title), norm_loose(title)
    for sheet in registered_sheets():
        names = {norm(sheet.name), *(norm(s) for s in sheet.synonyms)}
        if n in names or loose in names:
            return sheet
    return None

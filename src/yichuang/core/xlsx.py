"""One guard for every workbook the project writes (the catalogue export, the KPI export, the demo forms).

A text cell that starts with =, +, -, @ (or a tab or carriage return) is what a spreadsheet may take for a formula
(formula / CSV injection: a department named ``=HYPERLINK(...)``). Such a cell is written as text with Excel's quote
prefix (the apostrophe Excel shows when a user types ``'=``): it stays text even when edited, and its value is
unchanged, so the catalogue workbook still imports back as it was exported. Characters XML cannot carry are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(value: Any) -> Any:
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def guard(cell: Any) -> Any:
    """Make one openpyxl cell safe: text that looks like a formula is stored as quoted text."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEAD):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_row(ws: Any, values: Iterable[Any]) -> tuple[Any, ...]:
    """ws.append(values), with every cell cleaned and guarded. Returns the row's cells."""
    ws.append([clean(v) for v in values])
    row = ws[ws.max_row]
    for cell in row:
        guard(cell)
    return row

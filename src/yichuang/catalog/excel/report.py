"""What an import tells: the rows read from a sheet, the errors found in them, and the counts of what was saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from .cells import given
from .columns import Col


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        col = f" {self.column}" if self.column else ""
        return f"[{self.sheet}] 第{self.row}行{col}: {self.message}"


@dataclass
class Row:
    """One data row of a sheet: ``number`` is the Excel row (header = row 1); ``values`` are parsed cells by column
    key (a key is absent when its column is absent, :data:`.cells.BLANK` when its non-text cell is empty)."""

    sheet: str
    number: int
    values: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)

    def given(self) -> dict[str, Any]:
        return given(self.values)


def check_lengths(row: Row, cols: tuple[Col, ...], model: Any) -> None:
    """A text cell longer than its model field allows is an error of that cell."""
    for col in cols:
        value = row.values.get(col.key)
        if col.kind != "text" or not isinstance(value, str):
            continue
        try:
            max_length = model._meta.get_field(col.key).max_length
        except FieldDoesNotExist:  # not a model field (e.g. the matter key of a material row)
            continue
        if max_length and len(value) > max_length:
            row.errors.append((col.header, f"{col.header}过长（{len(value)}字，最多{max_length}字）。"))


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    departments: int = 0
    domains: int = 0
    licence_types: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # saved by the sheets other apps register, by sheet name
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def failed_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors})

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, message))

    def row_errors(self, row: Row) -> None:
        """Report every error of ``row``."""
        for column, message in row.errors:
            self.error(row.sheet, row.number, column, message)

    def count(self, sheet: str, n: int = 1) -> None:
        self.counts[sheet] = self.counts.get(sheet, 0) + n

    def summary(self) -> str:
        prefix = "（试运行，未写入）" if self.dry_run else ""
        return (f"{prefix}导入 {self.created + self.updated} 个事项（新建 {self.created}，更新 {self.updated}），"
                f"保存部门 {self.departments} 个、领域 {self.domains} 个、证照类型 {self.licence_types} 个；"
                + "".join(f"{sheet} {n} 个；" for sheet, n in self.counts.items() if n) +
                f"失败 {self.failed_rows} 行，警告 {len(self.warnings)} 条。")

    def lines(self) -> list[str]:
        return [self.summary(), *[f"警告：{w}" for w in self.warnings], *[str(e) for e in self.errors]]

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "created": self.created, "updated": self.updated,
                "departments": self.departments, "domains": self.domains, "licence_types": self.licence_types,
                "counts": dict(self.counts), "errors": [e.__dict__ for e in self.errors], "warnings": self.warnings,
                "ok": self.ok}

"""The 一件事 sheet of the catalogue workbook: one row per matter of a one-thing bundle. Registered in the
catalogue's sheet registry by :meth:`yichuang.bundles.apps.BundlesConfig.ready` (the catalogue knows nothing of
bundles); imported after the matters, exported after the catalogue's own sheets.

Columns: 一件事编码, 一件事名称, 环节编码, 实施编码, 前置环节 (item keys joined by 、 , ; or spaces), 字段映射
``enterprise_name=taxpayer_name;…`` (shared field = this matter's field), 材料共享 ``lease=premises_proof;…``
(this matter's material = shared key), 办结产出 ``credit_code=统一社会信用代码``, 说明. A bundle is saved whole or
not at all, through :func:`~yichuang.bundles.services.bundle_save`; a bundle with a cycle is refused, the cycle
named. A bad bundle is reported on the row of the item the error's field names (``items.1.matter``).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from django.db import transaction

from yichuang.catalog.excel import Col, ImportRun, Row, Sheet, field_place, header_for
from yichuang.core.errors import DomainError

from .models import Bundle
from .services import bundle_save

SHEET_BUNDLES = "一件事"
BUNDLE_COLS = (
    Col("bundle", "一件事编码", ("一件事",)),
    Col("bundle_name", "一件事名称", ("名称",)),
    Col("key", "环节编码", ("环节",)),
    Col("matter", "实施编码", ("事项实施编码", "事项编码")),
    Col("requires", "前置环节", ("前置事项", "依赖")),
    Col("field_map", "字段映射", ("共享字段",)),
    Col("material_map", "材料共享", ("共享材料",)),
    Col("produces", "办结产出", ("产出字段",)),
    Col("description", "说明", ("一件事说明",)),
)
# bundle_save's fields of the bundle itself, by the column that fills them.
_BUNDLE_FIELDS = {"code": "bundle", "name": "bundle_name"}


class CellError(ValueError):
    pass


def parse_pairs(raw: Any, label: str) -> dict[str, str]:
    text = "" if raw is None else str(raw).strip()
    out: dict[str, str] = {}
    for part in [p.strip() for p in re.split(r"[;；\n]", text) if p.strip()]:
        m = re.match(r"^([^=＝]+)[=＝](.+)$", part)
        if not m:
            raise CellError(f"{label}“{part}”应写作“编码=编码”，多项以分号分隔。")
        out[m.group(1).strip()] = m.group(2).strip()
    return out


def parse_keys(raw: Any) -> list[str]:
    text = "" if raw is None else str(raw).strip()
    return [k.strip().lower() for k in re.split(r"[、,，;；\s]+", text) if k.strip()]


def format_pairs(value: dict) -> str | None:
    return ";".join(f"{k}={v}" for k, v in (value or {}).items()) or None


def _cell(row: Row, key: str) -> str:
    return str(row.values.get(key) or "").strip()  # every column is text: "" when empty or absent


def _column(field: str | None) -> str:
    return header_for(BUNDLE_COLS, _BUNDLE_FIELDS.get(field or "", field))


def bundle_rows_import(run: ImportRun) -> None:
    """Group rows by bundle code (in sheet order) and save each bundle in its own savepoint."""
    rows, report = run.rows.get(SHEET_BUNDLES), run.report
    if not rows:
        return
    column = _column("code")
    groups: dict[str, list[Row]] = {}
    for row in rows:
        code = _cell(row, "bundle")
        if not code:
            row.errors.append((column, "一件事编码不能为空。"))
            report.error(row.sheet, row.number, column, "一件事编码不能为空。")
            continue
        groups.setdefault(code, []).append(row)
    for code, group in groups.items():
        items, bad = [], False
        name = next((_cell(r, "bundle_name") for r in group if _cell(r, "bundle_name")), "")
        description = next((_cell(r, "description") for r in group if _cell(r, "description")), "")
        for row in group:
            for col, message in row.errors:
                report.error(row.sheet, row.number, col, message)
                bad = True
            try:
                items.append({"key": _cell(row, "key").lower(), "matter": _cell(row, "matter"),
                              "requires": parse_keys(_cell(row, "requires")),
                              "field_map": parse_pairs(_cell(row, "field_map"), "字段映射"),
                              "material_map": parse_pairs(_cell(row, "material_map"), "材料共享"),
                              "produces": parse_pairs(_cell(row, "produces"), "办结产出")})
            except CellError as exc:
                report.error(row.sheet, row.number, "", str(exc))
                bad = True
        if bad:
            continue
        try:
            with transaction.atomic():
                bundle_save(spec={"code": code, "name": name or code, "description": description}, items=items,
                            actor=run.actor)
            report.count(SHEET_BUNDLES)
        except DomainError as exc:
            place, index = field_place(exc.field)
            target = group[index] if place == "items" and index is not None and index < len(group) else group[0]
            report.error(target.sheet, target.number, _column(exc.field), f"一件事“{name or code}”：{exc.message}")


def bundle_rows_export() -> Iterator[dict[str, Any]]:
    for bundle in Bundle.objects.prefetch_related("items__matter").order_by("code"):
        for n, it in enumerate(bundle.items.order_by("order", "id")):
            yield {"bundle": bundle.code, "bundle_name": bundle.name, "key": it.key,
                   "matter": it.matter.implementation_code, "requires": "、".join(it.requires) or None,
                   "field_map": format_pairs(it.field_map), "material_map": format_pairs(it.material_map),
                   "produces": format_pairs(it.produces),
                   "description": (bundle.description or None) if n == 0 else None}


BUNDLE_SHEET = Sheet(SHEET_BUNDLES, BUNDLE_COLS, bundle_rows_export, bundle_rows_import, ("一件事清单", "一件事一次办"),
                     ("bundle", "key", "matter"), order=70, stage=50)

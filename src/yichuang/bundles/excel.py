"""The 一件事 sheet of the catalogue workbook (see ``catalog.excel``): one row per matter of a bundle.

Cells: 前置环节 ``setup、tax`` (keys joined by 、 , ; or spaces); 字段映射 ``enterprise_name=taxpayer_name;…``
(shared field = this matter's field); 材料共享 ``lease=premises_proof;…`` (this matter's material = shared key);
办结产出 ``credit_code=统一社会信用代码``. A bundle is saved whole or not at all, through ``bundle_save``.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from yichuang.core.errors import DomainError

from .models import Bundle

HEADERS = {"bundle": "一件事编码", "bundle_name": "一件事名称", "key": "环节编码", "matter": "实施编码",
           "requires": "前置环节", "field_map": "字段映射", "material_map": "材料共享", "produces": "办结产出"}
FIELD_COLUMN = {"code": "一件事编码", "name": "一件事名称", "key": "环节编码", "matter": "实施编码",
                "requires": "前置环节", "field_map": "字段映射", "material_map": "材料共享", "produces": "办结产出"}


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


def _value(row, key):
    v = row.values.get(key)
    return None if v is None or type(v).__name__ == "_Blank" else v


def bundle_rows_import(rows: list, report: Any, actor: Any) -> None:
    """Group rows by bundle code (in sheet order) and save each bundle in its own savepoint."""
    from .services import bundle_save

    groups: dict[str, list] = {}
    for row in rows:
        code = str(_value(row, "bundle") or "").strip()
        if not code:
            row.errors.append((HEADERS["bundle"], "一件事编码不能为空。"))
            report.error(row.sheet, row.number, HEADERS["bundle"], "一件事编码不能为空。")
            continue
        groups.setdefault(code, []).append(row)
    for code, group in groups.items():
        items, bad = [], False
        name = next((str(_value(r, "bundle_name")).strip() for r in group if _value(r, "bundle_name")), "")
        description = next((str(_value(r, "description")).strip() for r in group if _value(r, "description")), "")
        for row in group:
            for column, message in row.errors:
                report.error(row.sheet, row.number, column, message)
                bad = True
            try:
                items.append({"key": str(_value(row, "key") or "").strip().lower(),
                              "matter": str(_value(row, "matter") or "").strip(),
                              "requires": parse_keys(_value(row, "requires")),
                              "field_map": parse_pairs(_value(row, "field_map"), "字段映射"),
                              "material_map": parse_pairs(_value(row, "material_map"), "材料共享"),
                              "produces": parse_pairs(_value(row, "produces"), "办结产出")})
            except CellError as exc:
                report.error(row.sheet, row.number, "", str(exc))
                bad = True
        if bad:
            continue
        try:
            with transaction.atomic():
                bundle_save(spec={"code": code, "name": name or code, "description": description}, items=items,
                            actor=actor)
            report.bundles += 1
        except DomainError as exc:
            column = FIELD_COLUMN.get(exc.field or "", "")
            target = group[0]
            if exc.field in ("matter", "field_map", "material_map", "key"):
                key_in_msg = [r for r in group if f"“{_value(r, 'key')}”" in exc.message]
                target = key_in_msg[0] if key_in_msg else target
            report.error(target.sheet, target.number, column, f"一件事“{name or code}”：{exc.message}")


def bundle_rows_export() -> list[dict[str, Any]]:
    rows = []
    for bundle in Bundle.objects.prefetch_related("items__matter").order_by("code"):
        for n, it in enumerate(bundle.items.order_by("order", "id")):
            rows.append({"bundle": bundle.code, "bundle_name": bundle.name, "key": it.key,
                         "matter": it.matter.implementation_code, "requires": "、".join(it.requires) or None,
                         "field_map": format_pairs(it.field_map), "material_map": format_pairs(it.material_map),
                         "produces": format_pairs(it.produces),
                         "description": (bundle.description or None) if n == 0 else None})
    return rows

"""The 事项, 情形 and 材料 sheets: one row per matter, keyed by 实施编码 (an existing matter of that code is
updated), and its situations and materials.

When the 情形 or 材料 sheet is present it is authoritative for the matters it covers: a matter in the 事项 sheet
gets exactly the situations/materials listed for it (possibly none); when the sheet is absent the matter keeps
what it has. A situation/material row may name a matter that exists only in the database.

Every write goes through :func:`yichuang.catalog.services.matter_save`, one savepoint per matter: if the matter
row or any of its situation/material rows is bad, nothing of that matter is written and every bad row is
reported. The failing column is the one that fills the error's field (``materials.2.licence_type`` →
电子证照类型 of the matter's third material row), never guessed from the message.
"""

from __future__ import annotations

from typing import Any, Iterator

from django.db import DatabaseError, transaction

from yichuang.core.errors import DomainError

from ..models import MaterialRequirement, Matter, Situation
from ..services import MATTER_SCALARS, materials_validate, matter_save, matter_validate, situations_validate
from .columns import MATERIAL_COLS, MATTER_COLS, SITUATION_COLS, Col, field_place, header_for
from .registry import ImportRun
from .report import ImportReport, Row, check_lengths

SHEET_MATTERS, SHEET_SITUATIONS, SHEET_MATERIALS = "事项", "情形", "材料"


def import_matters(run: ImportRun) -> None:
    report = run.report
    has_sits = run.rows.get(SHEET_SITUATIONS) is not None
    has_mats = run.rows.get(SHEET_MATERIALS) is not None

    # Matter rows by code; later duplicates are errors.
    by_code: dict[str, Row] = {}
    order: list[str] = []
    for row in run.rows.get(SHEET_MATTERS) or []:
        check_lengths(row, MATTER_COLS, Matter)
        code = row.values.get("implementation_code", "")
        if not code:
            row.errors.append(("实施编码", "实施编码不能为空。"))
        elif code in by_code:
            row.errors.append(("实施编码", f"实施编码“{code}”与第{by_code[code].number}行重复。"))
        else:
            by_code[code] = row
            order.append(code)
            continue
        report.row_errors(row)

    sits_for = _by_matter(run.rows.get(SHEET_SITUATIONS) or [], SITUATION_COLS, Situation)
    mats_for = _by_matter(run.rows.get(SHEET_MATERIALS) or [], MATERIAL_COLS, MaterialRequirement)

    # Child rows for matters not in the matter sheet: they must exist in the database.
    for code in list(sits_for) + list(mats_for):
        if code in by_code or code in order:
            continue
        if code and Matter.objects.filter(implementation_code=code).exists():
            order.append(code)
            continue
        for row in sits_for.pop(code, []) + mats_for.pop(code, []):
            if not code:
                row.errors.append(("实施编码", "实施编码不能为空。"))
            else:
                prefix = "材料" if row.sheet == SHEET_MATERIALS else "情形"
                row.errors.append(("实施编码", f"{prefix}所属事项不存在：实施编码“{code}”既不在事项表中，也不在系统中。"))
            report.row_errors(row)

    for code in order:
        _import_one(code, by_code.get(code), sits_for.get(code, []), mats_for.get(code, []), has_sits, has_mats,
                    report, run.actor)


def _by_matter(rows: list[Row], cols: tuple[Col, ...], model: Any) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in rows:
        check_lengths(row, cols, model)
        out.setdefault(row.values.get("matter", ""), []).append(row)
    return out


def _spec_from_db(matter: Matter) -> dict[str, Any]:
    spec = {k: getattr(matter, k) for k in MATTER_SCALARS}
    spec.update(implementation_code=matter.implementation_code, department=matter.department,
                domain=matter.domain, result_licence_type=matter.result_licence_type)
    return spec


def _situations(srows: list[Row]) -> list[dict]:
    """The situations of the rows, each row checked on its own, then for duplicates."""
    situations: list[dict] = []
    seen: dict[str, int] = {}
    for row in srows:
        v = row.given()
        sit = {"code": v.get("code", ""), "question": v.get("question", ""), "options": v.get("options", [])}
        if not row.errors:
            if not sit["question"]:
                row.errors.append(("问题", "情形问题不能为空。"))
            elif sit["code"] in seen:
                row.errors.append(("情形编码", f"情形编码“{sit['code']}”与第{seen[sit['code']]}行重复。"))
            else:
                try:
                    situations_validate([sit])
                except DomainError as exc:
                    row.errors.append((header_for(SITUATION_COLS, exc.field), exc.message))
        if sit["code"] and sit["code"] not in seen:
            seen[sit["code"]] = row.number
        situations.append(sit)
    return situations


def _materials(trows: list[Row], known_sits: list[dict]) -> list[dict]:
    """The materials of the rows (a row without a code gets M01, M02… by position), each row checked on its own
    against the situations the matter will have."""
    materials: list[dict] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(trows):
        mat = {k: v for k, v in row.given().items() if k != "matter"}
        if not row.errors:
            mcode = mat.get("code") or f"M{index + 1:02d}"
            mat["code"] = mcode
            if mcode in seen:
                row.errors.append(("材料编码", f"材料编码“{mcode}”与第{seen[mcode]}行重复。"))
            else:
                seen[mcode] = row.number
                try:
                    materials_validate([mat], known_sits)
                except DomainError as exc:
                    row.errors.append((header_for(MATERIAL_COLS, exc.field), exc.message))
        materials.append(mat)
    return materials


def _save_error_place(exc: DomainError, mrow: Row | None, srows: list[Row], trows: list[Row]) -> tuple[Row, str]:
    """The row and column of an error ``matter_save`` raised, from the error's field: ``materials.2.copies`` is
    份数 of the matter's third material row, ``form_fields`` is 表单字段 of its matter row."""
    group, index = field_place(exc.field)
    children = {"situations": (srows, SITUATION_COLS), "materials": (trows, MATERIAL_COLS)}
    if group in children:
        rows, cols = children[group]
        if index is not None and index < len(rows):
            return rows[index], header_for(cols, exc.field)
    elif mrow is not None:
        return mrow, header_for(MATTER_COLS, exc.field)
    return mrow or (trows or srows)[0], ""


def _import_one(code: str, mrow: Row | None, srows: list[Row], trows: list[Row], has_sits: bool,
                has_mats: bool, report: ImportReport, actor: Any) -> None:
    existing = Matter.objects.filter(implementation_code=code).select_related("department", "domain").first()
    spec: dict[str, Any] | None = None
    if mrow is not None:
        if not mrow.errors:
            spec = mrow.given()
            try:
                matter_validate(spec)
            except DomainError as exc:
                mrow.errors.append((header_for(MATTER_COLS, exc.field), exc.message))
    else:
        spec = _spec_from_db(existing)

    situations = _situations(srows)
    # A present sheet is authoritative for matters in the matter sheet and for matters it names itself.
    sits_arg = situations if has_sits and (mrow is not None or srows) else None
    known_sits = situations if sits_arg is not None else (
        [{"code": s.code, "question": s.question, "options": s.options} for s in existing.situations.all()]
        if existing else [])
    materials = _materials(trows, known_sits)
    mats_arg = materials if has_mats and (mrow is not None or trows) else None

    bad = [r for r in [mrow, *srows, *trows] if r is not None and r.errors]
    if bad:
        if mrow is not None and not mrow.errors:
            mrow.errors.append(("", f"事项“{code}”的情形或材料行有误，本事项未导入。"))
            bad.insert(0, mrow)
        for r in bad:
            report.row_errors(r)
        return
    assert spec is not None
    try:
        with transaction.atomic():
            matter_save(spec=spec, situations=sits_arg, materials=mats_arg, actor=actor)
    except DomainError as exc:
        row, column = _save_error_place(exc, mrow, srows if sits_arg is not None else [],
                                        trows if mats_arg is not None else [])
        report.error(row.sheet, row.number, column, exc.message)
        return
    except DatabaseError as exc:
        target = mrow or (trows or srows)[0]
        report.error(target.sheet, target.number, "", f"数据库拒绝保存：{type(exc).__name__}。")
        return
    if existing:
        report.updated += 1
    else:
        report.created += 1


def export_matters() -> Iterator[dict[str, Any]]:
    for m in Matter.objects.select_related("department", "domain", "result_licence_type").order_by(
            "implementation_code"):
        values = {c.key: getattr(m, c.key) for c in MATTER_COLS if c.key in MATTER_SCALARS}
        values.update(implementation_code=m.implementation_code, department=m.department.code, domain=m.domain.code,
                      result_licence_type=m.result_licence_type.code if m.result_licence_type_id else "")
        yield values


def export_situations() -> Iterator[dict[str, Any]]:
    for s in Situation.objects.select_related("matter").order_by("matter__implementation_code", "order", "id"):
        yield {"matter": s.matter.implementation_code, "code": s.code, "question": s.question, "options": s.options}


def export_materials() -> Iterator[dict[str, Any]]:
    for t in MaterialRequirement.objects.select_related("matter", "licence_type").order_by(
            "matter__implementation_code", "order", "id"):
        values = {c.key: getattr(t, c.key, None) for c in MATERIAL_COLS}
        values.update(matter=t.matter.implementation_code, licence_type=t.licence_type.code if t.licence_type_id else "")
        yield values

"""The catalogue's reference sheets: 部门 (departments), 领域 (window domains), 证照类型 (licence types). They are
imported before the matters that name them; a missing department is created in the centre given (``--centre``)
or else the first centre."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from django.db import DatabaseError, transaction

from yichuang.accounts.models import Centre, Department
from yichuang.accounts.services import department_create
from yichuang.audit.services import audit_record
from yichuang.core.errors import DomainError, ValidationFailed

from ..models import LicenceType, WindowDomain
from ..services import domain_save, licence_type_save
from .columns import DEPARTMENT_COLS, DOMAIN_COLS, LICENCE_COLS, Col, header_for
from .registry import ImportRun
from .report import Row, check_lengths

SHEET_DEPARTMENTS, SHEET_DOMAINS, SHEET_LICENCES = "部门", "领域", "证照类型"


def _resolve_centre(centre: Centre | str | None) -> Centre | None:
    if isinstance(centre, Centre):
        return centre
    if centre:
        found = Centre.objects.filter(code=str(centre)).first() or Centre.objects.filter(name=str(centre)).first()
        if found is None:
            raise ValidationFailed(f"未知服务中心“{centre}”。", f"Unknown centre {centre!r}.", field="centre")
        return found
    return Centre.objects.order_by("id").first()


def _coded(rows: list[Row], column: str, cols: tuple[Col, ...], model: Any) -> Iterator[tuple[Row, dict[str, Any]]]:
    """Each row with its given values, after the checks every coded row gets: length, code present, not repeated."""
    seen: dict[str, int] = {}
    for row in rows:
        check_lengths(row, cols, model)
        values = row.given()
        code = values.get("code", "")
        if not code:
            row.errors.append((column, f"{column}不能为空。"))
        elif code in seen:
            row.errors.append((column, f"{column}“{code}”与第{seen[code]}行重复。"))
        else:
            seen[code] = row.number
        yield row, values


def import_departments(run: ImportRun) -> None:
    rows, report = run.rows.get(SHEET_DEPARTMENTS), run.report
    if not rows:
        return
    target = _resolve_centre(run.centre)
    for row, v in _coded(rows, "部门编码", DEPARTMENT_COLS, Department):
        if not row.errors:
            code, name, short = v["code"], v.get("name", ""), v.get("short_name", "")
            existing = Department.objects.filter(code=code).first()
            try:
                with transaction.atomic():
                    if existing is None:
                        if not name:
                            raise ValidationFailed("部门名称不能为空。", "Department name is required.", field="name")
                        if target is None:
                            raise ValidationFailed("尚无服务中心，无法新建部门；请先创建中心。",
                                                   "No centre exists to hold new departments.", field="code")
                        department_create(code=code, name=name, centre=target, short_name=short)
                    elif (name and name != existing.name) or (short and short != existing.short_name):
                        before = {"name": existing.name, "short_name": existing.short_name}
                        existing.name = name or existing.name
                        existing.short_name = short or existing.short_name
                        existing.save(update_fields=["name", "short_name"])
                        audit_record(actor=run.actor, action="department.update", obj=existing, before=before,
                                     after={"name": existing.name, "short_name": existing.short_name})
                report.departments += 1
            except DomainError as exc:
                row.errors.append((header_for(DEPARTMENT_COLS, exc.field), exc.message))
        report.row_errors(row)


def _save_domain(v: dict[str, Any]) -> None:
    domain_save(code=v["code"], name=v.get("name", ""), ticket_prefix=v.get("ticket_prefix", ""),
                order=v.get("order", 0))


def _save_licence(v: dict[str, Any]) -> None:
    dept = None
    if v.get("issuing_department"):
        raw = v["issuing_department"]
        dept = Department.objects.filter(code=raw).first() or Department.objects.filter(name=raw).first()
        if dept is None:
            raise ValidationFailed(f"未知发证部门“{raw}”。", f"Unknown issuing department {raw!r}.",
                                   field="issuing_department")
    if not v.get("name"):
        raise ValidationFailed("证照名称不能为空。", "Licence type name is required.", field="name")
    licence_type_save(code=v["code"], name=v["name"], issuing_department=dept, validity_years=v.get("validity_years"))


def _import_coded(run: ImportRun, sheet: str, cols: tuple[Col, ...], model: Any, save: Callable[[dict], None],
                  counter: str) -> None:
    rows, report = run.rows.get(sheet), run.report
    if not rows:
        return
    for row, v in _coded(rows, "编码", cols, model):
        if not row.errors:
            try:
                with transaction.atomic():
                    save(v)
                setattr(report, counter, getattr(report, counter) + 1)
            except DomainError as exc:
                row.errors.append((header_for(cols, exc.field), exc.message))
            except DatabaseError:
                row.errors.append(("", "名称或号码前缀与已有记录重复。"))
        report.row_errors(row)


def import_domains(run: ImportRun) -> None:
    _import_coded(run, SHEET_DOMAINS, DOMAIN_COLS, WindowDomain, _save_domain, "domains")


def import_licence_types(run: ImportRun) -> None:
    _import_coded(run, SHEET_LICENCES, LICENCE_COLS, LicenceType, _save_licence, "licence_types")


def export_departments() -> Iterator[dict[str, Any]]:
    for d in Department.objects.order_by("code"):
        yield {"code": d.code, "name": d.name, "short_name": d.short_name}


def export_domains() -> Iterator[dict[str, Any]]:
    for d in WindowDomain.objects.order_by("order", "code"):
        yield {"code": d.code, "name": d.name, "ticket_prefix": d.ticket_prefix, "order": d.order}


def export_licence_types() -> Iterator[dict[str, Any]]:
    for lt in LicenceType.objects.select_related("issuing_department").order_by("code"):
        yield {"code": lt.code, "name": lt.name, "validity_years": lt.validity_years,
               "issuing_department": lt.issuing_department.code if lt.issuing_department_id else None}

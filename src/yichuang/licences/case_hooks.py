"""The e-licence library joins the case hooks (``yichuang.cases.hooks``): the licences an applicant holds make
materials exempt at receipt (免提交) and are linked to the case; an approval puts the result licence into the
library; approving a licence for an organisation without a 统一社会信用代码 asks for the new one."""

from __future__ import annotations

from typing import Any

from yichuang.cases import hooks
from yichuang.cases.constants import MaterialStatus

from .selectors import licence_types_held
from .services import case_materials_link_licences, form_credit_code, licence_issue_for_case, organisation_name

CREDIT_CODE = "credit_code"


def held_licence_types(*, identifier: str) -> frozenset[str]:
    return licence_types_held(identifier=identifier)


def case_created(*, case, materials: list, actor) -> None:
    if any(cm.status == MaterialStatus.EXEMPT for cm in materials):
        case_materials_link_licences(case=case)  # rewrites those rows: the answer reads them


def case_approved(*, case, actor, result_data: dict[str, Any] | None) -> None:
    licence_issue_for_case(case=case, actor=actor, result_data=result_data)


def result_fields(*, case, result: hooks.ResultFields) -> None:
    """A matter whose result is a licence for an organisation that has no 统一社会信用代码 yet (设立登记: the form
    names the organisation, no credit code is on the case) asks for the new credit code, required, so that the
    licence goes to the company and not to the representative who applied (see ``licence_holder_for_case``)."""
    if result.final:
        return
    snapshot = case.matter_version.snapshot or {}
    form = case.form_data or {}
    licence = snapshot.get("result_kind") == "licence" and (case.answers or {}).get("apply_type") not in (
        "renew", "cancel")
    has_code = (case.applicant_kind == "company" and case.applicant_credit_code) or form_credit_code(snapshot, form)
    if licence and not has_code and (CREDIT_CODE in result.fields or organisation_name(snapshot, form)):
        result.fields[CREDIT_CODE] = {"code": CREDIT_CODE, "label": "统一社会信用代码", "required": True, "value": ""}
    elif has_code:
        result.fields.pop(CREDIT_CODE, None)  # the organisation has one already


def register() -> None:
    hooks.held_licence_types.register(held_licence_types)
    hooks.on_case_created.register(case_created)
    hooks.on_case_approved.register(case_approved)
    hooks.result_fields.register(result_fields, order=10)  # after what others offer (a bundle's produces)

"""Personal data: the full numbers of a case, shown only with the permission and a reason, every look audited."""

from __future__ import annotations

from yichuang.accounts.models import User
from yichuang.audit.services import audit_record
from yichuang.core.errors import PermissionDeniedError, ValidationFailed

from ..forms import form_pii_full
from ..models import Case


def case_pii_reveal(*, case: Case, actor: User, reason: str, address: str = "") -> dict:
    """Show the full ID and phone numbers of a case (they are masked everywhere else): the applicant's, the
    agent's and those typed into the form (``form``: ``[{"code", "label", "type", "value"}]``, the fields of type
    id_number and phone). Needs the permission ``cases.view_full_pii`` and a reason; every look is an audit
    event naming the fields shown."""
    if actor is None or not actor.is_authenticated or not actor.has_perm("cases.view_full_pii"):
        raise PermissionDeniedError("您没有查看完整证件号码的权限。", "You may not view full personal numbers.",
                                    code="pii")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请说明查看完整号码的理由。", "Give the reason for viewing the full numbers.",
                               field="reason")
    full = {"applicant_id_number": case.applicant_id_number, "agent_id_number": case.agent_id_number,
            "contact_phone": case.contact_phone}
    form = form_pii_full((case.matter_version.snapshot or {}).get("form_fields"), case.form_data)
    fields = sorted(k for k, v in full.items() if v) + [f"form_data.{f['code']}" for f in form]
    audit_record(actor=actor, action="pii.view", obj=case, address=address,
                 after={"number": case.number, "fields": fields, "reason": reason})
    return {**full, "form": form}

"""失信: applicants flagged for bad credit (the flag marks their cases; 容缺受理 is refused to them)."""

from __future__ import annotations

from yichuang.accounts.models import User
from yichuang.audit.services import audit_record

from ..models import ApplicantCredit


def applicant_credit_set(*, identifier: str, bad_credit: bool, reason: str = "", actor: User | None = None
                         ) -> ApplicantCredit:
    identifier = identifier.strip().upper()
    row, _ = ApplicantCredit.objects.update_or_create(identifier=identifier,
                                                      defaults={"bad_credit": bad_credit, "reason": reason})
    audit_record(actor=actor, action="applicant.credit", obj=row, after={"bad_credit": bad_credit, "reason": reason})
    return row


def _has_bad_credit(identifier: str) -> bool:
    return bool(identifier) and ApplicantCredit.objects.filter(identifier=identifier, bad_credit=True).exists()

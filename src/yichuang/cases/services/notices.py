"""The notices a case step gives (告知书, 通知书): numbered per case and kind, recorded with the step, audited, and
sent to the applicant after commit. The texts of the case's own notices are templates
(``templates/cases/notices/*.txt``); the words of the decisions and letters come from the documents
(``hooks.notice_wording``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from yichuang.accounts.models import User
from yichuang.audit.services import audit_record
from yichuang.notify import hooks as notify_hooks

from .. import hooks
from ..constants import NOTICE_PREFIX, MaterialStatus, NoticeKind
from ..models import Case, CaseMaterial, Notice
from .door import _today


def notice_text(template: str, **context: Any) -> str:
    """The text of a notice from ``templates/cases/notices/<template>.txt``."""
    return render_to_string(f"cases/notices/{template}.txt", context).rstrip("\n")


def _notice(*, case: Case, kind: str, actor: User | None, content: dict, text: str) -> Notice:
    n = case.notices.filter(kind=kind).count() + 1
    number = f"{case.number}-{NOTICE_PREFIX[kind]}{n:02d}"
    base = {"case_number": case.number, "applicant": case.applicant_name, "matter": case.matter.name,
            "matter_code": case.matter.implementation_code, "department": case.department.name,
            "date": _today().isoformat(), "title": NoticeKind(kind).label}
    notice = Notice.objects.create(case=case, kind=kind, number=number, content={**base, **content}, text=text,
                                   created_by=actor)
    audit_record(actor=actor, action=f"notice.{kind}", obj=notice, after={"number": number, "case": case.number})
    case.has_notices = True  # for the detail built from this instance (see selectors.case_notices)
    notify_hooks.notice_given(notice)  # tells the applicant after commit
    hooks.on_notice_given.fire(notice=notice)  # its 文号, in this transaction
    return notice


def _worded(kind: str, case: Case, **details: Any) -> dict:
    """The text and content of a notice whose words the documents give (see ``hooks.notice_wording``)."""
    words = hooks.notice_wording.first(kind=kind, case=case, **details)
    if words is None:
        raise ImproperlyConfigured(f"No wording for notices of kind {kind!r} (is the documents app installed?)")
    return words


def _acceptance_notice(case: Case, actor: User | None, materials: list[CaseMaterial] | None = None) -> Notice:
    """受理通知书 (also of a case deemed accepted by the five-day rule)."""
    if materials is None:
        materials = list(case.materials.all())
    tolerant = [{"code": m.requirement_code, "name": m.name}
                for m in sorted(materials, key=lambda m: (m.order, m.pk or 0)) if m.status == MaterialStatus.TOLERANT]
    content = {"accepted_on": case.accepted_at.isoformat(), "due_date": case.due_date.isoformat(),
               "legal_due_date": case.legal_due_date.isoformat(), "promised_days": case.promised_days,
               "legal_days": case.legal_days, "deemed": case.deemed_accepted, "tolerant_items": tolerant,
               "tolerant_due": case.tolerant_due.isoformat() if case.tolerant_due else None}
    return _notice(case=case, kind=NoticeKind.ACCEPTANCE, actor=actor, content=content,
                   text=notice_text("acceptance", case=case, tolerant=tolerant))

"""THE door for every state change of a case: :func:`case_transition` (or :func:`_transition` for a service that
already holds the row lock) checks the role, 受审分离, department isolation with A/B posts (:mod:`..posts`) and
the allowed from-states (:mod:`..statemachine`), and writes the history row and the audit event in the same
transaction as the change, with the case row locked (SELECT … FOR UPDATE)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.audit.services import audit_record
from yichuang.core.errors import NotFound, PermissionDeniedError, label_en, label_zh

from ..constants import CaseState as S
from ..models import Case, CaseMaterial, CaseTransition, Notice
from ..posts import department_check
from ..selectors import case_check_visible
from ..statemachine import Rule, rule_for, state_en


def _today() -> dt.date:
    return timezone.localdate()


def _label(state: str) -> str:
    return S(state).label


def _authorise(*, case: Case, rule: Rule, actor: User | None, to: str) -> None:
    if actor is None:
        if not rule.system:
            raise PermissionDeniedError("该操作须由工作人员执行。", "This step must be taken by a staff member.")
        return
    if actor.role not in rule.roles:
        raise PermissionDeniedError(
            f"您的角色“{label_zh(actor.get_role_display())}”不能将办件转为“{_label(to)}”。",
            f"As {label_en(actor.get_role_display(), 'this role')} you may not make a case {state_en(to)}.",
            code="role")
    if actor.role == Role.APPLICANT and not (actor.id_number and actor.id_number == case.applicant_id_number):
        raise PermissionDeniedError("只能操作本人的办件。", "Applicants may act only on their own cases.", code="not_own")
    if rule.separation and case.received_by_id is not None and case.received_by_id == actor.pk:
        raise PermissionDeniedError("受审分离：本件由您收件，不能由您受理或审批。",
                                    "Separation of receipt and review: you received this case, so you may not "
                                    "accept or decide it.", code="separation")
    if rule.department:
        department_check(case=case, actor=actor)


# What a service needs of a locked case, and what the API detail shows, in one query (the frozen snapshot of the
# matter version is left out; it is read only by the few steps that need it).
LOCK_RELATED = ("matter", "department", "centre", "handling_centre", "matter_version")


def _lock_qs(with_materials: bool = False):
    qs = (Case.objects.select_for_update(of=("self",)).select_related(*LOCK_RELATED)
          .defer("matter_version__snapshot")
          .annotate(has_notices=Exists(Notice.objects.filter(case_id=OuterRef("pk")))))
    if with_materials:
        qs = qs.prefetch_related(Prefetch("materials", queryset=CaseMaterial.objects.order_by("order", "id")))
    return qs


def _lock(case: Case, *, with_materials: bool = False) -> Case:
    """The case row, locked FOR UPDATE until the end of the transaction (only the case row: the joined matter,
    department, centres and version are read, not locked). ``has_notices`` comes with it: most cases have none,
    and then the detail shown after the step does not look for them (see ``selectors.case_notices``).
    ``with_materials``: the material rows are read with it and kept on the case (as ``selectors.case_materials``
    keeps them), for a step that checks them without changing them.

    A key by number (``selectors.case_key_for``: not read yet) is read and locked here in the same query, and the
    visibility check the key carries is made on the locked row, before any other check."""
    key, value = ("number", case.number) if case.pk is None else ("pk", case.pk)
    locked = _lock_qs(with_materials).filter(**{key: value}).first()
    if locked is None:
        raise NotFound("办件不存在。", "No such case.")
    viewer = getattr(case, "viewer", None)
    if viewer is not None:
        case_check_visible(user=viewer, case=locked)
    return locked


def _begin(*, case: Case, to: str, actor: User | None, with_materials: bool = False) -> Case:
    """Lock the case and check that ``actor`` may move it to ``to`` (no write)."""
    locked = _lock(case, with_materials=with_materials)
    _authorise(case=locked, rule=rule_for(locked.state, to), actor=actor, to=to)
    return locked


def _history(*, case: Case, frm: str, to: str, actor: User | None, reason: str = "", data: dict | None = None,
             action: str = "") -> None:
    data = data or {}
    CaseTransition.objects.create(case=case, from_state=frm, to_state=to, actor=actor, at=timezone.now(),
                                  reason=reason, data=data)
    audit_record(actor=actor, action=action or f"case.{to}", obj=case, before={"state": frm} if frm else None,
                 after={"state": to, "number": case.number, "reason": reason, **data})


@transaction.atomic
def case_transition(*, case: Case, to: str, actor: User | None, reason: str = "", data: dict | None = None,
                    updates: dict[str, Any] | None = None) -> Case:
    """THE door for every state change: lock, checks, then state + ``updates``, history row and audit event."""
    return _transition(locked=_begin(case=case, to=to, actor=actor), to=to, actor=actor, reason=reason, data=data,
                       updates=updates)


def _transition(*, locked: Case, to: str, actor: User | None, reason: str = "", data: dict | None = None,
                updates: dict[str, Any] | None = None) -> Case:
    """The door for a service that already holds the row lock (``_begin``/``_lock`` earlier in the SAME
    transaction): the checks run again on the locked row, then the write, the history row and the audit event."""
    assert transaction.get_connection().in_atomic_block, "_transition needs the transaction that holds the lock"
    _authorise(case=locked, rule=rule_for(locked.state, to), actor=actor, to=to)
    frm = locked.state
    locked.state = to
    updates = dict(updates or {})
    if to == S.FORWARDED:  # the back office that takes the case over: the matter's department as of now
        updates.setdefault("department_id", locked.matter.department_id)
    for key, value in updates.items():
        setattr(locked, key, value)
    fields = {"state", "updated_at", *updates}
    locked.save(update_fields=sorted(fields))
    _history(case=locked, frm=frm, to=to, actor=actor, reason=reason, data=data)
    return locked

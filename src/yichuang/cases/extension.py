"""延期: the time limit of a case may be extended once, by at most 10 working days, with the approval of the head of
the organ (《中华人民共和国行政许可法》第四十二条: 20 working days, extendable once by 10). Here the head is a
supervisor (效能监察) or an administrator, never the approver who asks; and the promised limit with the extension
may not pass the legal limit with it."""

from __future__ import annotations

from yichuang.accounts.constants import Role
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed

from .constants import CaseState as S

EXTENSION_MAX_WORKDAYS = 10
EXTENDABLE_STATES = (S.ACCEPTED, S.SUSPENDED)


def extension_check(*, case, actor, days, approved_by, reason: str) -> None:
    """Refuse an extension of ``case`` by ``days`` that the law or the approval does not allow."""
    if case.state not in EXTENDABLE_STATES:
        raise ConflictError("只有已受理的办件可以延期。", "Only accepted cases can be extended.", code="state")
    if case.extension_days:
        raise ConflictError("本件已延期一次，不能再次延期。", "A case can be extended only once.", code="extended")
    if approved_by is None or approved_by.role not in (Role.SUPERVISOR, Role.ADMIN) or approved_by.pk == actor.pk:
        raise PermissionDeniedError("延期须经负责人（效能监察或管理员）批准。",
                                    "An extension needs the approval of a supervisor or administrator.",
                                    code="approval")
    if not (reason or "").strip():
        raise ValidationFailed("请填写延期理由。", "The reason is required.", field="reason")
    if not isinstance(days, int) or days < 1 or days > EXTENSION_MAX_WORKDAYS:
        raise ValidationFailed(f"延期天数应为1至{EXTENSION_MAX_WORKDAYS}个工作日。",
                               f"An extension is 1 to {EXTENSION_MAX_WORKDAYS} working days.", field="days")
    if case.promised_days + days > case.legal_days + EXTENSION_MAX_WORKDAYS:
        raise ValidationFailed("延期后超出法定时限。", "The extension would exceed the legal limit.", field="days")

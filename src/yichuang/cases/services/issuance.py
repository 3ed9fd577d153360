"""统一出件 and the ends of a case: result ready (可取件), issued at the window (送达回证) or by post, closed
(办结) or withdrawn (撤回)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.core.errors import ConflictError, ValidationFailed
from yichuang.notify import hooks as notify_hooks

from .. import hooks
from ..constants import DeliveryMethod, MaterialStatus
from ..constants import CaseState as S
from ..models import Case, Delivery
from .door import _begin, _transition, case_transition


@transaction.atomic
def case_mark_ready(*, case: Case, actor: User) -> Case:
    case = case_transition(case=case, to=S.READY, actor=actor, reason="结果已制作，待出件")
    notify_hooks.result_ready(case)  # 可取件, after commit
    return case


@transaction.atomic
def case_issue(*, case: Case, actor: User, method: str, signed_by: str = "", address: str = "", carrier: str = "",
               tracking_no: str = "", originals_checked: bool = False) -> Delivery:
    """统一出件: at the window (the applicant signs the 送达回证) or by post with a tracking number.
    ``originals_checked``: the originals of an online application were checked at the window (原件核验)."""
    locked = _begin(case=case, to=S.ISSUED, actor=actor)
    hooks.before_case_issued.fire(case=locked, actor=actor)  # 异地代收: the receiving centre hands it over
    outstanding = list(locked.materials.filter(status=MaterialStatus.TOLERANT).values_list("name", flat=True))
    if outstanding:
        raise ConflictError(f"容缺材料尚未补齐，不能出件：{'、'.join(outstanding)}。",
                            "Tolerant items are still missing; the result cannot be issued.", code="tolerant_open")
    if method not in DeliveryMethod.values:
        raise ValidationFailed("送达方式应为窗口领取或邮寄。", "Method must be window or post.", field="method")
    updates: dict[str, Any] = {}
    if method == DeliveryMethod.WINDOW:
        signed_by = (signed_by or "").strip()
        if not signed_by:
            raise ValidationFailed("窗口领取须由领取人签收（送达回证）。", "The recipient must sign.", field="signed_by")
        updates["visits"] = locked.visits + 1
    else:
        address = (address or locked.contact_address or "").strip()
        for value, field, label in ((address, "address", "邮寄地址"), (carrier, "carrier", "快递公司"),
                                    (tracking_no, "tracking_no", "运单号")):
            if not (value or "").strip():
                raise ValidationFailed(f"邮寄送达须填写{label}。", f"{field} is required for postal delivery.",
                                       field=field)
    delivery = Delivery.objects.create(case=locked, method=method, signed_by=signed_by, address=address,
                                       carrier=carrier.strip(), tracking_no=tracking_no.strip(), at=timezone.now(),
                                       by=actor)
    _transition(locked=locked, to=S.ISSUED, actor=actor, reason=DeliveryMethod(method).label,
                data={"method": method, "tracking_no": tracking_no.strip(),
                      "originals_checked": bool(originals_checked)}, updates=updates)
    return delivery


def case_close(*, case: Case, actor: User | None) -> Case:
    return case_transition(case=case, to=S.CLOSED, actor=actor, reason="办结")


@transaction.atomic
def case_withdraw(*, case: Case, actor: User, reason: str, written_request: bool = False) -> Case:
    """撤回 is the applicant's act, before a decision: the applicant online (own case), or a window clerk recording
    the applicant's written request (撤回申请书) with its reason. Never a way for the back office to end a case
    without a decision (it decides, or refuses with the reasons and the remedies: 不予受理 / 不予许可)."""
    locked = _begin(case=case, to=S.WITHDRAWN, actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写撤回原因。", "The reason is required.", field="reason")
    via = "online" if actor.role == Role.APPLICANT else "window"
    if via == "window" and not written_request:
        raise ValidationFailed("窗口撤回须有申请人的书面撤回申请，请确认已收到并填写其理由。",
                               "A withdrawal at the window needs the applicant's written request; confirm it was "
                               "received and give its reason.", field="written_request")
    case = _transition(locked=locked, to=S.WITHDRAWN, actor=actor, reason=f"申请人申请撤回：{reason}",
                       data={"requested_by": "applicant", "via": via, "written_request": via == "window",
                             "applicant_reason": reason})
    reason = f"申请人申请撤回：{reason}"
    # 一件事: the dependents cannot go on
    hooks.on_case_decided.fire(case=case, approved=False, actor=actor, result_data={}, reason=reason)
    return case

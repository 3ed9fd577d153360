"""Sending notifications: every configured backend that can reach the recipient gets the message; each try
is one outbox row. Runs after the business transaction committed (see :mod:`yichuang.notify.hooks`), and a
failing channel never undoes or breaks the business step."""

from __future__ import annotations

import logging

from django.conf import settings

from yichuang.core.redact import mask_pii

from .backends import Message, backends
from .constants import DeliveryStatus, Event
from .models import Notification

log = logging.getLogger("yichuang.notify")


def _stored(text: str, case_number: str) -> str:
    """The text kept in the outbox: ID and mobile numbers masked, the message's own case number left readable (a
    county centre's case number has the 18 digits of an ID number, and a subject writes it without a label)."""
    if not case_number:
        return mask_pii(text)
    return case_number.join(mask_pii(part) for part in text.split(case_number))


def notify_send(*, message: Message, case=None) -> list[Notification]:
    rows = []
    for backend in backends():
        recipient = backend.recipient(message)
        if not recipient:
            continue
        # The message goes out in full; the outbox keeps it with ID and mobile numbers masked.
        row = Notification(event=message.event, channel=backend.channel, backend=backend.name, recipient=recipient,
                           subject=_stored(message.subject, message.case_number)[:200],
                           body=_stored(message.body, message.case_number), case=case)
        try:
            row.provider_id = (backend.send(message) or "")[:100]
            row.status = DeliveryStatus.SENT
        except Exception as exc:  # a channel failure is recorded, never raised into the caller
            log.exception("notification via %s failed", backend.name)
            row.status, row.error = DeliveryStatus.FAILED, mask_pii(f"{type(exc).__name__}: {exc}")[:300]
        row.save()
        rows.append(row)
    return rows


def _progress_url(case) -> str:
    return f"{settings.YICHUANG_PUBLIC_URL.rstrip('/')}/cases/progress/?number={case.number}"


def _date(value) -> str:
    """2026-11-27 → 2026年11月27日 (as the notices write dates)."""
    try:
        y, m, d = str(value)[:10].split("-")
        return f"{int(y)}年{int(m)}月{int(d)}日"
    except ValueError:
        return str(value or "")


def _text(case, event: str, notice=None) -> str:
    c = notice.content if notice is not None else {}
    head = f"【{case.handling_centre.name}】{case.applicant_name}：您申请的“{case.matter.name}”（办件编号{case.number}）"
    if event == Event.ACCEPTED:
        body = f"已受理，承诺于{_date(c.get('due_date'))}前办结。"
    elif event == Event.SUPPLEMENT:
        names = "、".join(i.get("name", "") for i in c.get("items") or [])
        body = f"需补齐补正材料：{names}，请于{_date(c.get('due_date'))}前一次性提交。"
    elif event == Event.NOT_ACCEPTED:
        body = f"不予受理，理由：{c.get('reason', '')}。详见不予受理通知书。"
    elif event == Event.DECIDED:
        # The decision's own word (准予许可 only for 行政许可; 准予登记, 准予给付, 办结 … otherwise).
        verdict = c.get("verdict") or ("准予" if c.get("approved") else "不予")
        body = (f"已办结，决定{verdict}。" if c.get("approved") else f"已办结，决定{verdict}，详见决定书。")
        if verdict == "办结":
            body = "已办结。"
    elif event == Event.READY:
        body = "办理结果已可领取，请携带身份证件到综合出件窗口领取，或申请邮寄送达。"
    else:
        body = "有新的办理进度。"
    return f"{head}{body}查询进度：{_progress_url(case)}"


def case_event_notify(*, case, event: str, notice=None) -> list[Notification]:
    """Tell the applicant of a case about a milestone (SMS to the contact phone, e-mail if the form has one)."""
    email = str((case.form_data or {}).get("email") or "").strip()
    message = Message(event=event, subject=f"{Event(event).label}：{case.matter.name}（{case.number}）",
                      body=_text(case, event, notice), phone=case.contact_phone, email=email, case_number=case.number)
    return notify_send(message=message, case=case)


def outbox_for_case(*, case) -> list[dict]:
    return [{"event": n.event, "event_label": n.get_event_display(), "channel": n.channel, "backend": n.backend,
             "recipient": n.masked_recipient, "status": n.status,
             "body": n.body, "created_at": n.created_at} for n in case.notifications.order_by("created_at", "id")]

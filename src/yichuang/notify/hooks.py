"""Hooks the case services call: the message goes out after the transaction commits (never for a rollback)."""

from __future__ import annotations

from django.db import transaction

from .constants import Event

NOTICE_EVENTS = {
    "acceptance": Event.ACCEPTED,
    "supplement": Event.SUPPLEMENT,
    "non_acceptance": Event.NOT_ACCEPTED,
    "decision": Event.DECIDED,
}


def _run(case_id: int, event: str, notice_id: int | None) -> None:
    from yichuang.cases.models import Case, Notice

    from .services import case_event_notify

    case = Case.objects.select_related("matter", "handling_centre").filter(pk=case_id).first()
    if case is None:
        return
    notice = Notice.objects.filter(pk=notice_id).first() if notice_id else None
    case_event_notify(case=case, event=event, notice=notice)


def notice_given(notice) -> None:
    event = NOTICE_EVENTS.get(notice.kind)
    if event:
        case_id, notice_id = notice.case_id, notice.pk
        transaction.on_commit(lambda: _run(case_id, event, notice_id))


def result_ready(case) -> None:
    case_id = case.pk
    transaction.on_commit(lambda: _run(case_id, Event.READY, None))

"""Hooks the case services call: the message goes out after the transaction commits (never for a rollback).

The message is built from the instances the service holds (the locked case with its matter and handling centre,
the notice it wrote): what the message uses — applicant, matter, number, contact, the notice's content — is written
before the hook is registered and does not change later in the transaction, so nothing is read again."""

from __future__ import annotations

from django.db import transaction

from .constants import Event
from .services import case_event_notify

NOTICE_EVENTS = {
    "acceptance": Event.ACCEPTED,
    "supplement": Event.SUPPLEMENT,
    "non_acceptance": Event.NOT_ACCEPTED,
    "decision": Event.DECIDED,
}


def _after_commit(case, event: str, notice=None) -> None:
    transaction.on_commit(lambda: case_event_notify(case=case, event=event, notice=notice))


def notice_given(notice) -> None:
    event = NOTICE_EVENTS.get(notice.kind)
    if event:
        _after_commit(notice.case, event, notice)


def result_ready(case) -> None:
    _after_commit(case, Event.READY)

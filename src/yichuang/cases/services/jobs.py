"""The deadline jobs (``yichuang case_jobs``, daily): the five-day rule (:mod:`..five_day_rule`) and the lapse of
容缺受理 (:mod:`..tolerant_lapse`). Each case is taken in a transaction of its own, through the door; a case whose
stored row does not decrypt (an ID or phone number altered in the database, a key missing) is logged and skipped,
and the job goes on with the others."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from yichuang.core.crypto import UnreadableValue

from ..constants import CaseState as S
from ..constants import MaterialStatus, NoticeKind
from ..deadline import clock_fields
from ..five_day_rule import (
    DEEMED_REASON,
    WAITING_STATES,
    deemed_accepted,
    received_before,
)
from ..models import Case, Suspension
from ..tolerant_lapse import (
    ACCEPTANCE_UNDONE,
    ITEM_NOTE,
    LAPSE_REASON,
    LAPSE_STATES,
    resupply_due,
)
from .door import _lock, _today, _transition, case_transition
from .materials import _blocking_items
from .notices import _acceptance_notice, _notice, notice_text

log = logging.getLogger(__name__)


def _unreadable(job: str, pk: int, exc: Exception) -> None:
    log.error("%s: case %s skipped, its row does not decrypt (%s)", job, pk, exc)


def case_lapse_tolerant(*, today: dt.date | None = None) -> list[Case]:
    """Job: tolerant cases whose items are still out after the due date go back to needs-supplement."""
    today = today or _today()
    lapsed = []
    ids = list(Case.objects.filter(tolerant=True, tolerant_due__lt=today, state__in=LAPSE_STATES,
                                   materials__status=MaterialStatus.TOLERANT).values_list("pk", flat=True).distinct())
    for pk in ids:
        try:
            case = _lapse_one(pk, today)
        except UnreadableValue as exc:
            _unreadable("case_lapse_tolerant", pk, exc)
            continue
        if case is not None:
            lapsed.append(case)
    return lapsed


def _lapse_one(pk: int, today: dt.date) -> Case | None:
    with transaction.atomic():
        case = _lock(Case(pk=pk))
        items = list(case.materials.filter(status=MaterialStatus.TOLERANT))
        if not items or case.state not in LAPSE_STATES:
            return None
        for cm in items:
            cm.status, cm.note = MaterialStatus.MISSING, ITEM_NOTE
            cm.save()
        Suspension.objects.filter(case=case, end_date__isnull=True).update(end_date=today)
        due = resupply_due(today)
        missing = _blocking_items(case)
        case = case_transition(
            case=case, to=S.NEEDS_SUPPLEMENT, actor=None, reason=LAPSE_REASON,
            data={"items": [c.requirement_code for c in items]},
            updates={**ACCEPTANCE_UNDONE, "missing_items": missing, "supplement_due": due})
        _notice(case=case, kind=NoticeKind.SUPPLEMENT, actor=None,
                content={"items": missing, "due_date": due.isoformat(), "note": "容缺受理失效"},
                text=notice_text("supplement_lapse", case=case, due_date=due, names=[i["name"] for i in missing]))
        return case


def apply_five_day_rule(*, today: dt.date | None = None) -> list[Case]:
    """Job: a case received more than five working days ago that never got a supplement notice and is not
    yet accepted counts as accepted from the day of receipt; its deadline runs from then."""
    today = today or _today()
    done = []
    cutoff = timezone.make_aware(dt.datetime.combine(received_before(today), dt.time.min))
    candidates = (Case.objects.filter(state__in=WAITING_STATES, received_at__lt=cutoff)
                  .exclude(notices__kind=NoticeKind.SUPPLEMENT).values_list("pk", "received_at"))
    for pk, received_at in candidates:
        received_on = timezone.localdate(received_at)
        if not deemed_accepted(received_on=received_on, today=today):
            continue
        try:
            case = _deem_one(pk, received_on)
        except UnreadableValue as exc:
            _unreadable("apply_five_day_rule", pk, exc)
            continue
        if case is not None:
            done.append(case)
    return done


def _deem_one(pk: int, received_on: dt.date) -> Case | None:
    with transaction.atomic():
        case = _lock(Case(pk=pk))
        if case.state not in WAITING_STATES or case.notices.filter(kind=NoticeKind.SUPPLEMENT).exists():
            return None
        case = _transition(locked=case, to=S.ACCEPTED, actor=None, reason=DEEMED_REASON,
                           data={"deemed": True, "received_on": received_on.isoformat()},
                           updates={"deemed_accepted": True, "accepted_at": received_on,
                                    **clock_fields(case, received_on)})
        _acceptance_notice(case, None)
        return case

"""``tick``: one pass of every scheduled job (cron it, or run `yichuang scheduler`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yichuang.cases import services as cases
from yichuang.feedback import services as feedback

from ..kpi import kpi_open_snapshot, kpi_rollup
from .alerts import complaint_watch, deadline_watch, rectification_watch


def tick(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """One pass of every scheduled job: the 5-day rule, 容缺 lapses, the lights, late rectifications and tickets,
    rating invitations, and the KPI rollups of today and yesterday."""
    today = today or timezone.localdate()
    out: dict[str, Any] = {
        "deemed_accepted": len(cases.apply_five_day_rule(today=today)),
        "tolerant_lapsed": len(cases.case_lapse_tolerant(today=today)),
        "lights": deadline_watch(today=today),
        "rectifications_escalated": rectification_watch(today=today),
        "complaints_escalated": complaint_watch(today=today),
        "ratings": feedback.rating_invites(now=now),
    }
    out["kpi_rows"] = kpi_rollup(day=today) + kpi_rollup(day=today - dt.timedelta(days=1))
    out["kpi_open_centres"] = kpi_open_snapshot(today=today)
    return out

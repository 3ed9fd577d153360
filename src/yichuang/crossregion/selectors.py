"""Reads: which centres a matter may be received at, and the 代收 / 代办 figures of a centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.accounts.selectors import centre_lineage_ids
from yichuang.cases.models import Case

from .models import Region
from .rules import on_behalf_check


def receiving_regions(*, matter) -> list[dict]:
    return [{"code": r.code, "name": r.name, "scope": r.scope, "scope_label": r.get_scope_display(),
             "centres": [c.code for c in r.centres.all()]}
            for r in matter.receiving_regions.filter(is_active=True).prefetch_related("centres")]


def handling_centres_for(*, matter, centre: Centre) -> list[Centre]:
    """Centres ``centre`` may receive ``matter`` for: its own jurisdiction, plus the matter's department centre
    when a region of the matter covers both."""

    target = matter.department.centre
    try:
        on_behalf_check(matter=matter, centre=centre, handling_centre=target)
    except Exception:  # noqa: BLE001 - a refusal just means "not offered"
        return []
    return [target]


def centre_on_behalf_stats(*, centre: Centre, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    """代收 (received here for another centre) and 代办 (handled here, received elsewhere), plus local cases,
    counted on the date of receipt. Both centres count the same case, each in its own column."""

    qs = Case.objects.all()
    if since:
        qs = qs.filter(received_at__date__gte=since)
    if until:
        qs = qs.filter(received_at__date__lte=until)
    here = Q(centre_id=centre.pk) | Q(handling_centre_id=centre.pk)
    agg = qs.filter(here).aggregate(
        received_for_others=Count("id", filter=Q(centre_id=centre.pk) & ~Q(handling_centre_id=F("centre_id"))),
        handled_for_others=Count("id", filter=Q(handling_centre_id=centre.pk) & ~Q(centre_id=F("handling_centre_id"))),
        local=Count("id", filter=Q(centre_id=centre.pk, handling_centre_id=centre.pk)),
    )
    return {"centre": centre.code, "centre_name": centre.name, "since": since, "until": until or timezone.localdate(),
            "代收": agg["received_for_others"], "代办": agg["handled_for_others"], **agg}


def regions_of(*, centre: Centre) -> list[Region]:
    ids = centre_lineage_ids(centre.pk)
    return list(Region.objects.filter(is_active=True, centres__in=ids).distinct())

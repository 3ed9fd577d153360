"""Who may receive a case for whom (异地代收) — the one rule, with its reasons.

A centre receives for a handling centre when
1. they are the same centre, or one is above the other in the hierarchy (one jurisdiction: a 便民服务中心
   receives for its 区县 centre, 就近办), or
2. the matter lists an active region (全省通办 / 跨省通办) whose member centres cover both (a member centre
   covers every centre under it).
Otherwise the receipt is refused with a message naming the matter, both centres and the regions that would allow it.
"""

from __future__ import annotations

from yichuang.accounts.selectors import centre_lineage_ids
from yichuang.core.errors import PermissionDeniedError


def _lineage(centre) -> set[int]:
    return centre_lineage_ids(centre.pk)


def same_jurisdiction(centre, handling_centre) -> bool:
    if centre.pk == handling_centre.pk:
        return True
    return handling_centre.pk in _lineage(centre) or centre.pk in _lineage(handling_centre)


def regions_covering(*, matter, centre, handling_centre) -> list:
    """The matter's active regions that cover both centres."""
    mine, theirs = _lineage(centre), _lineage(handling_centre)
    out = []
    for region in matter.receiving_regions.filter(is_active=True).prefetch_related("centres"):
        members = {c.pk for c in region.centres.all()}
        if members & mine and members & theirs:
            out.append(region)
    return out


def on_behalf_check(*, matter, centre, handling_centre) -> list:
    """Raise PermissionDeniedError unless ``centre`` may receive ``matter`` for ``handling_centre``; return the
    regions that allow it (empty within one jurisdiction)."""
    if same_jurisdiction(centre, handling_centre):
        return []
    regions = regions_covering(matter=matter, centre=centre, handling_centre=handling_centre)
    if regions:
        return regions
    listed = "、".join(r.name for r in matter.receiving_regions.filter(is_active=True)) or "无"
    raise PermissionDeniedError(
        f"“{matter.name}”不在“{centre.name}”可代收的范围内：办理中心为“{handling_centre.name}”，"
        f"该事项的通办区域（{listed}）不同时包含两个中心。",
        f"Centre {centre.code} may not receive matter {matter.implementation_code} on behalf of centre "
        f"{handling_centre.code}: "
        "no cross-region scope of the matter covers both centres.", code="not_on_behalf", field="handling_centre")


def issue_centre_check(*, case, actor) -> None:
    """A case received on behalf of another centre is handed over (or posted) by the receiving centre."""
    if actor is None or case.centre_id == case.handling_centre_id:
        return
    if getattr(actor, "centre_id", None) not in (case.centre_id,):
        raise PermissionDeniedError(
            f"本件由“{case.centre.name}”异地代收，结果由收件中心出件或邮寄。",
            "A case received on behalf of another centre is issued by the receiving centre.", code="issue_centre")

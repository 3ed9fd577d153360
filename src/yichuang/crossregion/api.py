"""REST routes for cross-region receiving under /api/v1/regions."""

from __future__ import annotations

import datetime as dt

from ninja import Router

from yichuang.accounts.auth import api_auth
from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre
from yichuang.core.errors import NotFound, PermissionDeniedError

from . import selectors
from .models import Region

router = Router(tags=["regions 跨域通办"])


@router.get("/", summary="通办区域 Regions")
def region_list(request):
    return [{"code": r.code, "name": r.name, "scope": r.scope, "scope_label": r.get_scope_display(),
             "centres": [c.code for c in r.centres.all()], "matters": [m.implementation_code for m in r.matters.all()]}
            for r in Region.objects.filter(is_active=True).prefetch_related("centres", "matters")]


@router.get("/stats", auth=api_auth, summary="代收/代办统计 On-behalf figures of a centre")
def stats(request, centre: str = "", since: dt.date | None = None, until: dt.date | None = None):
    user = request.auth
    if user.role == Role.APPLICANT:
        raise PermissionDeniedError("您无权查看统计。", "You may not view statistics.")
    target = Centre.objects.filter(code=centre).first() if centre else user.centre
    if target is None:
        raise NotFound("中心不存在。", "No such centre.", field="centre")
    if user.role not in (Role.SUPERVISOR, Role.ADMIN) and target.pk != user.centre_id:
        raise PermissionDeniedError("只能查看本中心的统计。", "You may view your own centre's figures only.")
    return selectors.centre_on_behalf_stats(centre=target, since=since, until=until)

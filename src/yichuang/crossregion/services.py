"""Writes for regions (通办区域)."""

from __future__ import annotations

from django.db import transaction

from yichuang.accounts.models import Centre
from yichuang.audit.services import audit_record
from yichuang.catalog.models import Matter
from yichuang.core.errors import ValidationFailed

from .constants import RegionScope
from .models import Region


@transaction.atomic
def region_save(*, code: str, name: str, scope: str = RegionScope.PROVINCE, centres: list[str] = (),
                matters: list[str] = (), actor=None) -> Region:
    """Create or update a region with its member centres (division codes) and matters (implementation codes)."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationFailed("区域编码和名称不能为空。", "Region code and name are required.", field="code")
    if scope not in RegionScope.values:
        raise ValidationFailed("通办范围应为全市通办、全省通办或跨省通办。", "Unknown scope.", field="scope")
    found = {c.code: c for c in Centre.objects.filter(code__in=list(centres))}
    unknown = [c for c in centres if c not in found]
    if unknown:
        raise ValidationFailed(f"未知中心：{'、'.join(unknown)}。", f"Unknown centres {unknown}.", field="centres")
    mfound = {m.implementation_code: m for m in Matter.objects.filter(implementation_code__in=list(matters))}
    munknown = [m for m in matters if m not in mfound]
    if munknown:
        raise ValidationFailed(f"未知事项：{'、'.join(munknown)}。", f"Unknown matters {munknown}.", field="matters")
    region, _ = Region.objects.update_or_create(code=code, defaults={"name": name, "scope": scope})
    region.centres.set(found.values())
    region.matters.set(mfound.values())
    audit_record(actor=actor, action="region.save", obj=region,
                 after={"code": code, "name": name, "scope": scope, "centres": sorted(found), "matters": sorted(mfound)})
    return region

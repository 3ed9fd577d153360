"""Reads of the e-licence library: what an applicant holds, staff search, public verification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from yichuang.core.errors import NotFound, PermissionDeniedError
from yichuang.core.validators import mask_id_number

from .constants import HolderKind, LicenceStatus
from .models import ELicence


def _valid_q(today: dt.date) -> Q:
    return (Q(status=LicenceStatus.ACTIVE) & Q(valid_from__lte=today)
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=today)))


def licence_types_held(*, identifier: str, today: dt.date | None = None) -> frozenset[str]:
    """Codes of the licence types the holder has a valid licence of today (active, inside its validity).
    Suspended, revoked and expired licences satisfy nothing."""
    identifier = (identifier or "").strip().upper()
    if not identifier:
        return frozenset()
    return frozenset(ELicence.objects.filter(_valid_q(today or timezone.localdate()), holder_identifier=identifier)
                     .values_list("licence_type__code", flat=True))


def licence_current(*, identifier: str, type_code: str, today: dt.date | None = None) -> ELicence | None:
    """The holder's valid licence of a type (the newest if several)."""
    today = today or timezone.localdate()
    return (ELicence.objects.select_related("licence_type")
            .filter(_valid_q(today), holder_identifier=(identifier or "").strip().upper(),
                    licence_type__code=type_code).order_by("-issued_at", "-id").first())


def effective_status(lic: ELicence, today: dt.date | None = None) -> str:
    """The status as of today: an active licence past its end date counts as expired even before the job ran."""
    today = today or timezone.localdate()
    if lic.status == LicenceStatus.ACTIVE and lic.valid_to is not None and lic.valid_to < today:
        return LicenceStatus.EXPIRED
    return lic.status


def mask_identifier(lic: ELicence) -> str:
    """A person's ID number is masked; an organisation's credit code is public (it is printed on the licence)."""
    return mask_id_number(lic.holder_identifier) if lic.holder_kind == HolderKind.PERSON else lic.holder_identifier


def licence_row(lic: ELicence, today: dt.date | None = None) -> dict[str, Any]:
    status = effective_status(lic, today)
    return {
        "number": lic.number, "type_code": lic.licence_type.code, "type_name": lic.licence_type.name,
        "holder_kind": lic.holder_kind, "holder_name": lic.holder_name, "holder_identifier": mask_identifier(lic),
        "issuer": lic.issuer_name, "valid_from": lic.valid_from, "valid_to": lic.valid_to, "status": status,
        "status_label": LicenceStatus(status).label, "valid": status == LicenceStatus.ACTIVE,
        "source_case": lic.source_case.number if lic.source_case_id else None, "issued_at": lic.issued_at,
    }


def staff_check(*, user) -> None:
    if user is None or not user.is_authenticated or user.role == "applicant":
        raise PermissionDeniedError("只有工作人员可以查询电子证照库。", "Only staff may search the e-licence library.")


SEARCH_MAX = 200


def licence_search(*, user, q: str = "", type_code: str = "", status: str = "", limit: int = 50,
                   offset: int = 0) -> list[dict[str, Any]]:
    """Staff search by number, holder name or full identifier; filter by type and status; newest first."""
    staff_check(user=user)
    limit = max(1, min(int(limit), SEARCH_MAX))
    offset = max(0, int(offset))
    qs = ELicence.objects.select_related("licence_type", "source_case")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(holder_name__icontains=q) | Q(holder_identifier=q.upper()))
    if type_code:
        qs = qs.filter(licence_type__code=type_code)
    if status == LicenceStatus.EXPIRED:
        today = timezone.localdate()
        qs = qs.filter(Q(status=LicenceStatus.EXPIRED) | Q(status=LicenceStatus.ACTIVE, valid_to__lt=today))
    elif status == LicenceStatus.ACTIVE:
        qs = qs.filter(_valid_q(timezone.localdate()))
    elif status:
        qs = qs.filter(status=status)
    return [licence_row(lic) for lic in qs.order_by("-issued_at", "-id")[offset:offset + limit]]


def licence_get(*, number: str) -> ELicence:
    lic = (ELicence.objects.select_related("licence_type", "source_case", "issuer")
           .filter(number=(number or "").strip()).first())
    if lic is None:
        raise NotFound("电子证照不存在。", "No such e-licence.")
    return lic


def licence_get_for(*, user, number: str) -> ELicence:
    staff_check(user=user)
    return licence_get(number=number)


def licence_detail(*, licence: ELicence) -> dict[str, Any]:
    return {
        **licence_row(licence), "status_reason": licence.status_reason, "renewals": licence.renewals,
        "data": licence.data,
        "uses": [{"case": u.case_material.case.number, "material": u.case_material.name, "at": u.at}
                 for u in licence.uses.select_related("case_material__case").order_by("-at")[:100]],
    }


def licence_verify(*, number: str, holder_name: str, today: dt.date | None = None) -> dict[str, Any]:
    """公开核验: licence number + holder name. The same NotFound for an unknown number and a wrong name."""
    number, holder_name = (number or "").strip(), (holder_name or "").strip()
    lic = ELicence.objects.select_related("licence_type").filter(number=number).first() if number else None
    if lic is None or not holder_name or lic.holder_name != holder_name:
        raise NotFound("未找到该证照，请核对证照编号和持证主体名称。",
                       "No licence found; check the licence number and the holder's name.")
    row = licence_row(lic, today)
    row.pop("source_case", None)
    return row

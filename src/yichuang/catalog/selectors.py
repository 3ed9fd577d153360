from __future__ import annotations

from django.db.models import Q

from yichuang.core.errors import NotFound

from .models import Matter, MatterVersion


def matter_get(*, code: str) -> Matter:
    matter = Matter.objects.select_related("department", "domain").filter(implementation_code=code).first()
    if matter is None:
        raise NotFound(f"未找到事项“{code}”。", f"No matter with code {code!r}.")
    return matter


def matter_current_version(*, matter: Matter) -> MatterVersion:
    version = matter.versions.order_by("-number").first()
    if version is None:
        raise NotFound(f"事项“{matter.name}”尚未发布。", f"Matter {matter.name!r} has no published version.")
    return version


def matter_search(*, query: str, limit: int = 20) -> list[Matter]:
    """Placeholder: substring search. Replaced by the ranked Chinese/pinyin search."""
    q = (query or "").strip()
    qs = Matter.objects.filter(is_active=True, negative_list=False).select_related("department", "domain")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(search_text__icontains=q))
    return list(qs[:limit])

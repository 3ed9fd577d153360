from __future__ import annotations

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


def matter_search(*, query: str, limit: int = 20, department: str | None = None,
                  domain: str | None = None) -> list[Matter]:
    """Ranked search by Chinese words, full pinyin or initials (see catalog.search)."""
    from .search import matter_search_ranked

    return [h.matter for h in matter_search_ranked(query=query, limit=limit, department=department, domain=domain)]

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_noop

from yichuang.core.errors import NotFound, ValidationFailed

from .constants import ServiceObject, Theme
from .models import Matter, MatterVersion
from .search import matter_search_ranked


def matter_get(*, code: str) -> Matter:
    matter = Matter.objects.select_related("department", "department__centre", "domain").filter(
        implementation_code=code).first()
    if matter is None:
        raise NotFound(f"未找到事项“{code}”。", f"No matter with code {code!r}.")
    return matter


def matter_current_version(*, matter: Matter) -> MatterVersion:
    version = matter.versions.order_by("-number").first()
    if version is None:
        raise NotFound(f"事项“{matter.name}”尚未发布。", "The matter has no published version yet.")
    return version


def _choice(value: str | None, choices, label: str, field: str) -> str | None:
    """A filter value given as a code or its Chinese label; an unknown one is a clear 400, not an empty list."""
    if value in (None, ""):
        return None
    value = str(value).strip()
    if value in choices.values:
        return value
    by_label = {text: code for code, text in choices.choices}
    if value in by_label:
        return by_label[value]
    raise ValidationFailed(f"未知{label}“{value}”，应为：{'、'.join(f'{c}（{t}）' for c, t in choices.choices)}。",
                           f"Unknown {field}; allowed: {', '.join(choices.values)}.", field=field)


def audience_code(value: str | None) -> str | None:
    return _choice(value, ServiceObject, "服务对象", "audience")


def theme_code(value: str | None) -> str | None:
    return _choice(value, Theme, "主题", "theme")


def matter_search(*, query: str, limit: int = 20, department: str | None = None, domain: str | None = None,
                  audience: str | None = None, theme: str | None = None, offset: int = 0,
                  with_negative_list: bool = False) -> list[Matter]:
    """Ranked search by Chinese words, full pinyin or initials (see catalog.search); with an empty query, the
    published catalogue in code order (``offset`` pages through it). ``audience`` 个人/法人 and ``theme`` take
    a code or the Chinese label. ``with_negative_list``: the catalogue's own pages and API list every published
    matter, the 负面清单 included; pickers of matters handled here (the default) leave it out."""
    return [h.matter for h in matter_search_ranked(
        query=query, limit=limit, department=department, domain=domain, audience=audience_code(audience),
        theme=theme_code(theme), offset=offset, with_negative_list=with_negative_list)]


def published_matters():
    """Every matter an applicant can open: active, with a published version (the negative list included)."""
    return Matter.objects.filter(Exists(MatterVersion.objects.filter(matter=OuterRef("pk"))), is_active=True)


@dataclass
class Facet:
    code: str
    label: str
    count: int


def catalogue_facets() -> dict[str, list[Facet]]:
    """The browse links of the catalogue page: 个人/法人, themes and departments, each with its matter count."""
    rows = list(published_matters().select_related("department").only(
        "service_objects", "themes", "department__code", "department__name", "department__short_name"))
    objs, themes, depts, names, order = Counter(), Counter(), Counter(), {}, {}
    for m in rows:
        objs.update(set(m.service_objects or []))
        themes.update(set(m.themes or []))
        depts[m.department.code] += 1
        names[m.department.code] = m.department.name
        order[m.department.code] = m.department_id  # the order the centre set its departments up in
    return {
        "audience": [Facet(c, t, objs[c]) for c, t in ServiceObject.choices if objs[c]],
        "theme": [Facet(c, t, themes[c]) for c, t in Theme.choices if themes[c]],
        "department": [Facet(c, names[c], depts[c]) for c in sorted(depts, key=order.get)],
        "total": len(rows),
    }


@dataclass
class GuideElement:
    key: str
    label: str
    value: str
    default: bool  # taken from the centre, not set on the matter


def matter_guide_elements(*, matter: Matter, snapshot: dict) -> list[GuideElement]:
    """国家政务服务事项办事指南要素 shown on the guide: 办理地点, 办理时间, 咨询电话, 监督投诉方式, 特别程序.
    A blank place, hours or phone is the department's centre's; a blank complaint channel is the 12345 line and
    the centre's 办不成事 window; a blank special procedure is 无."""
    centre = matter.department.centre
    name = centre.name if centre else ""
    defaults = {
        "handling_place": (
            f"不在{name or '本中心'}办理，请向{matter.department.name}咨询办理地点" if snapshot.get("negative_list")
            else f"{name}（{centre.address}）" if centre and centre.address else name),
        "handling_hours": centre.opening_hours if centre else "",
        "consult_phone": centre.phone if centre else "",
        "complaint_channel": "；".join(p for p in (
            "12345政务服务便民热线",
            f"{name}“办不成事”反映窗口" if name else "",
            f"中心电话 {centre.phone}" if centre and centre.phone else "") if p),
        "special_procedures": "无",
    }
    # Marked for makemessages: the guide translates each label in the page's language ({% trans e.label %}).
    labels = (("handling_place", gettext_noop("办理地点")), ("handling_hours", gettext_noop("办理时间")),
              ("consult_phone", gettext_noop("咨询电话")), ("complaint_channel", gettext_noop("监督投诉方式")),
              ("special_procedures", gettext_noop("特别程序")))
    out = []
    for key, label in labels:
        own = (snapshot.get(key) or "").strip()
        out.append(GuideElement(key, label, own or defaults[key], not own))
    return out

"""The demo hall: pooled comprehensive windows, an issuance window and a help desk, with clerks' skills."""

from __future__ import annotations

from yichuang.accounts.models import Centre, User
from yichuang.catalog.models import WindowDomain
from yichuang.hall import services as hall
from yichuang.hall.constants import WindowType
from yichuang.hall.models import Window

# (number, area, type, domain codes for non-general windows)
WINDOWS = [
    ("1", "综合受理区", WindowType.GENERAL, []),
    ("2", "综合受理区", WindowType.GENERAL, []),
    ("3", "综合受理区", WindowType.GENERAL, []),
    ("4", "综合受理区", WindowType.GENERAL, []),
    ("5", "企业服务区", WindowType.DOMAIN, ["enterprise", "construction", "tax"]),
    ("6", "不动产登记区", WindowType.DOMAIN, ["realestate"]),
    ("7", "统一出件区", WindowType.ISSUANCE, ["issuance"]),
    ("8", "帮办代办区", WindowType.ASSIST, ["social", "police", "insurance"]),
]
# username -> (domain codes or "*" for all, level)
SKILLS = {
    "clerk": ("*", "senior"),
    "clerk2": (["social", "police", "insurance", "fund"], "intermediate"),
    "issuer": (["issuance"], "intermediate"),
    "guide": (["social", "police", "insurance"], "junior"),
}


def hall_demo_load(*, centre: Centre) -> int:
    domains = {d.code: d for d in WindowDomain.objects.all()}
    made = 0
    for number, area, wtype, codes in WINDOWS:
        if Window.objects.filter(centre=centre, number=number).exists():
            continue
        hall.window_create(actor=None, centre=centre, number=number, window_type=wtype, area=area,
                           domains=[domains[c] for c in codes if c in domains])
        made += 1
    for username, (codes, level) in SKILLS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        chosen = list(domains.values()) if codes == "*" else [domains[c] for c in codes if c in domains]
        hall.skill_set(user=user, domains=chosen, level=level)
    return made

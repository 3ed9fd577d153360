"""The demo hall: pooled comprehensive windows, domain windows, an issuance window, a help desk and the 办不成事
反映窗口, with clerks' skills; the staffed windows open with their clerks signed in, so the kiosk issues a number
on a fresh demo at once (a clerk signs out and in again at 叫号台)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yichuang.accounts.models import Centre, User
from yichuang.catalog.models import WindowDomain
from yichuang.hall import services as hall
from yichuang.hall.constants import WindowType
from yichuang.hall.models import AppointmentSlot, Window
from yichuang.workcal.workdays import add_workdays

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
    # 办不成事反映窗口: where an applicant goes when a matter could not be done elsewhere; it hears every domain.
    ("9", "办不成事反映窗口", WindowType.ESCALATION, ["social", "enterprise", "realestate", "police", "tax", "fund",
                                                  "insurance", "construction"]),
]
# Who is signed in at which window when the demo opens (username -> window number).
SIGNED_IN = {"clerk": "1", "clerk2": "2", "issuer": "7", "guide": "8"}
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
    _sign_in(centre=centre)
    _slots(centre=centre, domains=domains)
    return made


def _sign_in(*, centre: Centre) -> None:
    """The staffed windows open as their clerks would open them (the same service, audited as theirs)."""
    for username, number in SIGNED_IN.items():
        user = User.objects.filter(username=username).first()
        window = Window.objects.filter(centre=centre, number=number).first()
        if user is None or window is None or window.clerk_id or Window.objects.filter(clerk=user).exists():
            continue
        hall.clerk_sign_in(window=window, clerk=user)


def _slots(*, centre: Centre, domains: dict) -> None:
    """Appointment slots for the next five working days, 9:00–11:30 and 14:00–16:30 in half hours."""
    day = timezone.localdate()
    for n in range(1, 6):
        date = add_workdays(day, n).value
        for code in ("social", "enterprise", "realestate"):
            domain = domains.get(code)
            if domain is None:
                continue
            for hour, minute in [(h, m) for h in (9, 10, 11, 14, 15, 16) for m in (0, 30)]:
                if hour in (11, 16) and minute == 30:
                    continue
                start = dt.time(hour, minute)
                if AppointmentSlot.objects.filter(centre=centre, domain=domain, date=date, start=start).exists():
                    continue
                end = (dt.datetime.combine(date, start) + dt.timedelta(minutes=30)).time()
                hall.slot_create(centre=centre, domain=domain, date=date, start=start, end=end, capacity=4)

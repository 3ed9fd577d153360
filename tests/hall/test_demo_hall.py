"""The demo hall opens as a hall opens in the morning: staffed windows signed in (so the kiosk issues a number on a
fresh demo at once), a 办不成事 反映窗口, appointment slots."""

from yichuang.accounts.services import centre_create, user_create
from yichuang.catalog.services import domain_save
from yichuang.demo import org
from yichuang.demo.hall import SIGNED_IN, hall_demo_load
from yichuang.hall.constants import WindowState, WindowType
from yichuang.hall.models import AppointmentSlot, Ticket, Window


def _world():
    centre = centre_create(code="500107", name="九龙坡区政务服务中心", level="county")
    for i, (code, name, prefix) in enumerate(org.DOMAINS):
        domain_save(code=code, name=name, ticket_prefix=prefix, order=i + 1)
    for username, role in [("clerk", "clerk"), ("clerk2", "clerk"), ("issuer", "issuer"), ("guide", "guide")]:
        user_create(username=username, password="pw-123456789", role=role, centre=centre)
    return centre


def test_the_demo_hall_opens_with_its_clerks_and_a_complaints_window(db, client):
    centre = _world()
    hall_demo_load(centre=centre)
    windows = {w.number: w for w in Window.objects.filter(centre=centre).select_related("clerk")}
    for username, number in SIGNED_IN.items():
        assert windows[number].state == WindowState.OPEN and windows[number].clerk.username == username
    escalation = [w for w in windows.values() if w.window_type == WindowType.ESCALATION]
    assert len(escalation) == 1 and "办不成事" in escalation[0].area
    assert AppointmentSlot.objects.filter(centre=centre).exists()
    # a second load (demo run again) changes nothing and does not fail
    hall_demo_load(centre=centre)
    assert Window.objects.filter(centre=centre, state=WindowState.OPEN).count() == len(SIGNED_IN)

    html = client.get("/hall/kiosk/500107/").content.decode()
    assert "窗口尚未开放" not in html
    for code in ("social", "enterprise", "realestate", "police", "tax", "fund", "insurance", "construction"):
        r = client.post("/hall/kiosk/500107/", {"domain": Ticket._meta.get_field("domain").related_model
                                                .objects.get(code=code).pk})
        assert r.status_code == 302, (code, r.content.decode()[:2000])
    assert Ticket.objects.filter(centre=centre).count() == 8

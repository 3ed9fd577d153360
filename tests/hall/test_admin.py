"""The hall in Django's admin: the set-up may be edited (and each change is audited); what the services own —
a window's state and clerk, tickets, their events, appointments — can only be looked at."""

import pytest
from django.test import Client

from yichuang.accounts.models import User
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.hall import services
from yichuang.hall.models import ClerkSkill, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(hall):
    boss = User.objects.create(username="boss", role="admin", centre=hall.centre, display_name="管理员",
                               is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(boss)
    return client


def test_a_window_edit_keeps_state_and_clerk_and_is_audited(hall, admin_client):
    clerk = hall.clerk(domains=[hall.a])
    w = hall.window(number="7", domains=[hall.a], clerk_user=clerk)
    assert w.state == "open"
    r = admin_client.post(f"/admin/hall/window/{w.pk}/change/", {
        "centre": hall.centre.pk, "number": "7", "area": "二楼东区", "window_type": "general",
        "domains": [hall.a.pk], "department": "", "state": "closed", "clerk": "",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    w.refresh_from_db()
    assert w.area == "二楼东区"
    assert (w.state, w.clerk_id) == ("open", clerk.pk)  # sign-out and pause own these
    event = AuditEvent.objects.filter(action="hall.admin_change").get()
    assert event.after == {"area": "二楼东区"} and event.actor_id is not None
    assert audit_verify()[0]


def test_skills_edited_in_the_admin_are_audited(hall, admin_client):
    clerk = hall.clerk(domains=[hall.a])
    skill = ClerkSkill.objects.get(user=clerk)
    r = admin_client.post(f"/admin/hall/clerkskill/{skill.pk}/change/", {
        "user": clerk.pk, "domains": [hall.a.pk, hall.b.pk], "matters": [], "level": "senior"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert set(skill.domains.values_list("code", flat=True)) == {"social", "business"}
    event = AuditEvent.objects.filter(action="hall.admin_change").get()
    assert event.after["level"] == "senior" and sorted(event.after["domains"]) == sorted([str(hall.a), str(hall.b)])


def test_tickets_and_appointments_are_view_only(hall, admin_client):
    hall.window(domains=[hall.a], clerk_user=hall.clerk(domains=[hall.a]))
    ticket = services.ticket_issue(centre=hall.centre, domain=hall.a)
    assert admin_client.get(f"/admin/hall/ticket/{ticket.pk}/change/").status_code == 200  # may look
    r = admin_client.post(f"/admin/hall/ticket/{ticket.pk}/change/", {"state": "done"})
    assert r.status_code == 403
    assert admin_client.get("/admin/hall/ticket/add/").status_code == 403
    assert admin_client.post(f"/admin/hall/ticket/{ticket.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).state == "waiting"
    assert admin_client.get("/admin/hall/appointment/add/").status_code == 403

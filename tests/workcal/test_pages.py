import pytest

from yichuang.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_page_requires_login(client):
    r = client.get("/calendar/2026/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_staff_sees_the_year_read_only(client, clerk_user):
    client.force_login(clerk_user)
    r = client.get("/calendar/2026/")
    html = r.content.decode()
    assert r.status_code == 200 and "工作日历" in html and "调休上班" in html
    assert 'data-date="2026-10-10"' in html and "k-adjusted_workday" in html
    assert "<button class=\"day" not in html
    assert client.post("/calendar/2026/", {"date": "2026-03-03"}).status_code == 403
    r = client.get("/calendar/2031/")
    assert "推算" in r.content.decode()


def test_admin_toggles_a_day(client, admin_user):
    client.force_login(admin_user)
    assert "<button class=\"day" in client.get("/calendar/").content.decode()
    r = client.post("/calendar/2026/", {"date": "2026-03-03", "name": "临时闭馆"})
    assert r.status_code == 302 and r["Location"].endswith("/calendar/2026/")
    assert CalendarDay.objects.get(date="2026-03-03").name == "临时闭馆"
    client.post("/calendar/2026/", {"date": "2026-03-03"})
    assert CalendarDay.objects.get(date="2026-03-03").is_workday
    assert client.post("/calendar/2026/", {"date": "nope"}).status_code == 400


def test_django_admin_edits_go_through_the_service(client):
    from yichuang.accounts.services import user_create
    from yichuang.audit.models import AuditEvent

    root = user_create(username="root", password="pw-Root-123", role="admin", is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/workcal/calendarday/?q=2026-10").status_code == 200
    assert client.get("/admin/workcal/calendaryear/").status_code == 200
    day = CalendarDay.objects.get(date="2026-03-03")
    r = client.post(f"/admin/workcal/calendarday/{day.pk}/change/",
                    {"is_workday": "", "kind": "holiday", "name": "临时闭馆"})
    assert r.status_code == 302
    assert CalendarDay.objects.get(date="2026-03-03").kind == "holiday"
    assert AuditEvent.objects.filter(action="calendar.day.set", actor_id=root.pk).exists()

"""Supervisors (效能监察) read and never write (issue 21, finding 8): every write a supervisor could reach from a page
or the API is refused in its service with a 403 {code, message, message_en}; the others' writes end at their
centre's jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.conftest import receive
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.core.errors import PermissionDeniedError
from yichuang.feedback import services as fb
from yichuang.feedback.models import Complaint
from yichuang.supervision import services as sv
from yichuang.supervision.models import DepartmentLead, DoorBooking


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {acc.token_issue(username=user.username, password='secret-pass-1')[1]}"}


def _complaint(world):
    return fb.complaint_open(actor=world.clerk, centre=world.centre, kind="complaint", channel="window",
                             content="窗口让我跑了三次", case_number=receive(world).number)


def _zone(world):
    zone = sv.zone_save(actor=None, centre=world.centre, name="石桥铺片区", days=list(range(1, 32)),
                        matters=[world.matter])
    return zone, timezone.localdate() + dt.timedelta(days=1)


def _forbidden(r, code="role"):
    assert r.status_code == 403, r.content
    body = r.json()
    assert body["code"] == code and body["message"] and body["message_en"]


# ---------------------------------------------------------------- 办不成事 / complaints


def test_supervisor_may_not_resolve_or_open_a_complaint(world):
    c = _complaint(world)
    with pytest.raises(PermissionDeniedError) as exc:
        fb.complaint_resolve(complaint=c, actor=world.supervisor, resolution="已协调")
    assert exc.value.code == "role" and exc.value.message_en
    with pytest.raises(PermissionDeniedError):
        fb.complaint_open(actor=world.supervisor, centre=world.centre, kind="consult", channel="hotline",
                          content="咨询")
    c.refresh_from_db()
    assert c.state == "open" and Complaint.objects.count() == 1


def test_supervisor_resolving_a_complaint_refused_page_and_api(client, world):
    c = _complaint(world)
    client.force_login(world.supervisor)
    client.post(f"/supervision/complaints/{c.number}/", {"resolution": "已协调办结"})
    c.refresh_from_db()
    assert c.state == "open"
    r = client.post(f"/api/v1/supervision/complaints/{c.number}/resolve", {"resolution": "ok"},
                    content_type="application/json", **_bearer(world.supervisor))
    _forbidden(r)
    c.refresh_from_db()
    assert c.state == "open"


def test_complaint_writes_end_at_the_centre(world):
    c = _complaint(world)
    far_guide = acc.user_create(username="far_guide", password="secret-pass-1", role=Role.GUIDE,
                                centre=world.other_centre)
    with pytest.raises(PermissionDeniedError) as exc:
        fb.complaint_resolve(complaint=c, actor=far_guide, resolution="x")
    assert exc.value.code == "jurisdiction"
    with pytest.raises(PermissionDeniedError):
        fb.complaint_open(actor=far_guide, centre=world.centre, kind="consult", channel="hotline", content="咨询")
    guide = acc.user_create(username="guide", password="secret-pass-1", role=Role.GUIDE, centre=world.centre)
    assert fb.complaint_resolve(complaint=c, actor=guide, resolution="已协调办结").state == "resolved"


# ---------------------------------------------------------------- 入户直通车 / door visits


def test_supervisor_may_not_book_or_serve_door_visits(world):
    zone, day = _zone(world)
    with pytest.raises(PermissionDeniedError) as exc:
        sv.door_book(actor=world.supervisor, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    assert exc.value.code == "role"
    b = sv.door_book(actor=world.clerk, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    with pytest.raises(PermissionDeniedError):
        sv.door_done(booking=b, actor=world.supervisor)
    with pytest.raises(PermissionDeniedError):
        sv.door_done(booking=b, actor=world.applicant)
    with pytest.raises(PermissionDeniedError):
        sv.zone_save(actor=world.supervisor, centre=world.centre, name="新片区", days=[1])
    with pytest.raises(PermissionDeniedError):
        sv.department_lead_set(department=world.dept, user=world.approver, actor=world.supervisor)
    assert not DepartmentLead.objects.exists()
    assert sv.door_done(booking=b, actor=world.clerk).state == "done"


def test_supervisor_booking_a_door_visit_refused_page_and_api(client, world):
    zone, day = _zone(world)
    client.force_login(world.supervisor)
    assert 'data-testid="door-form"' not in client.get("/supervision/door/").content.decode()
    r = client.post("/supervision/door/", {"zone": zone.pk, "matter": world.matter.pk, "date": day.isoformat(),
                                           "name": "王大爷", "phone": "13800000000", "address": "石桥铺1号"})
    assert r.status_code == 403 and "效能监察只查看" in r.content.decode()
    r = client.post("/api/v1/supervision/door-bookings",
                    {"zone_id": zone.pk, "date": day.isoformat(), "name": "王大爷", "phone": "13800000000",
                     "address": "石桥铺1号", "matter_code": world.matter.implementation_code},
                    content_type="application/json", **_bearer(world.supervisor))
    _forbidden(r)
    assert not DoorBooking.objects.exists()
    assert client.get("/api/v1/supervision/door-route", {"date": day.isoformat()},
                      **_bearer(world.supervisor)).status_code == 200  # reading stays


def test_door_writes_end_at_the_centre(client, world):
    zone, day = _zone(world)
    far_clerk = acc.user_create(username="far_clerk", password="secret-pass-1", role=Role.CLERK,
                                centre=world.other_centre)
    with pytest.raises(PermissionDeniedError) as exc:
        sv.door_book(actor=far_clerk, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    assert exc.value.code == "jurisdiction"
    b = sv.door_book(actor=world.clerk, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    client.force_login(far_clerk)
    client.post(f"/supervision/door/{b.pk}/done/", {"case_number": ""})
    b.refresh_from_db()
    assert b.state == "booked"

"""Supervision pages and API through the test client (feedback's pages under the same prefix: tests/feedback)."""

import datetime as dt

from django.core.management import call_command

from tests.supervision.test_kpi import D, build
from yichuang.accounts.services import token_issue
from yichuang.supervision import services as sv


def test_desk_and_kpi_pages_for_supervisors_only(client, world):
    build(world)
    client.force_login(world.supervisor)
    assert "效能监察" in client.get("/supervision/").content.decode()
    body = client.get("/supervision/kpi/", {"start": D.isoformat(), "end": (D + dt.timedelta(20)).isoformat()}
                      ).content.decode()
    assert "chart-hour" in body and '"wait_mean": 15.0' in body
    x = client.get("/supervision/kpi/", {"start": D.isoformat(), "format": "xlsx"})
    assert x["Content-Type"].startswith("application/vnd.openxmlformats") and x.content[:2] == b"PK"
    assert "日期格式" in client.get("/supervision/kpi/", {"start": "bad"}, follow=True).content.decode()
    for user in (world.approver, world.clerk, world.applicant):
        client.force_login(user)
        assert client.get("/supervision/").status_code == 403
        assert client.get("/supervision/kpi/").status_code == 403


def test_door_pages(client, world):
    zone = sv.zone_save(actor=None, centre=world.centre, name="石桥铺片区", days=[7, 15, 21, 28],
                        matters=[world.matter])
    day = sv.zone_next_days(zone=zone, start=dt.date.today() + dt.timedelta(1), count=1)[0]
    client.force_login(world.clerk)
    r = client.post("/supervision/door/", {"zone": zone.pk, "matter": world.matter.pk, "date": day.isoformat(),
                                           "name": "王大爷", "phone": "13800000000", "address": "石桥铺1号"})
    assert r.status_code == 302
    assert "石桥铺1号" in client.get(r["Location"]).content.decode()
    body = client.post("/supervision/door/", {"zone": zone.pk, "matter": world.matter.pk,
                                              "date": (day + dt.timedelta(1)).isoformat(), "name": "x",
                                              "phone": "1", "address": "y"}).content.decode()
    assert "上门服务日" in body


def test_api(client, world):
    build(world)
    sup = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='super', password='secret-pass-1')[1]}"}
    appr = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='approver', password='secret-pass-1')[1]}"}
    k = client.get("/api/v1/supervision/kpi", {"start": D.isoformat(), "end": (D + dt.timedelta(20)).isoformat()},
                   **sup).json()
    assert k["wait_mean"] == 15.0
    assert client.get("/api/v1/supervision/kpi", **appr).status_code == 403
    assert isinstance(client.get("/api/v1/supervision/inbox", **appr).json(), list)


def test_tick_command(world, capsys):
    call_command("tick", "--date", "2026-11-02")
    assert "lights" in capsys.readouterr().out

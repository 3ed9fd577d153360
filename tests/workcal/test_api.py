"""/api/v1/calendar"""

import pytest

from yichuang.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db
BASE = "/api/v1/calendar"


def test_add_and_between(client):
    assert client.get(f"{BASE}/workdays/add", {"date": "2026-09-24", "n": 5}).json() == {
        "date": "2026-10-09", "provisional": False}
    assert client.get(f"{BASE}/workdays/add", {"date": "2030-09-24", "n": 5}).json() == {
        "date": "2030-10-04", "provisional": True}
    assert client.get(f"{BASE}/workdays/between", {"start": "2026-09-24", "end": "2026-10-09"}).json() == {
        "days": 5, "provisional": False}


def test_bad_input_is_4xx_in_chinese(client):
    r = client.get(f"{BASE}/workdays/add", {"date": "2026-02-30", "n": 1})
    assert r.status_code == 422 and "date" in r.json()["message"]
    r = client.get(f"{BASE}/workdays/add", {"date": "2099-12-01", "n": 400})
    assert r.status_code == 400 and "范围" in r.json()["message"]
    assert client.get(f"{BASE}/workdays/add", {"date": "2026-01-01", "n": 10**9}).status_code == 400
    assert client.get(f"{BASE}/years/1800").status_code == 400


def test_year_days(client):
    body = client.get(f"{BASE}/years/2026").json()
    assert body["source"] == "official" and body["provisional"] is False and len(body["days"]) == 365
    oct10 = next(d for d in body["days"] if d["date"] == "2026-10-10")
    assert oct10 == {"date": "2026-10-10", "is_workday": True, "kind": "adjusted_workday",
                     "kind_label": "调休上班", "name": "国庆节"}
    body = client.get(f"{BASE}/years/2030").json()
    assert body["provisional"] is True and body["source"] == "provisional"
    assert any(y["year"] == 2026 for y in client.get(f"{BASE}/years").json())


def test_edit_day_admin_only(client, admin_user, clerk_user):
    url = f"{BASE}/days/2026-03-03"
    payload = {"is_workday": False, "name": "临时闭馆"}
    assert client.put(url, payload, content_type="application/json").status_code == 401
    client.force_login(clerk_user)
    r = client.put(url, payload, content_type="application/json")
    assert r.status_code == 403 and "管理员" in r.json()["message"]
    client.force_login(admin_user)
    r = client.put(url, payload, content_type="application/json")
    assert r.status_code == 200 and r.json()["kind"] == "holiday"
    assert CalendarDay.objects.get(date="2026-03-03").is_workday is False
    assert client.get(f"{BASE}/workdays/add", {"date": "2026-03-02", "n": 1}).json()["date"] == "2026-03-04"
    bad = client.put(url, {"is_workday": True, "kind": "holiday"}, content_type="application/json")
    assert bad.status_code == 400


def test_import_upload(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    f = SimpleUploadedFile("2034.csv", "日期,类型,名称\n2034-01-01,法定节假日,元旦\n".encode(), "text/csv")
    r = client.post(f"{BASE}/import", {"file": f})
    assert r.status_code == 200 and r.json() == {"year": 2034, "source": "imported", "provisional": False}
    f = SimpleUploadedFile("bad.csv", "日期,类型\nxx,法定节假日\n".encode(), "text/csv")
    r = client.post(f"{BASE}/import", {"file": f})
    assert r.status_code == 400 and r.json()["details"][0]["row"] == 2

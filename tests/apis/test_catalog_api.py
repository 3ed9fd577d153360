import pytest

from yichuang.accounts.services import user_create
from yichuang.catalog.models import MatterVersion

pytestmark = pytest.mark.usefixtures("catalogue")

from tests.catalog.conftest import catalogue  # noqa: E402,F401  (fixture)


def test_search_api(client):
    r = client.get("/api/v1/catalog/matters", {"q": "开饭店"})
    assert r.status_code == 200
    assert r.json()[0]["name"] == "食品经营许可"
    assert client.get("/api/v1/catalog/matters", {"q": "sfz"}).json()[0]["department_code"] == "GA"


def test_detail_and_checklist_change_with_answers(client):
    d = client.get("/api/v1/catalog/matters/SCJ-001").json()
    assert d["version"] == 1 and [s["code"] for s in d["situations"]] == ["apply_type", "agent"]
    url = "/api/v1/catalog/matters/SCJ-001/checklist"
    first = client.post(url, {"answers": {"apply_type": "first", "agent": "self"}}, content_type="application/json")
    assert first.status_code == 200 and first.json()["complete"]
    codes_first = [i["code"] for i in first.json()["items"]]
    change = client.post(url, {"answers": {"apply_type": "change", "agent": "agent"}}, content_type="application/json")
    codes_change = [i["code"] for i in change.json()["items"]]
    assert codes_first == ["form", "licence"]
    assert codes_change == ["form", "licence", "old", "poa"]


def test_bad_answer_is_a_clear_400(client):
    r = client.post("/api/v1/catalog/matters/SCJ-001/checklist", {"answers": {"apply_type": "nope"}},
                    content_type="application/json")
    assert r.status_code == 400
    assert "没有选项" in r.json()["message"] and r.json()["message_en"]


def test_unknown_matter_404(client):
    r = client.get("/api/v1/catalog/matters/NOPE")
    assert r.status_code == 404 and "未找到" in r.json()["message"]


def test_departments_domains_versions(client):
    assert {d["code"] for d in client.get("/api/v1/catalog/departments").json()} >= {"SCJ", "GA"}
    assert {d["code"] for d in client.get("/api/v1/catalog/domains").json()} == {"BIZ", "SOC"}
    assert client.get("/api/v1/catalog/matters/SCJ-001/versions").json()[0]["number"] == 1


def _token(client, username, role, **kw):
    user_create(username=username, password="pw-123456789", role=role, **kw)
    return client.post("/api/v1/auth/token", {"username": username, "password": "pw-123456789"},
                       content_type="application/json").json()["token"]


def test_import_needs_admin(client, tmp_path):
    from yichuang.catalog.excel import catalog_export_workbook

    path = tmp_path / "c.xlsx"
    catalog_export_workbook(path_or_file=str(path))
    assert client.post("/api/v1/catalog/import").status_code == 401
    clerk = _token(client, "clerk", "clerk")
    with open(path, "rb") as fh:
        r = client.post("/api/v1/catalog/import", {"file": fh}, HTTP_AUTHORIZATION=f"Bearer {clerk}")
    assert r.status_code == 403 and "管理员" in r.json()["message"]
    admin = _token(client, "boss", "admin")
    with open(path, "rb") as fh:
        r = client.post("/api/v1/catalog/import", {"file": fh, "dry_run": "true"}, HTTP_AUTHORIZATION=f"Bearer {admin}")
    assert r.status_code == 200 and r.json()["ok"], r.json()
    assert MatterVersion.objects.count() == 8


def test_import_of_a_non_workbook_is_a_clear_400(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = _token(client, "boss", "admin")
    r = client.post("/api/v1/catalog/import", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
                    HTTP_AUTHORIZATION=f"Bearer {admin}")
    assert r.status_code == 400 and r.json()["message"]

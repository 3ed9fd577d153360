"""Issue 19, receiving: 收件并流转 keeps its scans; a refused form keeps every status, note, field and scan;
select/multiselect fields are checked against their options on the page, in the service and over the API."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yichuang.accounts.services import token_issue
from yichuang.cases import services as cs
from yichuang.cases.constants import CaseState as S
from yichuang.cases.models import Case
from yichuang.catalog import services as cat
from yichuang.core.errors import ValidationFailed

from .conftest import PDF, PNG, make_id

pytestmark = pytest.mark.django_db


def _post(client, **extra):
    data = {"matter": "M-FOOD", "sit_kind": "first", "applicant_kind": "person", "applicant_name": "李四",
            "id_number": make_id(21), "contact_phone": "13800138000", "f_shop_name": "李四面馆",
            "m_app": "provided_paper", "m_id": "provided_paper", "m_lease": "provided_paper", "m_photo": "missing"}
    data.update(extra)
    return client.post("/cases/receive/", data)


def _levels(response) -> list[str]:
    return [m.level_tag for m in get_messages(response.wsgi_request)]


def _selected(body: str, code: str) -> str:
    """The option a material's select has selected in the page."""
    start = body.index(f'name="m_{code}"')
    chunk = body[start:body.index("</select>", start)]
    picked = [part.split('"')[1] for part in chunk.split("<option value=")[1:] if "selected" in part.split(">")[0]]
    assert len(picked) == 1, chunk
    return picked[0]


# ---------------------------------------------------------------- 收件并流转 keeps the scans


def test_receive_and_forward_keeps_the_attached_scans_and_shows_only_success(client, world):
    client.force_login(world.clerk)
    r = _post(client, forward="1", file_app=SimpleUploadedFile("申请书.pdf", PDF),
              file_photo=SimpleUploadedFile("门头.png", PNG))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert _levels(r) == ["success"]  # no error beside the success (the scans used to be refused after forwarding)
    case = Case.objects.get()
    assert case.state == S.FORWARDED
    mats = {m.requirement_code: m for m in case.materials.all()}
    assert mats["app"].upload and mats["app"].content_type == "application/pdf" and mats["app"].medium == "electronic"
    assert mats["photo"].upload and mats["photo"].status == "provided"  # a scan of a 缺少 item makes it provided
    assert mats["app"].upload.name.startswith(f"cases/{case.number}/")
    with mats["app"].upload.open("rb") as f:
        assert f.read() == PDF
    page = client.get(r["Location"]).content.decode()
    assert "已收件并流转后台" in page and "error-box" not in page


def test_service_receive_and_forward_with_scans_in_one_step(world):
    case = cs.case_receive(actor=world.clerk, matter_code="M-FOOD", applicant_name="张三", id_number=make_id(3),
                           answers={"kind": "first"}, form_data={"shop_name": "张三小吃"},
                           materials={"app": "provided", "id": "provided"}, forward=True,
                           uploads={"lease": PNG})  # the tolerant lease is handed in as a scan: complete
    assert case.state == S.FORWARDED
    lease = case.materials.get(requirement_code="lease")
    assert lease.status == "provided" and lease.content_type == "image/png" and lease.upload


def test_a_bad_scan_refuses_the_receipt_and_stores_nothing(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationFailed, match="只能上传PDF、JPEG或PNG"):
        cs.case_receive(actor=world.clerk, matter_code="M-FOOD", applicant_name="张三", id_number=make_id(3),
                        answers={"kind": "first"}, form_data={"shop_name": "张三小吃"},
                        materials={"app": "provided", "id": "provided", "lease": "provided"},
                        uploads={"app": b"MZ\x90\x00" + b"\x00" * 64})
    assert not Case.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_scan_for_a_material_not_on_the_checklist_is_refused(world):
    with pytest.raises(ValidationFailed, match="不在本事项的材料清单中"):
        cs.case_receive(actor=world.clerk, matter_code="M-FOOD", applicant_name="张三", id_number=make_id(3),
                        answers={"kind": "first"}, form_data={"shop_name": "张三小吃"}, uploads={"nope": PDF})


# ---------------------------------------------------------------- a refused form keeps everything


def test_a_refused_form_keeps_every_material_status_note_and_field(client, world):
    client.force_login(world.clerk)
    r = _post(client, id_number="110101198001010011", m_app="provided_electronic", m_id="incorrect",
              m_lease="missing", m_photo="provided_paper", note_id="照片模糊", note_lease="下周补交",
              agent_name="王五", contact_address="重庆市高新区科园一路1号")
    body = r.content.decode()
    assert r.status_code == 200 and "校验" in body
    assert {c: _selected(body, c) for c in ("app", "id", "lease", "photo")} == {
        "app": "provided_electronic", "id": "incorrect", "lease": "missing", "photo": "provided_paper"}
    assert 'value="照片模糊"' in body and 'value="下周补交"' in body
    assert 'value="李四"' in body and 'value="李四面馆"' in body and 'value="王五"' in body
    assert 'value="重庆市高新区科园一路1号"' in body
    assert not Case.objects.exists()
    # The refusal is told in the page's language only (no English sentence in a Chinese page).
    from tests.crawl.checks import problems

    assert [p for p in problems(body) if not p.startswith("raw code 'clerk'")] == []  # (the test clerk's login)


def test_a_fresh_form_has_the_default_statuses(client, world):
    client.force_login(world.clerk)
    body = client.get("/cases/receive/", {"matter": "M-FOOD", "sit_kind": "first"}).content.decode()
    assert _selected(body, "app") == "provided_paper" and _selected(body, "photo") == "missing"


def test_scans_of_a_refused_form_are_held_and_used_on_the_next_try(client, world):
    client.force_login(world.clerk)
    r = _post(client, id_number="110101198001010011", file_app=SimpleUploadedFile("申请书.pdf", PDF),
              file_photo=SimpleUploadedFile("门头.png", PNG))
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="held-app"' in body and "申请书.pdf" in body
    assert 'data-testid="held-note"' in body
    # the corrected form comes back without files (a browser never refills them); the held ones are used,
    # except the one the clerk chose to drop
    r = _post(client, drop_photo="1")
    assert r.status_code == 302
    case = Case.objects.get()
    mats = {m.requirement_code: m for m in case.materials.all()}
    with mats["app"].upload.open("rb") as f:
        assert f.read() == PDF
    assert not mats["photo"].upload
    assert not client.session.get("cases_holding")  # nothing left held after success


def test_a_bad_file_is_named_and_the_good_ones_are_held(client, world):
    client.force_login(world.clerk)
    r = _post(client, file_app=SimpleUploadedFile("申请书.pdf", PDF),
              file_id=SimpleUploadedFile("id.pdf", b"MZ\x90\x00" + b"\x00" * 64))
    body = r.content.decode()
    assert r.status_code == 200 and "身份证明" in body and "只能上传PDF、JPEG或PNG" in body
    assert 'data-testid="held-app"' in body and 'data-testid="held-id"' not in body
    assert not Case.objects.exists()


def test_a_fresh_visit_discards_what_was_held(client, world):
    client.force_login(world.clerk)
    _post(client, id_number="110101198001010011", file_app=SimpleUploadedFile("申请书.pdf", PDF))
    assert client.session.get("cases_holding")
    client.get("/cases/receive/", {"matter": "M-FOOD", "sit_kind": "first"})
    assert not client.session.get("cases_holding")
    assert _post(client).status_code == 302
    assert not Case.objects.get().materials.get(requirement_code="app").upload


def test_held_scans_belong_to_one_session(client, world):
    client.force_login(world.clerk)
    _post(client, id_number="110101198001010011", file_app=SimpleUploadedFile("申请书.pdf", PDF))
    other = Client()
    other.force_login(world.clerk2)
    assert _post(other).status_code == 302
    assert not Case.objects.get().materials.get(requirement_code="app").upload


def test_online_application_keeps_its_scans_after_a_refusal(client, world):
    client.force_login(world.applicant)
    data = {"sit_kind": "first", "applicant_kind": "person", "applicant_name": "张",
            "id_number": world.applicant.id_number, "f_shop_name": ""}
    r = client.post("/cases/apply/M-FOOD/", {**data, "file_app": SimpleUploadedFile("app.pdf", PDF)})
    assert r.status_code == 200 and "店铺名称" in r.content.decode() and 'data-testid="held-app"' in r.content.decode()
    r = client.post("/cases/apply/M-FOOD/", {**data, "f_shop_name": "张记"})
    assert r.status_code == 302
    assert Case.objects.get().materials.get(requirement_code="app").upload


# ---------------------------------------------------------------- select / multiselect


@pytest.fixture
def choice_matter(world):
    fields = [
        {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True},
        {"name": "business_form", "label": "主体业态", "type": "select", "required": True,
         "options": ["食品销售经营者", "餐饮服务经营者", "单位食堂"]},
        {"name": "items", "label": "经营项目", "type": "multiselect", "required": True,
         "options": [{"code": "prepack", "label": "预包装食品销售"}, {"code": "hot", "label": "热食类食品制售"}]},
    ]
    return cat.matter_save(spec={"department": "SCJG", "domain": "enterprise", "matter_type": "licensing",
                                 "implementation_code": "M-SEL", "name": "食品经营许可（选项）", "legal_limit_days": 20,
                                 "promised_limit_days": 10, "form_fields": fields},
                           materials=[{"code": "app", "name": "申请书"}])


def _receive_sel(world, form):
    return cs.case_receive(actor=world.clerk, matter_code="M-SEL", applicant_name="张三", id_number=make_id(4),
                           form_data=form, materials={"app": "provided"})


def test_service_refuses_a_value_outside_the_options_naming_the_field(world, choice_matter):
    with pytest.raises(ValidationFailed) as exc:
        _receive_sel(world, {"shop_name": "店", "business_form": "开飞机", "items": ["prepack"]})
    assert "主体业态" in exc.value.message and "开飞机" in exc.value.message and "餐饮服务经营者" in exc.value.message
    assert exc.value.field == "business_form"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message_en)  # English only
    with pytest.raises(ValidationFailed) as exc:
        _receive_sel(world, {"shop_name": "店", "business_form": "单位食堂", "items": ["prepack", "rocket"]})
    assert "经营项目" in exc.value.message and "rocket" in exc.value.message
    with pytest.raises(ValidationFailed, match="经营项目”为必填项"):
        _receive_sel(world, {"shop_name": "店", "business_form": "单位食堂", "items": []})


def test_service_keeps_valid_choices_as_option_codes(world, choice_matter):
    case = _receive_sel(world, {"shop_name": "店", "business_form": "餐饮服务经营者",
                                "items": ["热食类食品制售", "prepack", "prepack"]})
    assert case.form_data["business_form"] == "餐饮服务经营者"
    assert case.form_data["items"] == ["hot", "prepack"]


def test_api_refuses_a_value_outside_the_options(world, choice_matter):
    _, key = token_issue(username="clerk", password="secret-pass-1")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = {"matter_code": "M-SEL", "applicant_name": "张三", "id_number": make_id(5),
            "form_data": {"shop_name": "店", "business_form": "单位食堂", "items": ["rocket"]},
            "materials": {"app": "provided"}}
    r = api.post("/api/v1/cases/", body, content_type="application/json")
    assert r.status_code == 400, r.content
    err = r.json()
    assert err["code"] == "validation_failed" and "经营项目" in err["message"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in err["message_en"])
    body["form_data"]["items"] = ["hot"]
    assert api.post("/api/v1/cases/", body, content_type="application/json").status_code == 200


def test_page_shows_select_and_checkboxes_and_keeps_choices_after_a_refusal(client, world, choice_matter):
    client.force_login(world.clerk)
    body = client.get("/cases/receive/", {"matter": "M-SEL"}).content.decode()
    assert '<select name="f_business_form"' in body and 'type="checkbox" name="f_items" value="hot"' in body
    data = {"matter": "M-SEL", "applicant_kind": "person", "applicant_name": "李四", "id_number": make_id(22),
            "f_shop_name": "李四面馆", "f_business_form": "开飞机", "f_items": ["hot", "prepack"], "m_app": "provided_paper"}
    r = client.post("/cases/receive/", data)
    body = r.content.decode()
    assert r.status_code == 200 and "主体业态" in body and "不是可选项" in body
    assert 'value="hot" checked' in body and 'value="prepack" checked' in body
    r = client.post("/cases/receive/", {**data, "f_business_form": "单位食堂"})
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.form_data["items"] == ["hot", "prepack"]
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "热食类食品制售、预包装食品销售" in page  # the case page shows labels, not codes

"""The staff and applicant case pages through the Django test client: receive, act, notices, online application."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yichuang.cases.constants import CaseState as S
from yichuang.cases.models import Case, Suspension
from yichuang.workcal.workdays import add_workdays

from .conftest import PDF, PNG, accepted_case, make_id, receive


def _receive_post(client, **extra):
    data = {"matter": "M-FOOD", "sit_kind": "first", "applicant_kind": "person", "applicant_name": "李四",
            "id_number": make_id(21), "contact_phone": "13800138000", "f_shop_name": "李四面馆",
            "m_app": "provided_paper", "m_id": "provided_paper", "m_lease": "missing", "m_photo": "missing"}
    data.update(extra)
    return client.post("/cases/receive/", data)


def test_receive_pick_lists_matters_by_search(client, world):
    client.force_login(world.clerk)
    body = client.get("/cases/receive/", {"q": "食品"}).content.decode()
    assert "食品经营许可" in body and "matter=M-FOOD" in body


def test_receive_form_prefills_the_checklist_for_the_situation(client, world):
    client.force_login(world.clerk)
    body = client.get("/cases/receive/", {"matter": "M-FOOD"}).content.decode()
    assert "请先回答全部情形问题" in body
    body = client.get("/cases/receive/", {"matter": "M-FOOD", "sit_kind": "first"}).content.decode()
    assert 'name="m_app"' in body and "场地使用证明" in body and "必要（可容缺）" in body


def test_receive_creates_the_case_with_the_missing_item_and_scans(client, world):
    client.force_login(world.clerk)
    r = _receive_post(client, file_app=SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"))
    assert r.status_code == 302
    case = Case.objects.get()
    assert r["Location"] == f"/cases/{case.number}/"
    assert case.state == S.RECEIVED and case.received_by == world.clerk
    mats = {m.requirement_code: m for m in case.materials.all()}
    assert mats["lease"].status == "missing" and mats["app"].upload and mats["app"].medium == "electronic"
    assert [i["code"] for i in case.missing_items] == ["lease"]
    body = client.get(r["Location"]).content.decode()
    assert "补齐补正通知书" in body and "容缺受理" in body and "流转后台" in body


@pytest.mark.parametrize("extra, message", [
    ({"id_number": "110101198001010011"}, "校验"),
    ({"f_shop_name": ""}, "店铺名称"),
    ({"file_app": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00" + b"\x00" * 64)}, "只能上传PDF、JPEG或PNG"),
])
def test_receive_refuses_bad_input_on_the_form_and_keeps_what_was_typed(client, world, extra, message):
    client.force_login(world.clerk)
    r = _receive_post(client, **extra)
    body = r.content.decode()
    assert r.status_code == 200 and message in body
    assert 'value="李四"' in body  # nothing typed is lost
    if "f_shop_name" not in extra:
        assert 'value="李四面馆"' in body
    assert not Case.objects.exists()


def test_receive_at_home_has_channel_door_to_door(client, world):
    client.force_login(world.clerk)
    _receive_post(client, channel="door_to_door")
    assert Case.objects.get().channel == "door_to_door"


def test_receive_needs_a_clerk(client, world):
    client.force_login(world.approver)
    assert client.get("/cases/receive/").status_code == 403
    client.logout()
    assert client.get("/cases/receive/").status_code == 302


def _act(client, case, **data):
    return client.post(f"/cases/{case.number}/action/", data)


def test_the_whole_loop_through_the_pages(client, world):
    client.force_login(world.clerk)
    _receive_post(client)
    case = Case.objects.get()
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    r = _act(client, case, action="supplement_request", items=["lease"], due_date=due, note_lease="须加盖公章")
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == S.NEEDS_SUPPLEMENT
    notice = case.notices.get()
    body = client.get(f"/cases/{case.number}/notices/{notice.number}/").content.decode()
    assert "补齐补正通知书" in body and "场地使用证明" in body and world.centre.name in body
    _act(client, case, action="supplement", provided=["lease"])
    _act(client, case, action="forward")
    case.refresh_from_db()
    assert case.state == S.FORWARDED and case.visits == 2

    client.force_login(world.approver)
    _act(client, case, action="accept")
    case.refresh_from_db()
    assert case.state == S.ACCEPTED
    due_before = case.due_date
    _act(client, case, action="suspend", reason="site_inspection", note="现场核查")
    # seven calendar days pass while suspended
    Suspension.objects.filter(case=case).update(start_date=dt.date.today() - dt.timedelta(days=7))
    _act(client, case, action="resume")
    case.refresh_from_db()
    assert case.state == S.ACCEPTED and case.suspended_workdays > 0
    assert case.due_date == add_workdays(due_before, case.suspended_workdays).value
    _act(client, case, action="approve", opinion="符合条件")
    _act(client, case, action="ready")
    client.force_login(world.issuer)
    _act(client, case, action="issue", method="window", signed_by="李四")
    case.refresh_from_db()
    assert case.state == S.ISSUED and case.visits == 3
    body = client.get("/cases/progress/", {"number": case.number, "code": case.applicant_id_number[-4:]}
                      ).content.decode()
    assert "已办结" in body and f"/documents/cases/{case.number}/?code=" in body
    assert f"/documents/cases/{case.number}/" in client.get(f"/cases/{case.number}/").content.decode()
    kinds = sorted(case.notices.values_list("kind", flat=True))
    assert kinds == ["acceptance", "decision", "supplement", "suspension"]  # the 中止告知书 of the site inspection


def test_separation_of_receipt_and_review_is_refused_with_a_message(client, world):
    # a guide who received the case and is then made an approver may still not accept it
    case = receive(world)
    case = __import__("yichuang.cases.services", fromlist=["x"]).case_forward(case=case, actor=world.clerk)
    Case.objects.filter(pk=case.pk).update(received_by=world.approver)
    client.force_login(world.approver)
    r = _act(client, case, action="accept")
    assert r.status_code == 200  # the case page again, with the refusal at the forms
    assert "受审分离" in r.content.decode()
    case.refresh_from_db()
    assert case.state == S.FORWARDED


def test_illegal_and_unknown_actions_get_messages_not_500(client, world):
    case = receive(world)
    client.force_login(world.clerk)
    bodies = []
    for data in ({"action": "approve"}, {"action": "bogus"},
                 {"action": "supplement_request", "due_date": "x", "note": "请带原件"}):
        r = _act(client, case, **data)
        assert r.status_code == 200
        bodies.append(r.content.decode())
    assert "未知操作" in bodies[1] and "补正期限" in bodies[2]
    assert 'name="note" value="请带原件"' in bodies[2]  # nothing typed is lost


def test_other_department_cannot_see_the_case(client, world):
    case = receive(world)
    client.force_login(world.other_approver)
    assert client.get(f"/cases/{case.number}/").status_code == 403
    assert _act(client, case, action="accept").status_code == 403


def test_scans_are_served_only_to_those_who_may_see_the_case(client, world):
    case = receive(world)
    from yichuang.cases import services as cs
    cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="app", filename="a.png", file=PNG)
    url = f"/cases/{case.number}/materials/app/file"
    client.force_login(world.clerk)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and b"".join(r.streaming_content) == PNG
    client.force_login(world.other_approver)
    assert client.get(url).status_code == 403


def test_online_application_and_online_supplement(client, world):
    applicant = world.applicant
    client.force_login(applicant)
    assert "食品经营许可" in client.get("/cases/apply/", {"q": "食品"}).content.decode()
    r = client.post("/cases/apply/M-FOOD/", {
        "sit_kind": "first", "applicant_kind": "person", "applicant_name": "张", "id_number": applicant.id_number,
        "f_shop_name": "张记", "file_app": SimpleUploadedFile("app.pdf", PDF),
        "file_id": SimpleUploadedFile("id.png", PNG)})
    assert r.status_code == 302 and r["Location"] == "/cases/mine/"
    case = Case.objects.get()
    assert case.state == S.SUBMITTED and case.channel == "online"
    assert case.number in client.get("/cases/mine/").content.decode()
    # the back office pre-reviews and asks for the lease
    client.force_login(world.approver)
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    _act(client, case, action="supplement_request", items=["lease"], due_date=due)
    case.refresh_from_db()
    assert case.state == S.NEEDS_SUPPLEMENT
    # the applicant sees it on the progress page and answers online
    client.force_login(applicant)
    progress = f"/cases/progress/?number={case.number}&code={applicant.id_number[-4:]}"
    body = client.get(progress).content.decode()
    assert "在线补正" in body and "场地使用证明" in body
    r = client.post(f"/cases/{case.number}/action/", {"action": "supplement", "next": progress,
                                                       "file_lease": SimpleUploadedFile("lease.pdf", PDF)})
    assert r.status_code == 302 and r["Location"] == progress
    case.refresh_from_db()
    assert case.state == S.SUBMITTED and not case.missing_items
    # pre-review passes; the case is accepted by the back office
    client.force_login(world.approver)
    _act(client, case, action="forward")
    _act(client, case, action="accept")
    case.refresh_from_db()
    assert case.state == S.ACCEPTED


def test_someone_elses_applicant_cannot_supplement(client, world):
    from yichuang.accounts import services as acc
    other = acc.user_create(username="wang", password="secret-pass-1", role="applicant", display_name="王",
                            centre=world.centre, id_number=make_id(99))
    case = receive(world, id_number=world.applicant.id_number)
    client.force_login(other)
    assert client.get(f"/cases/{case.number}/").status_code == 403


def test_inbox_links_to_the_case(client, world):
    case = accepted_case(world)
    client.force_login(world.approver)
    assert f'href="/cases/{case.number}/"' in client.get("/cases/inbox/").content.decode()


def test_receive_and_forward_from_the_form(client, world):
    client.force_login(world.clerk)
    body = client.get("/cases/receive/", {"matter": "M-FOOD", "sit_kind": "first"}).content.decode()
    assert 'data-testid="submit-and-forward"' in body
    r = _receive_post(client, forward="1")  # the lease is missing: refused, nothing received, form kept
    assert r.status_code == 200 and "不能流转" in r.content.decode() and 'value="李四"' in r.content.decode()
    assert not Case.objects.exists()
    r = _receive_post(client, forward="1", m_lease="provided_paper")
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.state == S.FORWARDED
    assert "已收件并流转后台" in client.get(r["Location"]).content.decode()

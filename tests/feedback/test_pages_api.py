"""Feedback pages and API through the test client: the addresses are those they had under supervision
(/supervision/rate/…, /supervision/rectifications/…, /supervision/complaints/…, /api/v1/supervision/…)."""

from tests.cases.conftest import accepted_case
from yichuang.accounts.services import token_issue
from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.feedback import services as fb
from yichuang.feedback.models import Complaint, Rating


def _decided(w):
    return cs.case_approve(case=accepted_case(w), actor=w.approver)


def test_bad_rating_on_the_page_opens_a_rectification_the_supervisor_sees(client, world):
    case = _decided(world)
    code = fb.rating_code_issue(case=case)
    url = f"/supervision/rate/case/{case.number}/"
    body = client.get(url).content.decode()
    assert "非常不满意" in body and "服务态度" in body
    r = client.post(url, {"level": "1", "ind_attitude": "1", "comment": "态度差", "code": code})
    assert "感谢您的评价" in r.content.decode()
    rating = Rating.objects.get()
    client.force_login(world.supervisor)
    desk = client.get("/supervision/").content.decode()
    assert f"/supervision/rectifications/{rating.rectification.pk}/" in desk
    page = f"/supervision/rectifications/{rating.rectification.pk}/"
    body = client.get(page).content.decode()  # the supervisor watches: no step offered, a step posted is refused
    assert 'data-testid="watch-only"' in body and 'data-testid="do-callback"' not in body
    client.post(page, {"action": "callback", "note": "已回访"})
    rating.rectification.refresh_from_db()
    assert rating.rectification.state == "open"
    client.force_login(world.approver)  # the department rectifies
    client.post(page, {"action": "reply", "reply": "x"})
    assert "请先回访" in client.get(page).content.decode()
    client.post(page, {"action": "callback", "note": "已回访"})
    client.post(page, {"action": "reply", "reply": "已整改"})
    assert "已整改答复" in client.get(page).content.decode()
    # the same applicant now gives the follow-up rating on the same page, with the code the reply sent
    client.post(url, {"level": "4", "code": fb.rating_code_issue(case=case)})
    rating.rectification.refresh_from_db()
    assert rating.rectification.state == "closed"


def test_rating_errors_are_shown_not_500(client, world):
    case = _decided(world)
    url = f"/supervision/rate/case/{case.number}/"
    body = client.post(url, {"level": "9", "code": fb.rating_code_issue(case=case)}).content.decode()
    assert "评价等级应为1" in body


def test_a_refused_rating_keeps_what_was_chosen_and_typed(client, world):
    case = _decided(world)
    url = f"/supervision/rate/case/{case.number}/"
    body = client.post(url, {"level": "9", "ind_attitude": "2", "comment": "窗口很忙",
                             "code": fb.rating_code_issue(case=case)}).content.decode()
    assert "评价等级应为1" in body and "窗口很忙</textarea>" in body
    assert '<option value="2" selected>' in body


def test_a_signed_in_applicant_rates_an_own_case_without_the_code(client, world):
    case = _decided(world)
    url = f"/supervision/rate/case/{case.number}/"
    assert 'name="code"' in client.get(url).content.decode()  # nobody signed in: the code is needed
    client.force_login(world.applicant)
    assert 'name="code"' in client.get(url).content.decode()  # not the applicant's case
    case.applicant_id_number = world.applicant.id_number
    Case.objects.filter(pk=case.pk).update(applicant_id_number=world.applicant.id_number)
    page = client.get(url).content.decode()
    assert "提交评价" in page and 'name="code"' not in page
    assert "感谢您的评价" in client.post(url, {"level": "5"}).content.decode()


def test_complaint_pages(client, world):
    client.force_login(world.clerk)
    r = client.post("/supervision/complaints/", {"kind": "complaint", "channel": "window", "content": "办不成",
                                                 "department": world.dept.pk})
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert c.number in client.get("/supervision/complaints/").content.decode()
    body = client.post("/supervision/complaints/", {"kind": "complaint", "channel": "window", "content": ""}
                       ).content.decode()
    assert "请填写反映内容" in body
    client.force_login(world.supervisor)  # the supervisor watches: no form, a resolution posted is refused
    body = client.get(f"/supervision/complaints/{c.number}/").content.decode()
    assert 'data-testid="watch-only"' in body and 'name="resolution"' not in body
    client.post(f"/supervision/complaints/{c.number}/", {"resolution": "已协调办结", "satisfaction": "5"})
    c.refresh_from_db()
    assert c.state == "open"
    client.force_login(world.approver)  # the department resolves its complaint
    client.post(f"/supervision/complaints/{c.number}/", {"resolution": "已协调办结", "satisfaction": "5"})
    c.refresh_from_db()
    assert c.state == "resolved"


def test_api(client, world):
    case = _decided(world)
    r = client.post("/api/v1/supervision/ratings", {"case_number": case.number, "code": fb.rating_code_issue(case=case),
                                                     "level": 2, "indicators": {"attitude": 2}},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["rectification"]
    bad = client.post("/api/v1/supervision/ratings", {"case_number": case.number, "code": "0000", "level": 2},
                      content_type="application/json")
    assert bad.status_code == 403 and bad.json()["message_en"]
    sup = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='super', password='secret-pass-1')[1]}"}
    clerk = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='clerk', password='secret-pass-1')[1]}"}
    appr = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='approver', password='secret-pass-1')[1]}"}
    rects = client.get("/api/v1/supervision/rectifications", **appr).json()
    assert len(rects) == 1
    pk = rects[0]["id"]
    assert client.post(f"/api/v1/supervision/rectifications/{pk}/callback", {"text": "已回访"},
                       content_type="application/json", **appr).json()["state"] == "called_back"
    assert client.post(f"/api/v1/supervision/rectifications/{pk}/fly", {}, content_type="application/json",
                       **appr).status_code == 400
    body = {"kind": "help", "channel": "hotline", "content": "求助", "department_code": "SCJG"}
    r = client.post("/api/v1/supervision/complaints", body, content_type="application/json", **sup)
    assert r.status_code == 403 and r.json()["code"] == "role" and r.json()["message_en"]
    c = client.post("/api/v1/supervision/complaints", body, content_type="application/json", **clerk).json()
    assert c["department"] == world.dept.name
    r = client.post(f"/api/v1/supervision/complaints/{c['number']}/resolve", {"resolution": "ok"},
                    content_type="application/json", **sup)
    assert r.status_code == 403 and r.json()["code"] == "role" and r.json()["message"]
    r = client.post(f"/api/v1/supervision/rectifications/{pk}/reply", {"text": "已整改"},
                    content_type="application/json", **sup)
    assert r.status_code == 403 and r.json()["code"] == "role"
    assert client.post(f"/api/v1/supervision/complaints/{c['number']}/resolve", {"resolution": "ok"},
                       content_type="application/json", **appr).json()["state"] == "resolved"

"""API and pages for bundles: thin layers over the services; errors as JSON / on the page, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.bundles.conftest import FORM, MATERIALS, apply
from tests.cases.conftest import make_id
from yichuang.accounts import services as acc
from yichuang.cases import services as cs
from yichuang.cases.models import Case


def _token(user) -> dict:
    _user, key = acc.token_issue(username=user.username, password="secret-pass-1")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_definition_apply_decide_issue(bw):
    c = Client()
    r = c.get("/api/v1/bundles/")
    assert r.status_code == 200 and r.json()[0]["code"] == "kaiban"
    d = c.get("/api/v1/bundles/kaiban").json()
    assert [f["label"] for f in d["fields"]].count("企业名称") == 1
    assert d["plan"]["critical_days"] == 4 and d["plan"]["waves"] == [["setup"], ["seal", "tax", "social"]]
    body = {"applicant_name": "张三", "id_number": make_id(3), "form_data": FORM, "materials": MATERIALS,
            "ticket_number": "B002"}
    r = c.post("/api/v1/bundles/kaiban/apply", body, content_type="application/json", **_token(bw.clerk))
    assert r.status_code == 200, r.json()
    parent = r.json()
    assert parent["number"].startswith("YJS500101") and parent["state"] == "in_progress"
    states = {i["key"]: i["state_label"] for i in parent["items"]}
    assert states["setup"] == "已流转后台" and states["tax"] == "等待前置事项"
    setup_no = parent["items"][0]["case_number"]
    cs.case_accept(case=Case.objects.get(number=setup_no), actor=bw.approvers["SCJ"])
    scj = _token(bw.approvers["SCJ"])
    r = c.post(f"/api/v1/bundles/subcases/{setup_no}/decide", {"approve": True}, content_type="application/json",
               **scj)
    assert r.status_code == 400 and r.json()["code"] == "result_data_required"
    r = c.post(f"/api/v1/bundles/subcases/{setup_no}/decide",
               {"approve": True, "result_data": {"credit_code": "not-a-code"}}, content_type="application/json", **scj)
    assert r.status_code == 400
    r = c.post(f"/api/v1/bundles/subcases/{setup_no}/decide",
               {"approve": True, "result_data": {"credit_code": bw.credit_code}}, content_type="application/json",
               **scj)
    assert r.status_code == 200 and r.json()["state"] == "approved"
    r = c.get(f"/api/v1/bundles/cases/{parent['number']}", **_token(bw.approvers["SWJ"]))
    assert r.status_code == 200
    assert {i["key"]: i["state"] for i in r.json()["items"]}["tax"] == "forwarded"
    r = c.post(f"/api/v1/bundles/cases/{parent['number']}/issue", {"method": "window", "signed_by": "张三"},
               content_type="application/json", **_token(bw.issuer))
    assert r.status_code == 409 and "尚未办结" in r.json()["message"]


def test_api_errors_are_json(bw):
    c = Client()
    assert c.get("/api/v1/bundles/nope").status_code == 404
    r = c.post("/api/v1/bundles/kaiban/apply", {"applicant_name": "张三", "id_number": "123"},
               content_type="application/json", **_token(bw.clerk))
    assert r.status_code == 400 and r.json()["field"] == "id_number"
    r = c.post("/api/v1/bundles/kaiban/apply", {"applicant_name": "张三", "id_number": make_id(7), "channel": "window"},
               content_type="application/json", **_token(bw.applicant))
    assert r.status_code == 403


def test_applicant_sees_own_bundle_case_without_staff_data(bw):
    parent = apply(bw, actor=bw.applicant, channel="online", id_number=make_id(7), ticket_number="")
    c = Client()
    r = c.get(f"/api/v1/bundles/cases/{parent.number}", **_token(bw.applicant))
    assert r.status_code == 200 and r.json()["form_data"] == {}
    other = acc.user_create(username="li", password="secret-pass-1", role="applicant", id_number=make_id(9))
    assert c.get(f"/api/v1/bundles/cases/{parent.number}", **_token(other)).status_code == 403


def test_pages_apply_once_and_follow(bw):
    c = Client()
    c.force_login(bw.clerk)
    r = c.get("/bundles/")
    assert r.status_code == 200 and "企业开办" in r.content.decode()
    page = c.get("/bundles/kaiban/apply/").content.decode()
    assert page.count(">企业名称") == 1 and "统一社会信用代码" in page and "纳税人名称" not in page
    post = {"applicant_name": "张三", "id_number": make_id(3), "ticket": "b003",
            **{f"f_{k}": v for k, v in FORM.items()}, **{f"m_{k}": "provided_paper" for k in MATERIALS}}
    bad = dict(post, f_enterprise_name="")
    r = c.post("/bundles/kaiban/apply/", bad)
    assert r.status_code == 200 and "企业名称" in r.content.decode() and "form-error" in r.content.decode()
    r = c.post("/bundles/kaiban/apply/", post)
    assert r.status_code == 302
    number = r.url.rstrip("/").split("/")[-1]
    # The approver accepts and approves from the bundle page, entering the new credit code.
    c.force_login(bw.approvers["SCJ"])
    page = c.get(r.url).content.decode()
    assert "等待前置事项" in page and 'data-testid="accept-setup"' in page
    c.post(f"/bundles/cases/{number}/action/", {"action": "accept", "item": "setup"})
    r2 = c.post(f"/bundles/cases/{number}/action/", {"action": "approve", "item": "setup"}, follow=True)
    assert "统一社会信用代码" in r2.content.decode()        # refused with the reason, on the page
    c.post(f"/bundles/cases/{number}/action/", {"action": "approve", "item": "setup", "r_credit_code": bw.credit_code})
    c.force_login(bw.approvers["SWJ"])
    assert c.get("/cases/inbox/").content.decode().count("新办纳税人涉税事项") == 1


@pytest.mark.parametrize("code", ["qykb", "kbld", "klfd", "bdcyl", "xsecs"])
def test_demo_bundles_are_valid_and_ask_shared_fields_once(db, settings, code):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from yichuang.bundles import selectors
    from yichuang.demo.loader import demo_load

    demo_load()
    pub = selectors.bundle_public(bundle=selectors.bundle_get(code=code))
    labels = [f["label"] for f in pub["fields"] if not f["section"]]
    assert len(labels) == len(set(labels))
    assert pub["plan"]["critical_days"] <= pub["plan"]["serial_days"]
    assert pub["plan"]["waves"][0] == [pub["items"][0]["key"]]      # one first matter, the rest follow it


def test_public_progress_by_number_and_last4(bw):
    parent = apply(bw)
    c = Client()
    last4 = parent.applicant_id_number[-4:]
    r = c.get("/api/v1/bundles/progress", {"number": parent.number, "last4": last4})
    assert r.status_code == 200
    body = r.json()
    assert [i["state_label"] for i in body["items"]] == ["已流转后台"] + ["等待前置事项"] * 3
    assert "form_data" not in body and "张三" not in r.content.decode()
    assert c.get("/api/v1/bundles/progress", {"number": parent.number, "last4": "0000"}).status_code == 404
    page = c.get("/bundles/progress/", {"number": parent.number, "code": last4}).content.decode()
    assert "等待前置事项" in page


def test_admin_refuses_a_cycle_naming_it(bw):
    admin = acc.user_create(username="root", password="secret-pass-1", role="admin", is_superuser=True)
    admin.is_staff = True
    admin.save()
    c = Client()
    c.force_login(admin)
    data = {"code": "loop", "name": "循环", "description": "", "keywords": "", "fields": "[]", "is_active": "on",
            "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000"}
    for i, (key, matter, req) in enumerate((("setup", bw.setup, "tax"), ("tax", bw.tax, "setup"))):
        data.update({f"items-{i}-order": str(i), f"items-{i}-key": key, f"items-{i}-matter": str(matter.pk),
                     f"items-{i}-requires": f'["{req}"]', f"items-{i}-field_map": "{}",
                     f"items-{i}-material_map": "{}", f"items-{i}-produces": "{}"})
    r = c.post("/admin/bundles/bundle/add/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "前置关系存在循环" in page and "企业设立登记 →" in page
    from yichuang.bundles.models import Bundle

    assert not Bundle.objects.filter(code="loop").exists()

"""Each operation's documented request body, sent as it stands, is read by the server (not refused as malformed).

For every operation of the served schema with a request body: a JSON body must document an example
(``examples`` of its component), and that example — sent by a role the operation is for, on real objects for the
path — is not answered 422 or 400 (a domain refusal such as 403, 404 or 409 is fine: the example's ids need not
exist here). A multipart body is sent with a small file and its documented form fields.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from .conftest import client_for

pytestmark = pytest.mark.django_db

# Who sends each operation's example (by operationId; the rest: a window clerk).
ROLE = {
    "cases_accept": "approver", "cases_approve": "approver", "cases_deny": "approver", "cases_decide_now": "approver",
    "cases_not_accept": "approver", "cases_suspend": "approver", "cases_extend": "approver",
    "cases_submit_online": "zhang", "cases_pii": "approver", "cases_issue": "issuer",
    "bundles_subcase_decide": "approver", "bundles_bundle_case_issue": "issuer",
    "licences_issue": "admin", "licences_suspend": "admin", "licences_reinstate": "admin", "licences_revoke": "admin",
    "licences_renew": "admin", "catalog_catalog_import": "admin", "calendar_day_set": "admin",
    "workcal_day_set": "admin", "workcal_year_import": "admin", "sim_run": "super",
    "supervision_rectification_step": "super", "supervision_complaint_resolve": "super",
    "accounts_absence": "super",
}
# Which case each case step is sent for (by the state the step expects).
CASE_FOR = {"cases_accept": "forwarded", "cases_not_accept": "forwarded", "cases_decide_now": "forwarded",
            "cases_approve": "accepted", "cases_deny": "accepted", "cases_suspend": "accepted",
            "cases_extend": "accepted", "cases_supplement_request": "received", "cases_tolerant": "received"}
SCHEMA_REFUSALS = {"invalid_request", "malformed_body"}


def _path(path: str, op_id: str, w) -> str:
    case = getattr(w, CASE_FOR.get(op_id, "received"))
    values = {"number": case.number, "window_id": w.window.pk, "ticket_id": w.ticket.pk, "centre_code": w.centre.code,
              "code": "app" if "upload" in op_id else w.food.implementation_code, "date": "2026-12-31",
              "pk": 1, "step": "callback", "year": 2026,
              "username": "approver_b"}  # not the approver who accepts below
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), path)


def _component(schema: dict, body_schema: dict) -> dict:
    refs = [body_schema.get("$ref")] + [alt.get("$ref") for alt in body_schema.get("anyOf", [])]
    ref = next(r for r in refs if r)
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


FILES = {"cases_upload": ("门头.pdf", b"%PDF-1.7\n" + b"0" * 64),
         "documents_verify": ("决定书.pdf", b"%PDF-1.7\n" + b"0" * 64),
         "workcal_year_import": ("2027.csv", "date,is_workday,name\n2027-01-01,0,元旦\n".encode()),
         "catalog_catalog_import": ("实施清单.xlsx", b"PK\x03\x04 not really a workbook")}


def test_every_documented_body_is_read(api_world, client):
    schema = client.get("/api/v1/openapi.json").json()
    sent = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            content = op.get("requestBody", {}).get("content", {})
            if not content:
                continue
            op_id = op["operationId"]
            c = client_for(api_world, ROLE.get(op_id, "clerk"))
            url = _path(path, op_id, api_world)
            if "application/json" in content:
                component = _component(schema, content["application/json"]["schema"])
                examples = component.get("examples")
                assert examples, f"{op_id}: the body {component.get('title')} documents no example"
                body = examples[0]
                r = c.generic(method.upper(), url, json.dumps(body), content_type="application/json")
            else:
                form = content["multipart/form-data"]["schema"]
                assert op_id in FILES, f"{op_id}: a multipart body this test does not know"
                name, data = FILES[op_id]
                fields = {k: (v.get("examples") or [v.get("default", "")])[0]
                          for k, v in form["properties"].items() if v.get("format") != "binary"}
                files = {k: io.BytesIO(data) for k, v in form["properties"].items() if v.get("format") == "binary"}
                for f in files.values():
                    f.name = name
                if "dry_run" in fields:
                    fields["dry_run"] = "true"
                r = c.post(url, {**fields, **files})
                body = fields
            answer = r.json() if r["Content-Type"].startswith("application/json") else {}
            sent.append((op_id, r.status_code))
            assert r.status_code != 422 and answer.get("code") not in SCHEMA_REFUSALS, (
                f"{op_id}: the documented body {body} was refused as malformed: {r.status_code} {answer}")
            if "application/json" in content and r.status_code == 400:
                # Only an id the example names and this database lacks (the example's zone 1, slot 1) may be
                # refused, as any unknown object is; everything else in an example must be acceptable.
                assert str(answer.get("field", "")).endswith("_id"), (
                    f"{op_id}: the documented example {body} was refused: {answer}")
    assert len(sent) >= 45
    ok = {op for op, status in sent if status < 300}
    # Where this database holds what the example names (the demo's 食品经营许可, a case in the right state), the
    # example does what it says.
    must = {"catalog_matter_checklist", "cases_receive", "cases_submit_online", "cases_materials", "cases_forward",
            "cases_accept", "cases_suspend", "cases_extend", "hall_window_state", "supervision_complaint_open",
            "workcal_day_set", "sim_run"}
    assert must <= ok, f"examples that should have worked here: {sorted(must - ok)} ({sent})"

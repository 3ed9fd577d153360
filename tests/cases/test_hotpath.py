"""The cases' WSGI hot path (收件, 流转): it must answer exactly as the API does (body, errors, headers) and hand
everything else to Django. Committed transactions: inside a test transaction it steps aside on purpose."""

import io
import json

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from yichuang.accounts.services import token_issue
from yichuang.cases import hotpath
from yichuang.cases.models import Case, CaseTransition
from yichuang.config.wsgi import application

from tests.hotpaths import record_served

from .test_api import _receive_payload as _payload

BASE = "/api/v1/cases"
pytestmark = pytest.mark.django_db(transaction=True)


def _key(username):
    _, key = token_issue(username=username, password="secret-pass-1")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _wsgi(path, payload, key=None):
    """POST JSON through the project's WSGI application; (status, headers, JSON body)."""
    data = json.dumps(payload).encode()
    environ = RequestFactory().generic("POST", path, data=data, content_type="application/json",
                                       **(key or {})).environ
    environ["wsgi.input"] = io.BytesIO(data)
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = int(status[:3]), dict(headers)

    body = b"".join(application(environ, start_response))
    return got["status"], got["headers"], json.loads(body) if body else None


def _django(path, payload, key):
    """The same POST through Django's test client (never the hot path)."""
    r = Client(**key).post(path, payload, content_type="application/json")
    return r.status_code, r.headers, r.json()


@pytest.fixture
def seen(monkeypatch):
    return record_served(monkeypatch, hotpath.CasesHotPath)


def test_receive_and_forward_answer_like_the_api(world, seen):
    clerk = _key("clerk")
    status, headers, body = _wsgi(f"{BASE}/", _payload(), clerk)
    assert status == 200 and body["state"] == "received", body
    detail = Client(**clerk).get(f"{BASE}/{body['number']}").json()
    assert body == detail  # the API's own detail of the case
    d_status, d_headers, d_body = _django(f"{BASE}/", _payload(seq=2), clerk)
    assert d_status == 200 and set(d_body) == set(body)
    for name in ("Content-Type", "X-Frame-Options", "Content-Security-Policy", "Permissions-Policy",
                 "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        assert headers[name] == d_headers[name], name
    status, _, fwd = _wsgi(f"{BASE}/{body['number']}/forward", {"reason": ""}, clerk)
    assert status == 200 and fwd["state"] == "forwarded"
    assert fwd == Client(**clerk).get(f"{BASE}/{body['number']}").json()
    status, _, both = _wsgi(f"{BASE}/", _payload(seq=3, forward=True), clerk)  # 收件并流转
    assert status == 200 and both["state"] == "forwarded"
    assert list(CaseTransition.objects.filter(case__number=both["number"]).values_list("to_state", flat=True)) \
        == ["received", "forwarded"]
    if connection.vendor == "postgresql":
        assert seen == [True, True, True]
    else:  # SQLite: Django answers everything, the same way
        assert seen == []


def test_errors_are_the_apis(world, seen):
    clerk, approver = _key("clerk"), _key("approver")
    cases = [
        (f"{BASE}/", _payload(seq=4, forward=True, materials={"app": "provided"}), clerk),  # materials missing
        (f"{BASE}/", _payload(seq=5, id_number="110101198001010011"), clerk),  # wrong check digit
        (f"{BASE}/", _payload(seq=6), approver),  # an approver does not receive
        (f"{BASE}/", _payload(seq=7, matter_code="NOPE"), clerk),
        (f"{BASE}/999999/forward", {"reason": ""}, clerk),
    ]
    for path, payload, key in cases:
        got = _wsgi(path, payload, key)
        want = _django(path, payload, key)
        assert (got[0], got[2]) == (want[0], want[2]), (path, payload)
        assert 400 <= got[0] < 500 and got[2]["message"] and got[2]["message_en"]
    assert not Case.objects.exists()  # nothing received by any of them
    if connection.vendor == "postgresql":
        assert seen == [True] * len(cases)


def test_other_requests_go_to_django(world, seen):
    clerk = _key("clerk")
    # a body the schema refuses: Django's 422, with the body it was handed back
    bad = {"matter_code": "M-FOOD"}  # no applicant name
    got, want = _wsgi(f"{BASE}/", bad, clerk), _django(f"{BASE}/", bad, clerk)
    assert got[0] == want[0] == 422 and got[2] == want[2]
    # an unknown token: Django's 401
    status, _, body = _wsgi(f"{BASE}/", _payload(), {"HTTP_AUTHORIZATION": "Bearer nope"})
    assert status == 401 and body["message_en"]
    # other case writes are Django's
    number = _wsgi(f"{BASE}/", _payload(seq=8), clerk)[2]["number"]
    status, _, body = _wsgi(f"{BASE}/{number}/withdraw", {"reason": "申请人撤回"}, clerk)
    assert status in (200, 403) and body
    if connection.vendor == "postgresql":
        assert seen == [False, False, True]  # the refused body, the unknown token, then the receipt


def test_a_receipt_draws_its_number_before_its_transaction(world):
    """The centre's one counter row is locked only for the statement that draws the number, not for the whole
    receipt (concurrent receipts would queue behind each other); a refused receipt draws none."""
    from django.test.utils import CaptureQueriesContext

    from yichuang.cases import services as cs
    from yichuang.cases.models import CaseSequence
    from yichuang.core.errors import ValidationFailed

    clerk = world.clerk
    with pytest.raises(ValidationFailed):
        cs.case_receive(actor=clerk, forward=True, **_payload(seq=9, materials={"app": "provided"}))
    assert not CaseSequence.objects.exists()
    with CaptureQueriesContext(connection) as ctx:
        case = cs.case_receive(actor=clerk, **_payload(seq=10))
    sql = [q["sql"] for q in ctx.captured_queries]
    draw = next(i for i, q in enumerate(sql) if "cases_casesequence" in q)
    begin = next(i for i, q in enumerate(sql) if q.startswith("BEGIN"))
    assert draw < begin < next(i for i, q in enumerate(sql) if 'INSERT INTO "cases_case" ' in q), sql
    assert case.number.endswith("0001") and CaseSequence.objects.get().last == 1

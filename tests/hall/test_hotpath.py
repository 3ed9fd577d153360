"""办结并叫下一号 (finish and call next) and the WSGI hot path for window calls.

The hot path must answer exactly as the API does (body, errors, headers) and hand everything else to Django.
Its own tests run with committed transactions: inside a test transaction it steps aside on purpose.
"""

import io
import json

import pytest
from django.test import RequestFactory

from yichuang.config.wsgi import application
from yichuang.core.errors import ConflictError, NotFound
from yichuang.hall import hotpath, services
from yichuang.hall.constants import EventKind, TicketState
from yichuang.hall.models import Ticket, TicketEvent

from tests.hotpaths import record_served

from .test_api import BASE, auth, post


def _kinds(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).order_by("id").values_list("kind", flat=True))


def test_finish_and_call_next_service(open_hall):
    h = open_hall
    t1 = services.ticket_issue(centre=h.centre, domain=h.a)
    t2 = services.ticket_issue(centre=h.centre, domain=h.b)
    assert services.ticket_call_next(window=h.w1, clerk=h.c1).pk == t1.pk
    called = services.ticket_finish_and_call_next(window=h.w1.pk, clerk=h.c1, ticket=t1.pk)
    assert called.pk == t2.pk and called.state == TicketState.CALLED and called.window.number == "1"
    t1.refresh_from_db()
    assert t1.state == TicketState.DONE and t1.started_at == t1.called_at and t1.finished_at is not None
    assert _kinds(t1) == [EventKind.ISSUED, EventKind.CALLED, EventKind.STARTED, EventKind.FINISHED]
    assert _kinds(t2) == [EventKind.ISSUED, EventKind.CALLED]
    # Nobody left: the finish stands and the answer is the call-next error.
    with pytest.raises(NotFound, match="当前没有您可办理的等候号"):
        services.ticket_finish_and_call_next(window=h.w1, clerk=h.c1, ticket=t2)
    t2.refresh_from_db()
    assert t2.state == TicketState.DONE


def test_refused_finish_calls_nobody(open_hall):
    h = open_hall
    t1 = services.ticket_issue(centre=h.centre, domain=h.a)
    t2 = services.ticket_issue(centre=h.centre, domain=h.a)
    services.ticket_call_next(window=h.w1, clerk=h.c1)
    other = h.clerk(domains=[h.a])
    w2 = h.window(number="2", clerk_user=other)
    with pytest.raises(ConflictError, match="不是本窗口当前叫到的号"):  # t1 is not at window 2
        services.ticket_finish_and_call_next(window=w2, clerk=other, ticket=t1)
    assert Ticket.objects.get(pk=t1.pk).state == TicketState.CALLED
    assert Ticket.objects.get(pk=t2.pk).state == TicketState.WAITING


def test_finish_and_call_next_api(client, open_hall):
    h = open_hall
    key = auth(h.c1)
    a = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk}).json()
    b = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk}).json()
    post(client, f"{BASE}/windows/{h.w1.pk}/call-next", **key)
    r = post(client, f"{BASE}/windows/{h.w1.pk}/tickets/{a['id']}/finish-and-call-next", **key)
    assert r.status_code == 200 and r.json()["id"] == b["id"] and r.json()["state"] == "called"
    r = post(client, f"{BASE}/windows/{h.w1.pk}/tickets/{b['id']}/finish-and-call-next", **key)
    assert r.status_code == 404 and r.json()["message_en"]
    assert client.get(f"{BASE}/tickets/{b['id']}").json()["state"] == "done"


# ------------------------------------------------------------------ the WSGI hot path


def _wsgi(path: str, key: dict | None = None, *, scheme: str = "http"):
    """POST through the project's WSGI application; (status, headers, JSON body)."""
    environ = RequestFactory().generic("POST", path, **(key or {})).environ
    environ["wsgi.url_scheme"] = scheme
    environ["wsgi.input"] = io.BytesIO(b"")
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = int(status[:3]), dict(headers)

    body = b"".join(application(environ, start_response))
    return got["status"], got["headers"], json.loads(body) if body else None


def _served_by_hot_path(monkeypatch) -> list:
    return record_served(monkeypatch, hotpath.HallHotPath)


@pytest.mark.django_db(transaction=True)
def test_hot_path_answers_like_the_api(client, open_hall, monkeypatch):
    h = open_hall
    key = auth(h.c1)
    seen = _served_by_hot_path(monkeypatch)
    t1 = services.ticket_issue(centre=h.centre, domain=h.a)
    t2 = services.ticket_issue(centre=h.centre, domain=h.a)
    status, headers, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/call-next", key)
    assert status == 200 and body["id"] == t1.pk and body["window"] == "1"
    # The same ticket read back through Django's API gives the same answer.
    assert client.get(f"{BASE}/tickets/{t1.pk}").json() == {**body, "ahead": 0, "estimated_wait_minutes": 0}
    from yichuang.hall.api import TicketOut
    assert set(body) == set(TicketOut.model_fields)
    # Headers as the middleware would set them.
    django_headers = post(client, f"{BASE}/windows/{h.w1.pk}/call-next", **key).headers  # 409: still active
    for name in ("Content-Type", "X-Frame-Options", "Content-Security-Policy", "Permissions-Policy",
                 "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "Cache-Control"):
        assert headers[name] == django_headers[name], name
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/tickets/{t1.pk}/finish-and-call-next", key)
    assert status == 200 and body["id"] == t2.pk
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/tickets/{t2.pk}/finish", key)
    assert status == 200 and body["state"] == "done"
    assert Ticket.objects.get(pk=t1.pk).state == TicketState.DONE
    assert _kinds(t1) == [EventKind.ISSUED, EventKind.CALLED, EventKind.STARTED, EventKind.FINISHED]
    # Business errors come back as the API's bilingual JSON.
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/call-next", key)
    assert status == 404 and body == {"code": "queue_empty", "message": "当前没有您可办理的等候号。",
                                      "message_en": body["message_en"]} and body["message_en"]
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/tickets/{t2.pk}/finish", key)
    assert status in (400, 409) and body["message"] and body["message_en"]
    for huge in ("999999999999999", "99999999999999999999"):  # past int4, and past the route's 15 digits
        status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/tickets/{huge}/finish", key)
        assert 400 <= status < 500 and body, (huge, status, body)
    applicant = h.clerk(domains=[h.a], role="applicant")
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/call-next", auth(applicant))
    assert status == 403 and body["message"] == "仅窗口、导服、出件人员或管理员可以操作。"
    from django.db import connection
    if connection.vendor == "postgresql":
        assert seen == [True] * len(seen) and len(seen) == 7  # the 20-digit id is Django's
    else:  # SQLite: Django answers everything, the same way
        assert seen == []


@pytest.mark.django_db(transaction=True)
def test_hot_path_hands_other_requests_to_django(open_hall, monkeypatch, settings):
    h = open_hall
    seen = _served_by_hot_path(monkeypatch)
    services.ticket_issue(centre=h.centre, domain=h.a)
    # No token (Django: a cookie-less POST fails its CSRF check) or an unknown one (Django's 401).
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/call-next")
    assert status == 403
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/call-next", {"HTTP_AUTHORIZATION": "Bearer nope"})
    assert status == 401 and body["message_en"] == "Log in or send a valid bearer token.", body
    # Other hall calls are Django's.
    status, _, _ = _wsgi(f"{BASE}/windows/{h.w1.pk}/tickets/1/recall", auth(h.c1))
    assert status == 404
    # HTTPS required: a plain-HTTP call goes to Django, whose SecurityMiddleware redirects it (that middleware
    # read the setting when the application was built, so here Django just answers).
    settings.SECURE_SSL_REDIRECT = True
    status, _, body = _wsgi(f"{BASE}/windows/{h.w1.pk}/call-next", auth(h.c1))
    assert status == 200 and body["number"] == "A001"
    from django.db import connection
    if connection.vendor == "postgresql":
        assert seen == [False]  # the unknown token; no token, recall and plain HTTP never reached it

"""The access matrix: every role × every action over the API and the pages.

Each combination runs in its own transaction on a fresh world: the case (or window, or ticket) is first brought,
through the services, into the state the action needs, so an *allowed* combination must really succeed and a
*forbidden* one must be refused — 403 (401 for anonymous API calls; pages send anonymous users to the login
page; the Django admin sends non-staff users to its own login page).

受审分离 (the receiving clerk may not accept or decide), department isolation, "supervisors read all and write
none" and "applicants see only their own cases" are all rows of this table.

Run ``uv run pytest tests/security/test_access_matrix.py -q -s`` to see the count of combinations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.cases.conftest import PNG, build_world, make_id, receive
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.hall import services as hall
from yichuang.hall.models import Ticket

ROLES = ["anonymous", "applicant", "applicant_other", "guide", "clerk", "approver", "approver_other", "issuer",
         "supervisor", "admin"]
PASSWORD = "secret-pass-1"
OWN_ID = make_id(7)  # the applicant "zhang" of build_world


# ---------------------------------------------------------------- the world


def matrix_world():
    w = build_world()
    mk = lambda name, role, **kw: acc.user_create(username=name, password=PASSWORD, role=role,  # noqa: E731
                                                  display_name=name, centre=w.centre, **kw)
    w.guide = mk("guide", Role.GUIDE)
    w.admin = mk("admin", Role.ADMIN, is_superuser=True)
    w.applicant_other = mk("li", Role.APPLICANT, id_number=make_id(8))
    w.actors = {"applicant": w.applicant, "applicant_other": w.applicant_other, "guide": w.guide, "clerk": w.clerk,
                "approver": w.approver, "approver_other": w.other_approver, "issuer": w.issuer,
                "supervisor": w.supervisor, "admin": w.admin}
    w.domain = w.matter.domain
    w.window = hall.window_create(actor=None, centre=w.centre, number="1")
    w.other_domain_window = None
    for user in (w.clerk2, w.guide, w.issuer, w.admin, w.clerk):
        hall.skill_set(user=user, domains=[w.domain], level="senior")
    return w


# case states, reached through the services (the case belongs to the applicant "zhang")

def c_received(w) -> Case:
    return receive(w, id_number=OWN_ID)


def c_received_tolerant(w) -> Case:
    return receive(w, id_number=OWN_ID, materials={"app": "provided", "id": "provided"})


def c_forwarded(w) -> Case:
    return cs.case_forward(case=c_received(w), actor=w.clerk)


def c_accepted(w) -> Case:
    return cs.case_accept(case=c_forwarded(w), actor=w.approver)


def c_suspended(w) -> Case:
    return cs.case_suspend(case=c_accepted(w), actor=w.approver, reason="site_inspection")


def c_approved(w) -> Case:
    return cs.case_approve(case=c_accepted(w), actor=w.approver, opinion="准予")


def c_ready(w) -> Case:
    return cs.case_mark_ready(case=c_approved(w), actor=w.issuer)


def c_needs_supplement(w) -> Case:
    case = c_received(w)
    cs.case_request_supplement(case=case, actor=w.clerk, due_date=dt.date.today() + dt.timedelta(days=10),
                               items=[{"code": "lease", "problem": "incorrect", "note": "过期"}])
    return Case.objects.get(pk=case.pk)


def c_immediate_forwarded(w) -> Case:
    case = receive(w, id_number=OWN_ID, matter_code="M-NOW", materials={"app": "provided"})
    return cs.case_forward(case=case, actor=w.clerk)


# hall states for the acting user (who must be signed in at the window for the window actions)

def h_free(w, actor):
    hall.ticket_issue(centre=w.centre, domain=w.domain) if False else None
    return None


def _signed_in(w, actor):
    user = actor if actor is not None and actor.role in (Role.CLERK, Role.GUIDE, Role.ISSUER, Role.ADMIN) else w.clerk
    hall.clerk_sign_in(window=w.window, clerk=user)
    return user


def h_waiting(w, actor):
    user = _signed_in(w, actor)
    hall.ticket_issue(centre=w.centre, domain=w.domain)
    return user


def h_called(w, actor):
    user = h_waiting(w, actor)
    return hall.ticket_call_next(window=w.window, clerk=user)


# ---------------------------------------------------------------- the actions

STAFF_READ = {"applicant", "guide", "clerk", "approver", "issuer", "supervisor", "admin"}
INBOX = {"guide", "clerk", "approver", "approver_other", "issuer", "supervisor", "admin"}
HALL = {"guide", "clerk", "issuer", "admin"}
ALL = set(ROLES)


@dataclass
class Action:
    name: str
    kind: str                      # api | page | admin
    method: str
    path: str                      # may contain {number}, {window}, {ticket}, {centre}
    allowed: set[str]
    setup: Callable | None = None  # case state builder
    hall: Callable | None = None   # hall state builder (w, actor) -> ticket/user
    body: Callable | dict | None = None
    multipart: bool = False
    check: Callable | None = None  # extra proof of success (w, ctx) -> None
    ok: tuple[int, ...] = (200, 201)
    extra: dict = field(default_factory=dict)


def _receive_body(w):
    return {"matter_code": "M-FOOD", "applicant_name": "张三", "id_number": OWN_ID, "contact_phone": "13800138000",
            "answers": {"kind": "first"}, "form_data": {"shop_name": "张三小吃"},
            "materials": {"app": "provided", "id": "provided", "lease": "provided"}}


def _state_is(state):
    def check(w, ctx):
        assert Case.objects.get(pk=ctx["case"].pk).state == state
    return check


FUTURE = (dt.date.today() + dt.timedelta(days=10)).isoformat()

ACTIONS = [
    # ---- case reads
    Action("api case detail", "api", "get", "/api/v1/cases/{number}", STAFF_READ, setup=c_received),
    Action("api case history", "api", "get", "/api/v1/cases/{number}/transitions", STAFF_READ, setup=c_received),
    Action("api inbox", "api", "get", "/api/v1/cases/inbox", INBOX, setup=c_received),
    Action("api public progress", "api", "get", "/api/v1/cases/progress?number={number}&last4=" + OWN_ID[-4:], ALL,
           setup=c_received, extra={"public": True}),
    # ---- case steps
    Action("api receive", "api", "post", "/api/v1/cases/", {"guide", "clerk"}, body=_receive_body),
    Action("api submit online", "api", "post", "/api/v1/cases/online", {"applicant", "guide", "clerk"},
           body=lambda w: {k: v for k, v in _receive_body(w).items()}),
    Action("api tick materials", "api", "post", "/api/v1/cases/{number}/materials",
           {"guide", "clerk", "approver", "issuer"}, setup=c_received, body={"materials": {"photo": "provided"}}),
    Action("api upload scan", "api", "post", "/api/v1/cases/{number}/materials/app/upload",
           {"applicant", "guide", "clerk", "approver", "issuer"}, setup=c_received, multipart=True),
    Action("api forward", "api", "post", "/api/v1/cases/{number}/forward", {"guide", "clerk"}, setup=c_received,
           body={}, check=_state_is("forwarded")),
    Action("api supplement request", "api", "post", "/api/v1/cases/{number}/supplement-request", {"guide", "clerk"},
           setup=c_received, body={"due_date": FUTURE, "items": [{"code": "lease", "problem": "missing"}]},
           check=_state_is("needs_supplement")),
    Action("api supplement", "api", "post", "/api/v1/cases/{number}/supplement",
           {"applicant", "guide", "clerk", "approver"}, setup=c_needs_supplement,
           body={"materials": {"lease": "provided"}}),
    Action("api tolerant", "api", "post", "/api/v1/cases/{number}/tolerant", {"guide", "clerk"},
           setup=c_received_tolerant, body={"items": ["lease"], "commitment": "承诺补交", "due_date": FUTURE},
           check=_state_is("forwarded")),
    Action("api accept", "api", "post", "/api/v1/cases/{number}/accept", {"approver"}, setup=c_forwarded, body={},
           check=_state_is("accepted")),
    Action("api not accept", "api", "post", "/api/v1/cases/{number}/not-accept", {"approver"}, setup=c_forwarded,
           body={"reason": "不属于本机关职权范围", "legal_basis": "《行政许可法》第三十二条"},
           check=_state_is("not_accepted")),
    Action("api suspend", "api", "post", "/api/v1/cases/{number}/suspend", {"approver"}, setup=c_accepted,
           body={"reason": "site_inspection"}, check=_state_is("suspended")),
    Action("api resume", "api", "post", "/api/v1/cases/{number}/resume", {"approver"}, setup=c_suspended,
           check=_state_is("accepted")),
    Action("api extend", "api", "post", "/api/v1/cases/{number}/extend", {"approver"}, setup=c_accepted,
           body={"days": 5, "approved_by": "super", "reason": "情况复杂"}),
    Action("api approve", "api", "post", "/api/v1/cases/{number}/approve", {"approver"}, setup=c_accepted,
           body={"opinion": "准予"}, check=_state_is("approved")),
    Action("api deny", "api", "post", "/api/v1/cases/{number}/deny", {"approver"}, setup=c_accepted,
           body={"opinion": "不符合条件", "legal_basis": "《食品经营许可管理办法》"}, check=_state_is("denied")),
    Action("api decide now", "api", "post", "/api/v1/cases/{number}/decide-now", {"approver"},
           setup=c_immediate_forwarded, body={"approve": True, "opinion": "准予"}, check=_state_is("approved")),
    Action("api ready", "api", "post", "/api/v1/cases/{number}/ready", {"clerk", "approver", "issuer"},
           setup=c_approved, check=_state_is("ready")),
    Action("api issue", "api", "post", "/api/v1/cases/{number}/issue", {"clerk", "issuer"}, setup=c_ready,
           body={"method": "window", "signed_by": "张三"}, check=_state_is("issued")),
    Action("api withdraw", "api", "post", "/api/v1/cases/{number}/withdraw", {"applicant", "clerk"},
           setup=c_received, body={"reason": "申请人撤回", "written_request": True}, check=_state_is("withdrawn")),
    # ---- hall console over the API
    Action("api window sign-in", "api", "post", "/api/v1/hall/windows/{window}/sign-in", HALL),
    Action("api call next", "api", "post", "/api/v1/hall/windows/{window}/call-next", HALL, hall=h_waiting),
    Action("api recall", "api", "post", "/api/v1/hall/windows/{window}/tickets/{ticket}/recall", HALL, hall=h_called),
    Action("api no-show", "api", "post", "/api/v1/hall/windows/{window}/tickets/{ticket}/no-show", HALL,
           hall=h_called),
    Action("api start service", "api", "post", "/api/v1/hall/windows/{window}/tickets/{ticket}/start", HALL,
           hall=h_called),
    Action("api finish", "api", "post", "/api/v1/hall/windows/{window}/tickets/{ticket}/finish", HALL,
           hall=h_called),
    Action("api pause window", "api", "post", "/api/v1/hall/windows/{window}/state", HALL, hall=_signed_in,
           body={"state": "paused"}),
    Action("api hall stats", "api", "get", "/api/v1/hall/centres/{centre}/stats", HALL | {"supervisor"}),
    # ---- pages
    Action("page inbox", "page", "get", "/cases/inbox/", INBOX, setup=c_received),
    Action("page case", "page", "get", "/cases/{number}/", STAFF_READ, setup=c_received),
    Action("page receive", "page", "get", "/cases/receive/", {"guide", "clerk"}),
    Action("page hall console", "page", "get", "/hall/console/", HALL),
    Action("page console call next", "page", "post", "/hall/console/action/", HALL, hall=h_waiting,
           body={"action": "call_next"}, ok=(302,),
           check=lambda w, ctx: Ticket.objects.get(state="called")),
    Action("page hall stats", "page", "get", "/hall/stats/", {"supervisor", "admin"}),
    Action("admin index", "admin", "get", "/admin/", {"admin"}),
    Action("admin audit trail", "admin", "get", "/admin/audit/auditevent/", {"admin"}),
    Action("admin users", "admin", "get", "/admin/accounts/user/", {"admin"}),
]

COMBINATIONS = [(role, action) for action in ACTIONS for role in ROLES]


def test_matrix_size():
    n = len(COMBINATIONS)
    allowed = sum(1 for role, a in COMBINATIONS if role in a.allowed)
    print(f"\naccess matrix: {len(ROLES)} roles × {len(ACTIONS)} actions = {n} combinations "
          f"({allowed} allowed, {n - allowed} forbidden)")
    assert n == len(ROLES) * len(ACTIONS)


@pytest.fixture
def mw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return matrix_world()


@pytest.mark.parametrize(("role", "action"), COMBINATIONS, ids=[f"{a.name}|{r}" for r, a in COMBINATIONS])
def test_access(mw, role, action: Action):
    w = mw
    actor = w.actors.get(role)
    ctx: dict = {}
    fmt = {"centre": w.centre.code, "window": w.window.pk}
    if action.setup:
        ctx["case"] = action.setup(w)
        fmt["number"] = ctx["case"].number
    if action.hall:
        result = action.hall(w, actor)
        if isinstance(result, Ticket):
            fmt["ticket"] = result.pk
    path = action.path.format(**fmt)

    client = Client()
    headers = {}
    if actor is not None:
        if action.kind == "api":
            _, key = acc.token_issue(username=actor.username, password=PASSWORD)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        else:
            client.force_login(actor)

    body = action.body(w) if callable(action.body) else action.body
    if action.method == "get":
        r = client.get(path, **headers)
    elif action.multipart:
        r = client.post(path, {"file": SimpleUploadedFile("scan.png", PNG, content_type="image/png")}, **headers)
    elif action.kind == "api":
        r = client.post(path, body or {}, content_type="application/json", **headers)
    else:
        r = client.post(path, body or {}, **headers)

    allowed = role in action.allowed
    detail = f"{action.name} as {role}: {r.status_code} {r.content[:300]!r}"
    if allowed:
        assert r.status_code in action.ok, detail
        if action.kind == "page" and action.method == "post":
            # the console reports refusals as messages on a redirect: prove the effect happened
            pass
        if action.check:
            action.check(w, ctx)
    elif role == "anonymous" and not action.extra.get("public"):
        if action.kind == "api":
            assert r.status_code == 401, detail
        elif action.kind == "admin":
            assert r.status_code == 302 and "/admin/login/" in r["Location"], detail
        else:
            assert r.status_code == 302 and "/accounts/login/" in r["Location"], detail
    elif action.kind == "admin":
        assert r.status_code in (302, 403), detail
        if r.status_code == 302:
            assert "/admin/login/" in r["Location"], detail
    else:
        assert r.status_code == 403, detail

"""A client generated from the committed docs/openapi.json alone runs the front desk against a live server.

``openapi-python-client`` (a dev dependency) writes a Python client into a temporary directory from nothing but
``docs/openapi.json``; the test imports it and, over HTTP against ``live_server``, gets tokens, finds centre 500107
and its domain and window ids through the API, signs in at the window, takes a kiosk ticket, calls it, receives a
case for the demo's 食品经营许可 with that ticket, forwards it, links it to the ticket, and has a different user (受审分离)
accept and approve it. Generation takes about 2 s; the whole test well under a minute.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.apis.conftest import food_matter
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.catalog import services as cat
from yichuang.hall import services as hall

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
PASSWORD = "secret-pass-1"
PACKAGE = "yc_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    """The client package generated from docs/openapi.json, imported; its operation modules by operationId."""
    out = tmp_path_factory.mktemp("client")
    config = out / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # no formatter run: offline and fast
    run = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", str(SCHEMA),
                          "--meta", "none", "--output-path", str(out / PACKAGE), "--config", str(config)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(out))
    try:
        modules = {p.stem: importlib.import_module(f"{PACKAGE}.api.{p.parent.name}.{p.stem}")
                   for p in (out / PACKAGE / "api").glob("*/*.py") if p.stem != "__init__"}
        yield {"ops": modules, "client": importlib.import_module(f"{PACKAGE}.client"),
               "models": importlib.import_module(f"{PACKAGE}.models")}
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def centre_500107(transactional_db, settings):
    """A small demo-like centre: 九龙坡区 (500107), 市场监管局 with an A-post approver, a window clerk skilled for
    企业事务, one window, the demo's 食品经营许可."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    centre = acc.centre_create(code="500107", name="九龙坡区政务服务中心", level="county")
    dept = acc.department_create(code="SCJG", name="市场监管局", centre=centre)
    clerk = acc.user_create(username="clerk", password=PASSWORD, role=Role.CLERK, display_name="李晓燕",
                            centre=centre)
    acc.user_create(username="approver_scj", password=PASSWORD, role=Role.APPROVER, display_name="陈静",
                    centre=centre, department=dept, post=Post.A)
    domain = cat.domain_save(code="enterprise", name="企业事务", ticket_prefix="Q")
    matter = food_matter()
    hall.skill_set(user=clerk, domains=[domain], level="senior")
    hall.window_create(actor=None, centre=centre, number="1", domains=[domain])
    return matter


def _json(response) -> dict:
    assert response.status_code < 300, (response.status_code, response.content[:500])
    return json.loads(response.content)


def test_generated_client_takes_a_ticket_receives_and_approves_a_case(generated, centre_500107, live_server):
    ops, models = generated["ops"], generated["models"]
    Client, AuthenticatedClient = generated["client"].Client, generated["client"].AuthenticatedClient
    anonymous = Client(base_url=live_server.url, raise_on_unexpected_status=False)

    def login(username: str):
        token = ops["accounts_obtain_token"].sync(client=anonymous,
                                                  body=models.TokenIn(username=username, password=PASSWORD))
        assert token is not None and token.username == username
        return AuthenticatedClient(base_url=live_server.url, token=token.token)

    clerk, approver = login("clerk"), login("approver_scj")

    # The hall through the API alone: the centre by its code, its domains and windows with their ids.
    centres = ops["hall_centres_list"].sync(client=anonymous)
    assert [c.code for c in centres] == ["500107"]
    centre = ops["hall_centre_detail"].sync(client=anonymous, centre_code="500107")
    domain = next(d for d in centre.domains if d.name == "企业事务")
    window = centre.windows[0]
    assert domain.open_windows == 0
    unknown = ops["hall_centre_detail"].sync_detailed(client=anonymous, centre_code="999999")
    assert unknown.status_code == 404 and json.loads(unknown.content)["code"] == "not_found"

    signed_in = ops["hall_window_sign_in"].sync(client=clerk, window_id=window.id)
    assert signed_in.state == "open" and domain.id in signed_in.domain_ids

    # 取号 at the kiosk, 叫号 at the window.
    taken = ops["hall_ticket_issue"].sync_detailed(
        client=anonymous, body=models.TicketIn(centre_id=centre.id, domain_id=domain.id))
    assert taken.status_code == 201, taken.content
    ticket = taken.parsed
    assert ticket.number == "Q001" and ticket.state == "waiting"
    called = ops["hall_call_next"].sync(client=clerk, window_id=window.id)
    assert called.id == ticket.id and called.state == "called" and called.window == window.number

    # 收件 for the demo's 食品经营许可 with that ticket, then 流转.
    example = models.ReceiveIn.from_dict(json.loads(SCHEMA.read_text(encoding="utf-8"))
                                         ["components"]["schemas"]["ReceiveIn"]["examples"][0])
    example.ticket_number = ticket.number
    case = _json(ops["cases_receive"].sync_detailed(client=clerk, body=example))
    assert case["state"] == "received" and case["matter_code"] == centre_500107.implementation_code
    number = case["number"]
    linked = ops["hall_link_case"].sync(client=clerk, window_id=window.id, ticket_id=ticket.id,
                                        body=models.LinkIn(case_number=number))
    assert linked.case_numbers == [number]
    forwarded = _json(ops["cases_forward"].sync_detailed(client=clerk, number=number,
                                                         body=models.ReasonIn(reason="材料齐全，予以流转")))
    assert forwarded["state"] == "forwarded"

    # 受审分离: the receiving clerk may not accept; the department's approver accepts and approves.
    refused = ops["cases_accept"].sync_detailed(client=clerk, number=number, body=models.ReasonIn())
    assert refused.status_code == 403
    accepted = _json(ops["cases_accept"].sync_detailed(client=approver, number=number, body=models.ReasonIn()))
    assert accepted["state"] == "accepted"
    approved = _json(ops["cases_approve"].sync_detailed(
        client=approver, number=number,
        body=models.CaseDecisionIn(opinion="申请材料齐全，符合法定条件，准予许可。",
                                   legal_basis="《中华人民共和国行政许可法》第三十八条")))
    assert approved["state"] == "approved"
    history = _json(ops["cases_transitions"].sync_detailed(client=approver, number=number))
    assert [h["to_state"] for h in history][-4:] == ["received", "forwarded", "accepted", "approved"]

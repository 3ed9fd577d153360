"""The demo as a new user meets it (issue 19, items 8 and 10f): the README says what the demo holds, case histories
run forward in time, every approver has work, the inboxes show green, yellow and red, the applicants look real, and
QR codes point at the address the demo serves.

The demo is loaded once for this module, inside a transaction rolled back at the end."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from yichuang.accounts.models import Department, User
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.cases import selectors
from yichuang.cases.models import Case
from yichuang.catalog.models import LicenceType, Matter, WindowDomain
from yichuang.core.errors import PermissionDeniedError
from yichuang.core.validators import validate_credit_code, validate_id_number
from yichuang.demo import org

README = Path(__file__).resolve().parents[2] / "README.md"
PORT = 8107
MOBILE = re.compile(r"^1(3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}$")
PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo for the whole module (the password hasher made fast), rolled back afterwards; the public URL the
    command sets is put back too."""
    from django.conf import settings

    saved_env, saved_url = os.environ.pop("YICHUANG_PUBLIC_URL", None), settings.YICHUANG_PUBLIC_URL
    out = io.StringIO()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("demo", "--no-serve", "--skip-migrate", "--port", str(PORT), stdout=out)
        public_url = settings.YICHUANG_PUBLIC_URL
        yield {"output": out.getvalue(), "public_url": public_url}
        transaction.set_rollback(True)
    settings.YICHUANG_PUBLIC_URL = saved_url
    os.environ.pop("YICHUANG_PUBLIC_URL", None)
    if saved_env is not None:
        os.environ["YICHUANG_PUBLIC_URL"] = saved_env


pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the README says what the demo holds


def _readme_demo_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## 演示中心 The demo centre", 1)[1].split("\n## ", 1)[0]


def test_readme_counts_match_the_demo(demo):
    section = " ".join(_readme_demo_section().split())
    said = {what: int(n) for n, what in re.findall(
        r"(\d+) (departments|window domains|licence types|real matters)", section)}
    assert said == {
        "departments": Department.objects.count(),
        "window domains": WindowDomain.objects.count(),
        "licence types": LicenceType.objects.count(),
        "real matters": Matter.objects.filter(is_active=True).count(),
    }


def test_readme_logins_table_matches_the_demo(demo):
    rows = [line for line in _readme_demo_section().splitlines() if line.startswith("| `")]
    table: dict[str, str] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for login in re.findall(r"`([a-z0-9_]+)`", cells[0]):
            table[login] = cells[1]
    users = {u.username: u for u in User.objects.all()}
    assert set(table) == set(users) == {u[0] for u in org.USERS}
    for login, role in table.items():
        assert users[login].role in role.split(), (login, role, users[login].role)
    assert f"`{org.DEMO_PASSWORD}`" in _readme_demo_section()


# ---------------------------------------------------------------- histories run forward in time


def test_every_case_history_runs_forward_and_not_past_now(demo):
    now = timezone.now()
    cases = list(Case.objects.prefetch_related("transitions", "notices"))
    assert len(cases) >= 40
    order = ["received", "submitted", "forwarded", "accepted", "suspended", "approved", "denied", "ready", "issued",
             "closed"]
    for case in cases:
        steps = sorted(case.transitions.all(), key=lambda t: t.id)
        times = [t.at for t in steps]
        assert times == sorted(times), (case.number, [(t.to_state, t.at) for t in steps])
        assert all(t <= now for t in times), case.number
        assert case.received_at == times[0] and case.received_at <= now
        states = [t.to_state for t in steps]
        assert [s for s in order if s in states] == [s for s in states if s in order], (case.number, states)
        if case.accepted_at:
            accepted = next(t.at for t in steps if t.to_state == "accepted")
            assert timezone.localtime(accepted).date() == case.accepted_at
        if case.decided_at:
            assert case.received_at <= case.decided_at <= now
        # The case number carries the day it was received.
        assert case.number[len(case.centre.code):][:8] == f"{timezone.localtime(case.received_at):%Y%m%d}"
        for notice in case.notices.all():
            assert case.received_at <= notice.created_at <= now


def test_the_audit_chain_runs_forward_and_verifies(demo):
    now = timezone.now()
    times = list(AuditEvent.objects.order_by("id").values_list("at", flat=True))
    assert times and times == sorted(times) and times[-1] <= now
    assert audit_verify()[0]
    # Each case's own audit events too.
    for case in Case.objects.all()[:80]:
        own = list(AuditEvent.objects.filter(object_type="cases.case", object_id__in=[str(case.pk), case.number])
                   .order_by("seq").values_list("at", flat=True))
        assert own == sorted(own)
        assert own and own[0] >= case.received_at - dt.timedelta(seconds=1)


# ---------------------------------------------------------------- every approver has work, in every light


def _approvers():
    return list(User.objects.filter(role="approver").order_by("username"))


def _may_act(user, case) -> bool:
    """What the case page offers the user, and the service's own department and A/B-post check agrees."""
    from yichuang.cases.services import _check_department

    if not selectors.case_actions(user=user, case=case):
        return False
    try:
        _check_department(case=case, actor=user)
    except PermissionDeniedError:
        return False
    return True


def test_every_approver_has_cases_to_work(demo):
    for user in _approvers():
        rows = selectors.case_inbox(user=user, limit=50)
        cases = [Case.objects.get(number=r["number"]) for r in rows]
        assert cases, f"{user.username}: empty inbox"
        offered = [c for c in cases if selectors.case_actions(user=user, case=c)]
        assert offered, f"{user.username}: nothing the page offers"
        if user.post != "B":   # post B acts only while post A is away, and sees the same cases
            assert any(_may_act(user, c) for c in offered), f"{user.username}: nothing the services allow"
    scj = User.objects.get(username="approver_scj")
    states = {r["state"] for r in selectors.case_inbox(user=scj, limit=50)}
    assert {"forwarded", "accepted"} <= states


def test_no_case_is_left_stuck_by_a_step_that_failed(demo):
    """Cases waiting for acceptance were received lately; the rest of the history went to its end."""
    from yichuang.workcal.workdays import workdays_between

    today = timezone.localdate()
    for case in Case.objects.filter(state__in=["received", "submitted", "forwarded"]):
        assert workdays_between(timezone.localtime(case.received_at).date(), today).value <= 3, case.number


def test_the_issuance_window_has_results_to_hand_over(demo):
    issuer = User.objects.get(username="issuer")
    rows = selectors.case_inbox(user=issuer, state="ready", limit=10)
    assert rows and "issue" in selectors.case_actions(user=issuer, case=Case.objects.get(number=rows[0]["number"]))


def test_inboxes_show_green_yellow_and_red(demo):
    seen = Counter()
    for user in _approvers():
        lights = {r["light"] for r in selectors.case_inbox(user=user, limit=50)}
        seen.update(lights - {None})
        for colour in ("green", "yellow", "red"):
            filtered = selectors.case_inbox(user=user, light_filter=colour, limit=50)
            assert all(r["light"] == colour for r in filtered)
            assert bool(filtered) == (colour in lights), (user.username, colour)
    assert {"green", "yellow", "red"} <= set(seen)
    scj = {r["light"] for r in selectors.case_inbox(user=User.objects.get(username="approver_scj"), limit=50)}
    assert {"green", "yellow", "red"} <= scj


def test_the_inbox_page_shows_the_lights(demo, client):
    client.force_login(User.objects.get(username="approver_ga"))
    html = client.get("/cases/inbox/").content.decode()
    for colour in ("green", "yellow", "red"):
        assert f'class="light light-{colour}"' in html, colour


# ---------------------------------------------------------------- applicants look real


def test_applicants_have_real_looking_names_ids_and_phones(demo):
    cases = list(Case.objects.all())
    names = [c.applicant_name for c in cases]
    assert not [n for n in names if re.search(r"申请人|演示|\d", n)], names
    assert len(set(names)) >= len(names) * 0.8
    people = [c for c in cases if c.applicant_kind == "person"]
    companies = [c for c in cases if c.applicant_kind == "company"]
    assert people and companies
    for c in people:
        assert PERSON_NAME.match(c.applicant_name), c.applicant_name
        assert validate_id_number(c.applicant_id_number) == c.applicant_id_number
    for c in companies:
        assert c.applicant_name.endswith("有限公司") and validate_credit_code(c.applicant_credit_code)
        assert PERSON_NAME.match(c.contact_name)
    phones = [c.contact_phone for c in cases]
    assert all(MOBILE.match(p) for p in phones), phones
    assert len(set(phones)) >= len(phones) * 0.8
    # The ID numbers' sexes and birth years vary like a town's.
    ids = [c.applicant_id_number for c in people]
    assert len({int(i[16]) % 2 for i in ids}) == 2 and len({i[6:10] for i in ids}) >= 8


def test_the_demo_applicant_has_cases_of_her_own(demo):
    me = User.objects.get(username="applicant")
    mine = selectors.cases_of_applicant(user=me)
    assert {c.state for c in mine} >= {"submitted"} and len(mine) >= 2


# ---------------------------------------------------------------- QR codes point where the demo is served


def test_the_public_url_follows_host_and_port(demo):
    assert demo["public_url"] == f"http://127.0.0.1:{PORT}"
    assert f"http://127.0.0.1:{PORT}/cases/inbox/" in demo["output"]


def test_an_explicit_public_url_wins(monkeypatch, settings):
    from yichuang.demo.management.commands.demo import public_url_from, served_url

    monkeypatch.setenv("YICHUANG_PUBLIC_URL", "https://zwfw.example.cn")
    settings.YICHUANG_PUBLIC_URL = "https://zwfw.example.cn"
    assert public_url_from("127.0.0.1", 9000) == "https://zwfw.example.cn"
    assert settings.YICHUANG_PUBLIC_URL == "https://zwfw.example.cn"
    assert served_url("0.0.0.0", 8080).endswith(":8080") and "0.0.0.0" not in served_url("0.0.0.0", 8080)
    assert served_url("::1", 8000) == "http://[::1]:8000"

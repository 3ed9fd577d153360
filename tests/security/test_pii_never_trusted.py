"""Finding 4: a value that looks like ciphertext is the application's data, encrypted like any other; a row whose
stored value does not decrypt is skipped (and logged) by the jobs, which go on with the other cases."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.cases.conftest import accepted_case, build_world, receive
from yichuang.accounts.services import token_issue
from yichuang.cases import services as cs
from yichuang.cases.constants import CaseState as S
from yichuang.cases.models import Case
from yichuang.core import crypto
from yichuang.hall.models import Ticket
from yichuang.supervision.services import tick
from yichuang.workcal.workdays import add_workdays

LOOKS_LIKE = "enc:zz:AAAA"


@pytest.fixture
def w(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _raw(pk: int, column: str) -> str:
    with connection.cursor() as cur:
        cur.execute(f'SELECT "{column}" FROM cases_case WHERE id = %s', [pk])
        return cur.fetchone()[0]


def test_encrypt_never_trusts_a_string_that_looks_like_ciphertext():
    token = crypto.encrypt(LOOKS_LIKE, kind="phone")
    assert token != LOOKS_LIKE and token.startswith(f"enc:{crypto.current_key_id()}:")
    assert crypto.decrypt(token, kind="phone") == LOOKS_LIKE
    assert crypto.encrypt(token, kind="phone") == token  # what encrypt returned is a Ciphertext: not twice
    assert crypto.encrypt(str(token), kind="phone") != token  # a plain string of it is data like any other
    assert crypto.decrypt(crypto.encrypt(str(token), kind="phone"), kind="phone") == str(token)


def test_a_phone_typed_as_ciphertext_round_trips_on_the_page_and_the_api(client, w):
    case = receive(w, contact_phone=LOOKS_LIKE)
    assert _raw(case.pk, "contact_phone") != LOOKS_LIKE
    assert Case.objects.get(pk=case.pk).contact_phone == LOOKS_LIKE
    assert Case.objects.filter(contact_phone=LOOKS_LIKE).count() == 1
    client.force_login(w.clerk)
    assert client.get(f"/cases/{case.number}/").status_code == 200
    w.clerk.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='clerk', password='secret-pass-1')[1]}"}
    assert client.get(f"/api/v1/cases/{case.number}", **auth).status_code == 200
    r = client.post(f"/api/v1/cases/{case.number}/pii", {"reason": "核对"}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["contact_phone"] == LOOKS_LIKE
    assert crypto.current_key_id() in _raw(case.pk, "contact_phone")


def test_a_ticket_id_typed_as_ciphertext_is_encrypted(w):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    field = Ticket._meta.get_field("id_number")
    stored = field.get_prep_value(LOOKS_LIKE)
    assert stored != LOOKS_LIKE and field.from_db_value(stored, None, connection) == LOOKS_LIKE


def _corrupt(pk: int) -> None:
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_case SET contact_phone = %s WHERE id = %s", [LOOKS_LIKE, pk])


def test_the_five_day_rule_skips_an_unreadable_case_and_goes_on(w, caplog):
    bad = receive(w, seq=1)
    good = receive(w, seq=2)
    _corrupt(bad.pk)
    with pytest.raises(crypto.UnreadableValue):
        Case.objects.get(pk=bad.pk)
    last_day = add_workdays(timezone.localdate(good.received_at), 5).value
    with caplog.at_level(logging.ERROR):
        done = cs.apply_five_day_rule(today=last_day + dt.timedelta(days=1))
    assert [c.pk for c in done] == [good.pk]
    assert Case.objects.get(pk=good.pk).state == S.ACCEPTED
    assert any(str(bad.pk) in r.getMessage() and "decrypt" in r.getMessage() for r in caplog.records)


def test_case_jobs_and_tick_exit_normally_past_an_unreadable_case(w, caplog):
    bad = receive(w, seq=1)
    good = receive(w, seq=2)
    _corrupt(bad.pk)
    day = add_workdays(timezone.localdate(good.received_at), 6).value
    out = io.StringIO()
    call_command("case_jobs", "--date", day.isoformat(), stdout=out)
    assert "视为受理 deemed accepted: 1" in out.getvalue()
    assert Case.objects.get(pk=good.pk).state == S.ACCEPTED
    # tick passes an unreadable accepted case (its lights, ratings, rollups) and still turns the others' lights
    late = accepted_case(w, seq=3)
    other = accepted_case(w, seq=4)
    _corrupt(late.pk)
    result = tick(today=other.due_date + dt.timedelta(days=3))
    assert result["lights"]["red"] >= 1

"""ID and phone numbers are encrypted at rest, found by exact number, and re-encrypted by key rotation."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from tests.cases.conftest import build_world, make_id, receive
from yichuang.accounts.models import User
from yichuang.cases import selectors
from yichuang.cases.models import Case
from yichuang.core import crypto
from yichuang.core.fields import reencrypt


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        return cur.fetchone()[0]


def _key() -> str:
    return base64.b64encode(os.urandom(64)).decode()


@pytest.fixture
def w(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def test_numbers_are_ciphertext_in_the_database(w):
    case = receive(w, seq=7)  # the applicant zhang's own ID number
    number, phone = make_id(7), "13800138000"
    for table, column, pk in (("cases_case", "applicant_id_number", case.pk), ("cases_case", "contact_phone", case.pk),
                              ("accounts_user", "id_number", w.applicant.pk)):
        raw = _raw(table, column, pk)
        assert raw.startswith(f"enc:{crypto.current_key_id()}:"), raw
        assert number not in raw and phone not in raw and number[-4:] not in raw
    case = Case.objects.get(pk=case.pk)
    assert case.applicant_id_number == number and case.contact_phone == phone
    # found by the exact number (deterministic encryption), as the applicant's own-case list does
    assert [c.number for c in selectors.cases_of_applicant(user=w.applicant)] == [case.number]
    assert Case.objects.filter(applicant_id_number=number).count() == 1
    assert Case.objects.filter(applicant_id_number__in=[number, make_id(8)]).count() == 1
    with pytest.raises(FieldError):
        Case.objects.filter(applicant_id_number__startswith="110").count()


def test_kind_is_bound_and_tampering_is_detected():
    token = crypto.encrypt("13800138000", kind="phone")
    with pytest.raises(Exception):
        crypto.decrypt(token, kind="id_number")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(Exception):
        crypto.decrypt(flipped, kind="phone")


def test_legacy_plaintext_is_read_and_encrypted(w):
    with connection.cursor() as cur:
        cur.execute('UPDATE accounts_user SET phone = %s WHERE id = %s', ["13900000000", w.clerk.pk])
    assert User.objects.get(pk=w.clerk.pk).phone == "13900000000"
    seen, done = reencrypt(User)
    assert done == 1 and seen == User.objects.count()
    assert _raw("accounts_user", "phone", w.clerk.pk).startswith("enc:")
    assert User.objects.get(pk=w.clerk.pk).phone == "13900000000"


def test_key_rotation(db, settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", f"k1:{_key()}")
    k1 = os.environ["YICHUANG_FIELD_KEYS"]
    w = build_world()
    case = receive(w, seq=3)
    assert _raw("cases_case", "applicant_id_number", case.pk).startswith("enc:k1:")

    monkeypatch.setenv("YICHUANG_FIELD_KEYS", f"k2:{_key()},{k1}")
    assert Case.objects.get(pk=case.pk).applicant_id_number == make_id(3)  # old key still reads
    out = io.StringIO()
    call_command("pii", "rotate", stdout=out)
    assert "cases.Case: 1 of 1 rows re-encrypted under key 'k2'" in out.getvalue()
    assert f"accounts.User: 1 of {User.objects.count()} rows re-encrypted" in out.getvalue()  # only zhang has numbers
    assert _raw("cases_case", "applicant_id_number", case.pk).startswith("enc:k2:")

    monkeypatch.setenv("YICHUANG_FIELD_KEYS", os.environ["YICHUANG_FIELD_KEYS"].split(",")[0])  # k1 retired
    assert Case.objects.get(pk=case.pk).applicant_id_number == make_id(3)
    assert Case.objects.filter(applicant_id_number=make_id(3)).exists()
    status = io.StringIO()
    call_command("pii", "status", stdout=status)
    assert "cases.Case (applicant_id_number, contact_phone, agent_id_number): k2: 2" in status.getvalue()
    assert "PLAINTEXT" not in status.getvalue()

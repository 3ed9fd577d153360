"""The copies of ID and phone numbers outside cases are encrypted at rest, masked where shown, found by the exact
number, and the rows written before are encrypted by a data migration (issue 21, finding 2): bundle cases, the
e-licence library, the notification outbox, complaints (办不成事/热线工单) and door-to-door bookings (入户直通车)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from tests.licences.licence_world import build_licence_world
from yichuang.accounts.services import user_create
from yichuang.core.validators import id_number_check_char
from yichuang.licences import selectors as licence_selectors
from yichuang.licences import services as licence_services
from yichuang.licences.models import ELicence
from yichuang.notify.backends import Message, SmsBackend
from yichuang.notify.models import Notification
from yichuang.notify.services import notify_send

PERSON_ID = "50010719850615231" + id_number_check_char("50010719850615231")
PHONE = "13912345678"


def _raw(model, pk, column: str):
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE id = %s", [pk])
        return cur.fetchone()[0]


def _set_raw(model, pk, **values) -> None:
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in values)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE id = %s", [*values.values(), pk])


def _assert_ciphertext(raw: str, *plain: str) -> None:
    assert raw.startswith("enc:"), raw
    for p in plain:
        assert p not in raw and p[-4:] not in raw, raw


def _migrate(app: str, name: str, func: str = "encrypt_existing") -> None:
    """Run one data migration's forward function on this database (the models are the current ones)."""
    module = importlib.import_module(f"yichuang.{app}.migrations.{name}")
    getattr(module, func)(django_apps, SimpleNamespace(connection=connection))


@pytest.fixture
def lw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_licence_world()


@pytest.fixture
def admin_client(client, lw):
    client.force_login(user_create(username="root", password="secret-pass-1", role="admin", centre=lw.centre,
                                   is_superuser=True))
    return client


# ---------------------------------------------------------------- the e-licence library


def _person_licence(lw) -> ELicence:
    return licence_services.licence_issue(licence_type="YYZZ", holder_kind="person", holder_name="张三",
                                          holder_identifier=PERSON_ID)


def test_licence_holder_identifier_is_ciphertext_and_found_by_exact_number(lw):
    lic = _person_licence(lw)
    _assert_ciphertext(_raw(ELicence, lic.pk, "holder_identifier"), PERSON_ID)
    assert ELicence.objects.get(pk=lic.pk).holder_identifier == PERSON_ID
    assert licence_selectors.licence_types_held(identifier=PERSON_ID) == {"YYZZ"}
    assert licence_selectors.licence_current(identifier=PERSON_ID, type_code="YYZZ").pk == lic.pk
    found = licence_selectors.licence_search(user=lw.clerk, q=PERSON_ID)
    assert [r["number"] for r in found] == [lic.number]
    assert found[0]["holder_identifier"] == PERSON_ID[:3] + "*" * 11 + PERSON_ID[-4:]


def test_licence_admin_masks_and_searches_the_exact_identifier(lw, admin_client):
    lic = _person_licence(lw)
    listing = admin_client.get("/admin/licences/elicence/")
    assert listing.status_code == 200 and PERSON_ID not in listing.content.decode()
    found = admin_client.get("/admin/licences/elicence/", {"q": PERSON_ID})  # the exact number finds it
    assert found.status_code == 200 and lic.number in found.content.decode()
    assert lic.number not in admin_client.get("/admin/licences/elicence/", {"q": "nobody"}).content.decode()
    page = admin_client.get(f"/admin/licences/elicence/{lic.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert PERSON_ID not in body and PERSON_ID[:3] + "*" * 11 + PERSON_ID[-4:] in body


def test_licence_migration_encrypts_plaintext_rows(lw):
    lic = _person_licence(lw)
    _set_raw(ELicence, lic.pk, holder_identifier=PERSON_ID)
    _migrate("licences", "0002_encrypt_holder_identifier")
    _assert_ciphertext(_raw(ELicence, lic.pk, "holder_identifier"), PERSON_ID)
    assert licence_selectors.licence_types_held(identifier=PERSON_ID) == {"YYZZ"}


# ---------------------------------------------------------------- the notification outbox

SENT: list[tuple[str, str]] = []


class RecordingSms(SmsBackend):
    name = "recording"

    def send_sms(self, *, phone: str, text: str) -> str:
        SENT.append((phone, text))
        return "ok"


@pytest.fixture
def recording(settings):
    settings.YICHUANG_NOTIFY_BACKENDS = [f"{__name__}.RecordingSms", "yichuang.notify.backends.EmailBackend"]
    SENT.clear()
    return SENT


CASE_NUMBER = "500107202612020007"


def _message() -> Message:
    return Message(event="accepted", subject=f"已受理（{CASE_NUMBER}）",
                   body=f"张三（身份证号{PERSON_ID}，电话{PHONE}）：您的办件（办件编号{CASE_NUMBER}）已受理。",
                   phone=PHONE, email="zhang.san@example.com", case_number=CASE_NUMBER)


def test_outbox_keeps_no_full_number(db, recording):
    rows = notify_send(message=_message())
    assert recording == [(PHONE, _message().body)]  # the message went out in full
    sms = next(r for r in rows if r.channel == "sms")
    email = next(r for r in rows if r.channel == "email")
    _assert_ciphertext(_raw(Notification, sms.pk, "recipient"), PHONE)
    _assert_ciphertext(_raw(Notification, email.pk, "recipient"), "zhang.san@example.com")
    for row in rows:
        body, subject = _raw(Notification, row.pk, "body"), _raw(Notification, row.pk, "subject")
        assert PERSON_ID not in body and PHONE not in body
        assert "500***********" + PERSON_ID[-4:] in body and "139****5678" in body
        assert f"办件编号{CASE_NUMBER}" in body and CASE_NUMBER in subject  # the case number stays readable
    assert Notification.objects.get(pk=sms.pk).recipient == PHONE
    assert Notification.objects.filter(recipient=PHONE).count() == 1
    assert str(sms).endswith("139****5678") and sms.masked_recipient == "139****5678"
    assert email.masked_recipient == "z***@example.com"


def test_outbox_error_is_masked(db, settings):
    settings.YICHUANG_NOTIFY_BACKENDS = [f"{__name__}.FailingSms"]
    (row,) = notify_send(message=_message())
    assert row.status == "failed" and PHONE not in _raw(Notification, row.pk, "error")
    assert "139****5678" in row.error


class FailingSms(SmsBackend):
    name = "failing"

    def send_sms(self, *, phone: str, text: str) -> str:
        raise RuntimeError(f"gateway refused {phone}")


def test_outbox_admin_masks_and_finds_the_exact_phone(lw, admin_client, recording):
    rows = notify_send(message=_message())
    sms = next(r for r in rows if r.channel == "sms")
    listing = admin_client.get("/admin/notify/notification/")
    assert listing.status_code == 200
    assert PHONE not in listing.content.decode() and "139****5678" in listing.content.decode()
    found = admin_client.get("/admin/notify/notification/", {"q": PHONE})
    assert found.status_code == 200 and f"/admin/notify/notification/{sms.pk}/change/" in found.content.decode()
    assert f"/{sms.pk}/change/" not in admin_client.get("/admin/notify/notification/",
                                                        {"q": "13900000000"}).content.decode()
    page = admin_client.get(f"/admin/notify/notification/{sms.pk}/change/")
    assert page.status_code == 200
    assert PHONE not in page.content.decode() and PERSON_ID not in page.content.decode()
    assert "139****5678" in page.content.decode()


def test_outbox_migration_encrypts_recipients_and_masks_bodies(db, recording):
    rows = notify_send(message=_message())
    sms = next(r for r in rows if r.channel == "sms")
    _set_raw(Notification, sms.pk, recipient=PHONE, body=f"身份证号{PERSON_ID} 电话{PHONE}",
             error=f"refused {PHONE}")
    _migrate("notify", "0003_encrypt_recipient", "protect_existing")
    _assert_ciphertext(_raw(Notification, sms.pk, "recipient"), PHONE)
    for column in ("body", "error"):
        raw = _raw(Notification, sms.pk, column)
        assert PHONE not in raw and PERSON_ID not in raw and "139****5678" in raw
    assert Notification.objects.get(pk=sms.pk).recipient == PHONE



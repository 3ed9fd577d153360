"""Finding 19: the 国密 suite (SM4-SIV, SM3, SM2) beside the international one, standard test vectors, and data of
either suite readable under the other (field values, audit chains, API tokens), with key rotation."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection

from tests.cases.conftest import build_world, make_id, receive
from yichuang.accounts.models import ApiToken
from yichuang.accounts.services import token_authenticate, token_issue
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_record, audit_verify
from yichuang.cases.models import Case
from yichuang.core import crypto, gm


# ------------------------------------------------------------------------------------- standard test vectors
def test_sm3_gbt_32905_vector():
    assert gm.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.hexdigest(b"abc", "sm3").startswith("66c7f0f4")


def test_sm4_gbt_32907_vector():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (enc.update(key) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


# GB/T 32918.2-2016 Annex A.2: the test curve over F_p (256 bits), ID_A = ALICE123@YAHOO.COM, M = "message digest"
TEST_CURVE = {
    "p": "8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3",
    "a": "787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498",
    "b": "63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A",
    "g": "421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D"
         "0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2",
    "n": "8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7",
}


def test_sm2_gbt_32918_signature_vector():
    d = 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263
    uid, msg = b"ALICE123@YAHOO.COM", b"message digest"
    pub = gm.sm2_public_key(d, curve=TEST_CURVE)
    assert pub.hex().upper() == ("0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"
                                 "7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857")
    assert gm.sm2_z(pub, uid=uid, curve=TEST_CURVE).hex().upper() == \
        "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A"
    assert gm.sm2_e(msg, pub, uid=uid, curve=TEST_CURVE).hex().upper() == \
        "B524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76"
    r, s = gm.sm2_sign(d, msg, uid=uid, curve=TEST_CURVE,
                       k=0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F)
    assert r == 0x40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1
    assert s == 0x6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7
    assert gm.sm2_verify(pub, msg, (r, s), uid=uid, curve=TEST_CURVE)
    assert not gm.sm2_verify(pub, b"message digesT", (r, s), uid=uid, curve=TEST_CURVE)


def test_sm2_on_the_recommended_curve_signs_verifies_and_refuses_tampering():
    d, pub = gm.sm2_generate()
    sig = gm.sm2_sign(d, b"notice 0001")
    assert gm.sm2_verify(pub, b"notice 0001", sig)
    assert gm.sm2_signature_from_der(gm.sm2_signature_der(sig)) == sig
    assert not gm.sm2_verify(pub, b"notice 0002", sig)
    assert not gm.sm2_verify(pub, b"notice 0001", (sig[0], 0))
    other = gm.sm2_generate()[1]
    assert not gm.sm2_verify(other, b"notice 0001", sig)
    assert gm.sm2_sign(d, b"x") != gm.sm2_sign(d, b"x")  # a fresh nonce each time (secrets, not random)


def test_sm4_siv_is_deterministic_and_authenticated():
    key = os.urandom(gm.SM4_SIV_KEY_BYTES)
    a = gm.sm4_siv_encrypt(key, b"110101198001011234", b"id_number")
    assert a == gm.sm4_siv_encrypt(key, b"110101198001011234", b"id_number")
    assert a != gm.sm4_siv_encrypt(key, b"110101198001011234", b"phone")
    assert gm.sm4_siv_decrypt(key, a, b"id_number") == b"110101198001011234"
    for bad in (a[:-1] + bytes([a[-1] ^ 1]), bytes([a[0] ^ 1]) + a[1:]):
        with pytest.raises(gm.SivError):
            gm.sm4_siv_decrypt(key, bad, b"id_number")
    with pytest.raises(gm.SivError):
        gm.sm4_siv_decrypt(key, a, b"phone")


# ------------------------------------------------------------------------------------------ mixed data
@pytest.fixture
def w(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _raw(pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT applicant_id_number FROM cases_case WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_switching_to_gm_keeps_old_values_readable_and_rotate_moves_them(w, settings, monkeypatch):
    aes = base64.b64encode(os.urandom(64)).decode()
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", f"a1:{aes}")
    old = receive(w, seq=3)
    assert _raw(old.pk).startswith("enc:a1:")
    settings.YICHUANG_CRYPTO_SUITE = "gm"
    with pytest.raises(crypto.KeyError_, match="sm4"):
        crypto.current_key()
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", f"g1:{crypto.generate_key('gm')},a1:{aes}")
    new = receive(w, seq=4)
    assert _raw(new.pk).startswith("enc:g1:")
    assert Case.objects.get(pk=old.pk).applicant_id_number == make_id(3)
    assert Case.objects.get(pk=new.pk).applicant_id_number == make_id(4)
    assert Case.objects.filter(applicant_id_number=make_id(4)).count() == 1
    out = io.StringIO()
    call_command("pii", "rotate", stdout=out)
    assert "(sm4)" in out.getvalue()
    assert _raw(old.pk).startswith("enc:g1:")
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", os.environ["YICHUANG_FIELD_KEYS"].split(",")[0])  # a1 retired
    assert Case.objects.get(pk=old.pk).applicant_id_number == make_id(3)
    assert Case.objects.filter(applicant_id_number=make_id(3)).count() == 1
    # and back to the international suite under a new AES key
    settings.YICHUANG_CRYPTO_SUITE = "intl"
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", f"a2:{crypto.generate_key('intl')},{os.environ['YICHUANG_FIELD_KEYS']}")
    call_command("pii", "rotate", stdout=io.StringIO())
    assert _raw(old.pk).startswith("enc:a2:") and Case.objects.get(pk=old.pk).applicant_id_number == make_id(3)


def test_an_audit_chain_begun_in_sha256_and_continued_in_sm3_verifies(db, settings):
    audit_record(actor=None, action="x.one", object_type="t", object_id="1")
    settings.YICHUANG_CRYPTO_SUITE = "gm"
    audit_record(actor=None, action="x.two", object_type="t", object_id="2")
    algs = list(AuditEvent.objects.order_by("seq").values_list("hash_alg", flat=True))
    assert algs[-2:] == ["sha256", "sm3"]
    assert audit_verify()[0]
    ev = AuditEvent.objects.order_by("seq").last()
    AuditEvent.objects.filter(pk=ev.pk).update(hash_alg="sha256")  # claiming the other hash breaks the row
    ok, seq, _ = audit_verify()
    assert not ok and seq == ev.seq


def test_tokens_of_either_suite_authenticate(w, settings):
    _, intl_key = token_issue(username="clerk", password="secret-pass-1")
    settings.YICHUANG_CRYPTO_SUITE = "gm"
    _, gm_key = token_issue(username="clerk", password="secret-pass-1")
    assert ApiToken.objects.filter(key_hash=gm.sm3(gm_key.encode()).hex()).exists()
    assert token_authenticate(intl_key) == w.clerk and token_authenticate(gm_key) == w.clerk
    settings.YICHUANG_CRYPTO_SUITE = "intl"
    assert token_authenticate(gm_key) == w.clerk

"""国密 primitives: SM3 (GB/T 32905), SM4 (GB/T 32907) in an SIV construction, SM2 signatures (GB/T 32918).

SM3 and SM4 come from the ``cryptography`` package (OpenSSL); SM2's curve arithmetic from ``gmssl``. Everything
around gmssl's arithmetic is done here — the signer's Z value with SM3 from ``cryptography``, the nonce from
:mod:`secrets` (gmssl's own ``random_hex`` uses :mod:`random`, which must never pick an SM2 nonce), the range checks
on r and s that its ``verify`` leaves out, the public key checked to be on the curve — so that only the scalar
multiplication is gmssl's.

SM4-SIV (deterministic authenticated encryption, the SIV construction of Rogaway and Shrimpton, RFC 5297's shape
with 国密 parts): the key is 48 bytes, ``K_mac`` (32) ‖ ``K_enc`` (16).

- ``V = HMAC-SM3(K_mac, len(ad) ‖ ad ‖ plaintext)`` truncated to 128 bits — a PRF over an unambiguous encoding
  of the associated data and the plaintext (``len`` is 4 bytes big-endian);
- ``C = SM4-CTR(K_enc, counter block V, plaintext)``;
- the ciphertext is ``V ‖ C``. Decryption runs CTR with the ``V`` it finds, recomputes ``V`` over what came out and
  compares in constant time, so any change to ``V``, ``C`` or the associated data is refused.

SIV is secure as deterministic authenticated encryption when the first part is a PRF (HMAC-SM3 is) and the second
an IV-based scheme secure with random IVs (CTR under a block cipher is): equal (ad, plaintext) pairs give equal
ciphertexts — which is what keeps exact lookups working — and nothing else leaks. CTR here increments the whole
128-bit block (OpenSSL's CTR), so no bits of ``V`` need clearing as RFC 5297 does for 32-bit counters; a field
value is a few blocks long, far from any wrap.
"""

from __future__ import annotations

import hmac
import secrets

from asn1crypto.core import Integer, Sequence
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm2 as _gmssl_sm2

SM4_SIV_KEY_BYTES = 48
_TAG = 16


class SivError(ValueError):
    """The SM4-SIV ciphertext does not authenticate under this key and associated data."""


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    h = chmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def _siv_v(mac_key: bytes, ad: bytes, plaintext: bytes) -> bytes:
    return hmac_sm3(mac_key, len(ad).to_bytes(4, "big") + ad + plaintext)[:_TAG]


def _ctr(enc_key: bytes, iv: bytes, data: bytes) -> bytes:
    c = Cipher(algorithms.SM4(enc_key), modes.CTR(iv)).encryptor()
    return c.update(data) + c.finalize()


def sm4_siv_encrypt(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    if len(key) != SM4_SIV_KEY_BYTES:
        raise ValueError("SM4-SIV key must be 48 bytes")
    v = _siv_v(key[:32], ad, plaintext)
    return v + _ctr(key[32:], v, plaintext)


def sm4_siv_decrypt(key: bytes, token: bytes, ad: bytes) -> bytes:
    if len(key) != SM4_SIV_KEY_BYTES:
        raise ValueError("SM4-SIV key must be 48 bytes")
    if len(token) < _TAG:
        raise SivError("too short")
    v, body = token[:_TAG], token[_TAG:]
    plaintext = _ctr(key[32:], v, body)
    if not hmac.compare_digest(v, _siv_v(key[:32], ad, plaintext)):
        raise SivError("SM4-SIV: the value does not authenticate")
    return plaintext


# ---------------------------------------------------------------------------------------------------------- SM2
# The recommended curve sm2p256v1 (GB/T 32918.5), as gmssl spells it (hex; g is x ‖ y).
SM2_CURVE = {
    "p": "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",
    "a": "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
    "b": "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
    "g": "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
         "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0",
    "n": "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123",
}
# The default signer identity of GM/T 0009 (used by every SM2 certificate signature and CMS signer without one).
DEFAULT_ID = b"1234567812345678"
OID_SM2_CURVE = "1.2.156.10197.1.301"
OID_SM3 = "1.2.156.10197.1.401"
OID_SM2_WITH_SM3 = "1.2.156.10197.1.501"


def _engine(curve: dict, private: int | None = None, public: bytes | None = None):
    eng = _gmssl_sm2.CryptSM2(private_key="%064x" % (private or 0), public_key="00", ecc_table=curve)
    # gmssl's constructor lstrips "04" characters (not the prefix) from a key; set it ourselves.
    eng.public_key = public.hex() if public is not None else ""
    return eng


def sm2_public_key(private: int, *, curve: dict = SM2_CURVE) -> bytes:
    """x ‖ y (64 bytes) of d·G."""
    return bytes.fromhex(_engine(curve)._kg(private, curve["g"]))


def sm2_generate(*, curve: dict = SM2_CURVE) -> tuple[int, bytes]:
    n = int(curve["n"], 16)
    d = secrets.randbelow(n - 2) + 1  # 1 ≤ d ≤ n-2 (GB/T 32918.1 6.1)
    return d, sm2_public_key(d, curve=curve)


def _on_curve(public: bytes, curve: dict) -> bool:
    if len(public) != 64:
        return False
    p, a, b = (int(curve[k], 16) for k in ("p", "a", "b"))
    x, y = int.from_bytes(public[:32], "big"), int.from_bytes(public[32:], "big")
    return x < p and y < p and (y * y - (x * x * x + a * x + b)) % p == 0


def sm2_z(public: bytes, *, uid: bytes = DEFAULT_ID, curve: dict = SM2_CURVE) -> bytes:
    """Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 5.5)."""
    return sm3((len(uid) * 8).to_bytes(2, "big") + uid
               + bytes.fromhex(curve["a"] + curve["b"] + curve["g"]) + public)


def sm2_e(message: bytes, public: bytes, *, uid: bytes = DEFAULT_ID, curve: dict = SM2_CURVE) -> bytes:
    return sm3(sm2_z(public, uid=uid, curve=curve) + message)


def sm2_sign(private: int, message: bytes, *, uid: bytes = DEFAULT_ID, curve: dict = SM2_CURVE,
             k: int | None = None) -> tuple[int, int]:
    """SM2 signature (r, s) over ``message`` (e = SM3(Z_A ‖ M)). ``k`` only for the standard's test vector."""
    public = sm2_public_key(private, curve=curve)
    e = sm2_e(message, public, uid=uid, curve=curve)
    n = int(curve["n"], 16)
    eng = _engine(curve, private)
    while True:
        nonce = k if k is not None else secrets.randbelow(n - 1) + 1
        sig = eng.sign(e, "%064x" % nonce)
        if sig:
            return int(sig[:64], 16), int(sig[64:], 16)
        if k is not None:
            raise ValueError("the given k makes no signature")


def sm2_verify(public: bytes, message: bytes, signature: tuple[int, int], *, uid: bytes = DEFAULT_ID,
               curve: dict = SM2_CURVE) -> bool:
    r, s = signature
    n = int(curve["n"], 16)
    if not (1 <= r < n and 1 <= s < n) or not _on_curve(public, curve):
        return False
    e = sm2_e(message, public, uid=uid, curve=curve)
    try:
        return bool(_engine(curve, public=public).verify("%064x%064x" % (r, s), e))
    except (TypeError, ValueError):  # a point at infinity on the way: not a valid signature
        return False


class _Sig(Sequence):
    _fields = [("r", Integer), ("s", Integer)]


def sm2_signature_der(signature: tuple[int, int]) -> bytes:
    return _Sig({"r": signature[0], "s": signature[1]}).dump()


def sm2_signature_from_der(der: bytes) -> tuple[int, int]:
    parsed = _Sig.load(der)
    return int(parsed["r"].native), int(parsed["s"].native)

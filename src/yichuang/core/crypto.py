"""The installation's cryptography: field encryption of personal numbers at rest (《个人信息保护法》: ID and phone
numbers), the hash of the audit chain and of API tokens, and which suite signs documents (documents/signing.py).

Suites (``YICHUANG_CRYPTO_SUITE``): ``intl`` (the default) — AES-SIV, SHA-256, RSA/ECDSA signatures (pyHanko);
``gm`` (国密) — SM4-SIV, SM3, SM2 (see core/gm.py for the constructions). The suite decides what is *written*
from now on; everything already written names what it was written with and stays readable: a ciphertext names its
key (and each key its cipher), an audit event its hash, a signed PDF its algorithm, and a token is looked up under
both hashes. So an installation can switch suites, and rotate keys, without rewriting anything first;
``yichuang pii rotate`` then moves every value to the current key.

Field encryption is deterministic authenticated encryption (AES-SIV, RFC 5297; or SM4-SIV), stored as
``enc:<key id>:<base64>``. Deterministic means the same number under the same key gives the same ciphertext, so
the database can still *find* a row by an exact number (``filter(id_number=…)`` encrypts the probe the same way —
the keyed-hash lookup of the design, without a second column) while it never holds the number itself; equality is
all it leaks. The kind of value (``id_number``, ``phone``) is bound in as associated data, so a ciphertext cannot
be moved from one kind of field to another.

Input is never taken for ciphertext: :func:`encrypt` encrypts every ``str`` it is given, whatever it looks like
(a number typed as ``enc:zz:AAAA`` is stored encrypted and reads back as typed). Only a :class:`Ciphertext` — what
:func:`encrypt` returns, or what code that copies stored values wraps explicitly — passes through unchanged.
A stored value that does not decrypt raises :class:`UnreadableValue`; jobs log and skip such a row.

Keys: ``YICHUANG_FIELD_KEYS="k3:sm4:<base64 48 bytes>,k2:<base64 64 bytes>,k1:…"`` — an entry is
``id:base64`` (AES-SIV, 32/48/64 bytes) or ``id:sm4:base64`` (SM4-SIV, 48 bytes). The first key of the current
suite encrypts; every key is tried by id to decrypt, so a new key goes in front and ``yichuang pii rotate``
re-encrypts every row under it; the old key can then be removed. ``yichuang pii genkey`` prints a key for the
current suite. Without the variable, only with ``YICHUANG_DEBUG=1`` (development), a key is derived from the secret
key; with debug off every process refuses (core/checks.py). Legacy plaintext rows (before migration) read as
they are.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from . import gm

PREFIX = "enc:"
SUITES = ("intl", "gm")
CIPHER_OF_SUITE = {"intl": "aes", "gm": "sm4"}
HASH_OF_SUITE = {"intl": "sha256", "gm": "sm3"}
HASHES = ("sha256", "sm3")


class KeyError_(RuntimeError):
    pass


class UnreadableValue(KeyError_):
    """A stored value that claims to be ciphertext and does not decrypt (unknown key, altered, or not ours)."""


class Ciphertext(str):
    """A value already encrypted: :func:`encrypt` returns one and passes one through unchanged."""


@dataclass(frozen=True)
class FieldKey:
    kid: str
    cipher: str  # "aes" (AES-SIV) or "sm4" (SM4-SIV)
    key: bytes


def suite() -> str:
    from django.conf import settings

    name = (getattr(settings, "YICHUANG_CRYPTO_SUITE", "") or "intl").lower()
    if name not in SUITES:
        raise KeyError_(f"YICHUANG_CRYPTO_SUITE={name!r}: must be one of {', '.join(SUITES)}")
    return name


def _parse_keys(raw: str) -> list[FieldKey]:
    keys: list[FieldKey] = []
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        kid, _, rest = item.partition(":")
        cipher, sep, b64 = rest.partition(":")
        if not sep:
            cipher, b64 = "aes", rest
        try:
            key = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raise KeyError_(f"YICHUANG_FIELD_KEYS: key {kid!r} is not base64") from None
        sizes = (gm.SM4_SIV_KEY_BYTES,) if cipher == "sm4" else (32, 48, 64)
        if cipher not in ("aes", "sm4") or len(key) not in sizes or not kid.isalnum() or len(kid) > 8:
            raise KeyError_(f"YICHUANG_FIELD_KEYS: bad key {kid!r} (id: ≤8 letters/digits; `id:base64` AES-SIV "
                            "32/48/64 bytes, or `id:sm4:base64` SM4-SIV 48 bytes)")
        if any(k.kid == kid for k in keys):
            raise KeyError_(f"YICHUANG_FIELD_KEYS: key id {kid!r} appears twice")
        keys.append(FieldKey(kid, cipher, key))
    return keys


def _dev_keys(secret: str) -> list[FieldKey]:
    seed = hashlib.sha512(("yichuang-field-key:" + secret).encode()).digest()
    return [FieldKey("dev", "aes", seed), FieldKey("devgm", "sm4", hashlib.sha512(seed).digest()[:48])]


@lru_cache(maxsize=8)
def _keyring(raw: str, secret: str, derive: bool) -> tuple[FieldKey, ...]:
    keys = _parse_keys(raw)
    if not keys:
        if not derive:
            raise KeyError_("未设置 YICHUANG_FIELD_KEYS（加密身份证号、手机号的密钥），非调试模式下拒绝运行；"
                            "`yichuang pii genkey` 生成一个。 YICHUANG_FIELD_KEYS is not set (the key that encrypts "
                            "ID and phone numbers); with debug off nothing runs without it — `yichuang pii genkey` "
                            "prints one.")
        keys = _dev_keys(secret)
    return tuple(keys)


def keyring() -> tuple[FieldKey, ...]:
    """Every field key, in order. Derived development keys only with DEBUG on and no YICHUANG_FIELD_KEYS."""
    from django.conf import settings

    return _keyring(os.environ.get("YICHUANG_FIELD_KEYS", ""), settings.SECRET_KEY, bool(settings.DEBUG))


def current_key() -> FieldKey:
    """The key that encrypts: the first of the current suite's cipher."""
    want = CIPHER_OF_SUITE[suite()]
    for key in keyring():
        if key.cipher == want:
            return key
    raise KeyError_(f"YICHUANG_CRYPTO_SUITE={suite()} 需要一把 {want} 密钥 needs a {want} key in YICHUANG_FIELD_KEYS "
                    f"(`yichuang pii genkey` prints one for the current suite)")


def current_key_id() -> str:
    return current_key().kid


def generate_key(suite_name: str | None = None) -> str:
    """A new random key as YICHUANG_FIELD_KEYS writes it after ``id:`` (``base64`` or ``sm4:base64``)."""
    cipher = CIPHER_OF_SUITE[suite_name or suite()]
    if cipher == "sm4":
        return "sm4:" + base64.b64encode(os.urandom(gm.SM4_SIV_KEY_BYTES)).decode()
    return base64.b64encode(os.urandom(64)).decode()


def _seal(key: FieldKey, data: bytes, ad: bytes) -> bytes:
    if key.cipher == "sm4":
        return gm.sm4_siv_encrypt(key.key, data, ad)
    return AESSIV(key.key).encrypt(data, [ad])


def _open(key: FieldKey, token: bytes, ad: bytes) -> bytes:
    if key.cipher == "sm4":
        return gm.sm4_siv_decrypt(key.key, token, ad)
    return AESSIV(key.key).decrypt(token, [ad])


def encrypt(value: str, *, kind: str) -> str:
    """The ciphertext (a :class:`Ciphertext`) of ``value`` under the current key; empty stays empty. Any other
    ``str`` is encrypted — a string that merely looks like ciphertext is the application's data."""
    if not value:
        return value
    if isinstance(value, Ciphertext):
        return value
    key = current_key()
    token = _seal(key, str(value).encode(), kind.encode())
    return Ciphertext(f"{PREFIX}{key.kid}:{base64.urlsafe_b64encode(token).decode().rstrip('=')}")


def decrypt(value: str, *, kind: str) -> str:
    """The plaintext of a stored value; raises :class:`UnreadableValue` when it does not decrypt."""
    if not value or not value.startswith(PREFIX):
        return value  # empty, or plaintext written before encryption was switched on
    kid, _, b64 = value[len(PREFIX):].partition(":")
    key = next((k for k in keyring() if k.kid == kid), None)
    if key is None:
        raise UnreadableValue(f"no field key {kid!r} in YICHUANG_FIELD_KEYS")
    try:
        token = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
        return _open(key, token, kind.encode()).decode()
    except (InvalidTag, gm.SivError, binascii.Error, ValueError):
        raise UnreadableValue(f"field key {kid!r} does not decrypt this {kind}: the value was altered or "
                              "YICHUANG_FIELD_KEYS differs between processes") from None


def key_id_of(value: str) -> str | None:
    if not value or not value.startswith(PREFIX):
        return None
    return value[len(PREFIX):].partition(":")[0]


# ------------------------------------------------------------------------------------------------------- hashes
def hash_name() -> str:
    """The hash the current suite writes with: ``sha256`` or ``sm3``."""
    return HASH_OF_SUITE[suite()]


def hexdigest(data: bytes, alg: str | None = None) -> str:
    alg = alg or hash_name()
    if alg == "sm3":
        return gm.sm3(data).hex()
    if alg == "sha256":
        return hashlib.sha256(data).hexdigest()
    raise KeyError_(f"unknown hash {alg!r}")


def hexdigests(data: bytes) -> list[str]:
    """The digest under every hash, the current suite's first (a lookup that must find rows of either suite)."""
    first = hash_name()
    return [hexdigest(data, first)] + [hexdigest(data, alg) for alg in HASHES if alg != first]

"""Field-level encryption of personal numbers at rest (《个人信息保护法》: ID and phone numbers).

Values are encrypted with AES-SIV (RFC 5297, deterministic authenticated encryption) under a key from the
environment, and stored as ``enc:<key id>:<base64>``. Deterministic means the same number under the same key gives
the same ciphertext, so the database can still *find* a row by an exact number (``filter(id_number=…)`` encrypts the
probe the same way — the keyed-hash lookup of the design, without a second column) while it never holds the
number itself; equality is all it leaks. The kind of value (``id_number``, ``phone``) is bound in as associated data,
so a ciphertext cannot be moved from one kind of field to another.

Keys: ``YICHUANG_FIELD_KEYS="k2:<base64 64 bytes>,k1:<base64 64 bytes>"`` — the first is used to encrypt, all are
tried by id to decrypt, so a new key can be put in front and ``yichuang pii rotate`` re-encrypts every row under it;
the old key can then be removed. Without the variable (development, tests) a key is derived from the secret key;
``YICHUANG_ENV=production`` refuses to start without it. Legacy plaintext rows (before migration) read as they are.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

PREFIX = "enc:"


class KeyError_(RuntimeError):
    pass


def _parse_keys(raw: str) -> list[tuple[str, bytes]]:
    keys = []
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        kid, _, b64 = item.partition(":")
        key = base64.b64decode(b64)
        if len(key) not in (32, 48, 64) or not kid.isalnum() or len(kid) > 8:
            raise KeyError_(f"YICHUANG_FIELD_KEYS: bad key {kid!r} (id: ≤8 letters/digits; key: 32, 48 or 64 bytes)")
        keys.append((kid, key))
    return keys


@lru_cache(maxsize=4)
def _keyring(raw: str, secret: str) -> tuple[tuple[str, bytes], ...]:
    keys = _parse_keys(raw)
    if not keys:
        keys = [("dev", hashlib.sha512(("yichuang-field-key:" + secret).encode()).digest())]
    return tuple(keys)


def keyring() -> tuple[tuple[str, bytes], ...]:
    from django.conf import settings

    return _keyring(os.environ.get("YICHUANG_FIELD_KEYS", ""), settings.SECRET_KEY)


def current_key_id() -> str:
    return keyring()[0][0]


def generate_key() -> str:
    return base64.b64encode(os.urandom(64)).decode()


def encrypt(value: str, *, kind: str) -> str:
    if not value or value.startswith(PREFIX):
        return value
    kid, key = keyring()[0]
    token = AESSIV(key).encrypt(value.encode(), [kind.encode()])
    return f"{PREFIX}{kid}:{base64.urlsafe_b64encode(token).decode().rstrip('=')}"


def decrypt(value: str, *, kind: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value  # empty, or plaintext written before encryption was switched on
    kid, _, b64 = value[len(PREFIX):].partition(":")
    key = dict(keyring()).get(kid)
    if key is None:
        raise KeyError_(f"no field key {kid!r} in YICHUANG_FIELD_KEYS")
    token = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    try:
        return AESSIV(key).decrypt(token, [kind.encode()]).decode()
    except InvalidTag:
        raise KeyError_(f"field key {kid!r} does not decrypt this {kind}: the value was altered or "
                        "YICHUANG_FIELD_KEYS differs between processes") from None


def key_id_of(value: str) -> str | None:
    if not value or not value.startswith(PREFIX):
        return None
    return value[len(PREFIX):].partition(":")[0]

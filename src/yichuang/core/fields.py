"""``EncryptedCharField``: a CharField whose value is encrypted in the database (see core/crypto.py).

Exact lookups (``filter(id_number=x)``, ``__in``) keep working because the encryption is deterministic; partial
lookups (``startswith``, ``contains``) cannot and are refused. ``max_length`` is the plaintext's; the column is
sized for the ciphertext. Whatever string the application gives the field is encrypted (never taken for
ciphertext because of how it looks); only a ``crypto.Ciphertext`` passes through as it is.
"""

from __future__ import annotations

import logging

from django.core import validators
from django.db import connections, models, transaction

from . import crypto

log = logging.getLogger(__name__)


def cipher_length(plain_length: int) -> int:
    # enc:<id ≤8>: + base64(16-byte SIV tag + UTF-8 bytes, up to 3 bytes per character); AES-SIV and SM4-SIV alike
    return 4 + 8 + 1 + ((16 + 3 * plain_length + 2) // 3) * 4


class EncryptedCharField(models.CharField):
    def __init__(self, *args, kind: str = "text", plain_max_length: int | None = None, **kwargs):
        self.kind = kind
        plain = plain_max_length or kwargs.get("max_length") or 64
        self.plain_max_length = plain
        kwargs["max_length"] = cipher_length(plain)
        super().__init__(*args, **kwargs)
        # validate the plaintext against its own limit, not the column's
        self.validators[:] = [v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)]
        self.validators.append(validators.MaxLengthValidator(plain))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        kwargs["plain_max_length"] = self.plain_max_length
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(value, kind=self.kind)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return str(crypto.encrypt(value if isinstance(value, str) else str(value), kind=self.kind))

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", self.plain_max_length)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"exact", "in", "isnull"}:
            return None  # partial matches cannot work on ciphertext: an error, not a silent miss
        return super().get_lookup(lookup_name)


def encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def reencrypt(model, *, batch: int = 500, using: str = "default", skipped: list | None = None) -> tuple[int, int]:
    """Rewrite every row whose stored value is plaintext or under an older key (or another suite's) with the
    current key. Returns (rows looked at, rows rewritten). A row that does not decrypt is logged, left as it is and
    its pk appended to ``skipped``. Used by the migrations and by ``yichuang pii rotate``."""
    names = encrypted_fields(model)
    if not names:
        return 0, 0
    current = crypto.current_key_id()
    fields = [model._meta.get_field(n) for n in names]
    conn = connections[using]
    qn = conn.ops.quote_name
    cols = ", ".join(qn(f.column) for f in fields)
    stale: list[int] = []
    seen = 0
    with conn.cursor() as cur:
        cur.execute(f"SELECT {qn(model._meta.pk.column)}, {cols} FROM {qn(model._meta.db_table)}")
        for pk, *values in cur.fetchall():
            seen += 1
            if any(v and crypto.key_id_of(v) != current for v in values):
                stale.append(pk)
    done = 0
    manager = model._base_manager.using(using)
    for start in range(0, len(stale), batch):
        chunk = stale[start:start + batch]
        try:
            with transaction.atomic(using=using):
                rows = list(manager.filter(pk__in=chunk).only("pk", *names))
                manager.bulk_update(rows, names)
                done += len(rows)
            continue
        except crypto.UnreadableValue:
            pass
        for pk in chunk:  # a row in this batch does not decrypt: one by one, skipping it
            try:
                with transaction.atomic(using=using):
                    rows = list(manager.filter(pk=pk).only("pk", *names))
                    manager.bulk_update(rows, names)
                    done += len(rows)
            except crypto.UnreadableValue as exc:
                log.warning("%s %s: not re-encrypted, a value does not decrypt (%s)", model._meta.label, pk, exc)
                if skipped is not None:
                    skipped.append(pk)
    return seen, done


def decrypt_all(model, *, using: str = "default") -> int:
    """Write every encrypted value back as plaintext (reverse of the encrypting migrations)."""
    fields = [model._meta.get_field(n) for n in encrypted_fields(model)]
    if not fields:
        return 0
    conn = connections[using]
    qn = conn.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    changed = 0
    with conn.cursor() as cur:
        cur.execute(f"SELECT {pk}, {', '.join(qn(f.column) for f in fields)} FROM {table}")
        for row_pk, *values in cur.fetchall():
            plain = [crypto.decrypt(v, kind=f.kind) if v else v for f, v in zip(fields, values)]
            if plain != list(values):
                sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
                cur.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*plain, row_pk])
                changed += 1
    return changed

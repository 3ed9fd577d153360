"""``yichuang pii status|rotate|genkey``: field-level encryption of ID and phone numbers (core/crypto.py)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from yichuang.core import crypto
from yichuang.core.fields import encrypted_fields, reencrypt


def _models():
    return [m for m in apps.get_models() if encrypted_fields(m)]


class Command(BaseCommand):
    help = ("个人信息加密 Field encryption of ID/phone numbers: `status` (rows per key), `rotate` (re-encrypt every "
            "row under the current suite's first key of YICHUANG_FIELD_KEYS, AES-SIV or SM4-SIV), `genkey` (print a new "
            "random key for the current suite, or --suite intl|gm).")
    requires_system_checks = []  # genkey is how the keys the check asks for are made; the others need the keys

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "rotate", "genkey"])
        parser.add_argument("--suite", choices=crypto.SUITES, help="genkey: 密钥所属套件 the key's suite")

    def handle(self, *args, action, suite=None, **options):
        if action == "genkey":
            self.stdout.write(crypto.generate_key(suite))
            return
        if action == "rotate":
            for model in _models():
                skipped: list = []
                seen, done = reencrypt(model, skipped=skipped)
                self.stdout.write(f"{model._meta.label}: {done} of {seen} rows re-encrypted under key "
                                  f"{crypto.current_key_id()!r} ({crypto.current_key().cipher})"
                                  + (f"; {len(skipped)} unreadable, left as they are: {skipped[:20]}" if skipped else ""))
            return
        qn = connection.ops.quote_name
        for model in _models():
            counts: dict[str, int] = {}
            fields = [model._meta.get_field(n) for n in encrypted_fields(model)]
            with connection.cursor() as cur:
                cur.execute(f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(model._meta.db_table)}")
                for row in cur.fetchall():
                    for value in row:
                        if value:
                            kid = crypto.key_id_of(value) or "PLAINTEXT"
                            counts[kid] = counts.get(kid, 0) + 1
            summary = ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "no values"
            self.stdout.write(f"{model._meta.label} ({', '.join(f.name for f in fields)}): {summary}")
        self.stdout.write(f"current key: {crypto.current_key_id()!r}")

"""``yichuang verify-pdf FILE``: is this PDF genuine (signed by the centre) and unaltered? Exit 0 if so, 1 if not."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yichuang.documents.signing import verify_pdf


class Command(BaseCommand):
    help = "核验PDF电子签章 / Verify a signed PDF."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在 No such file: {path}")
        verdict = verify_pdf(path.read_bytes())
        head = "GENUINE 真实有效" if verdict.genuine else "NOT GENUINE 未通过核验"
        self.stdout.write(f"{head}: {verdict.reason} {verdict.reason_en}")
        if verdict.signer:
            self.stdout.write(f"signer 签章人: {verdict.signer}")
        if verdict.signed_at:
            self.stdout.write(f"signed at 签章时间: {verdict.signed_at.isoformat()}")
        if not verdict.genuine:
            raise SystemExit(1)

"""``yichuang audit verify``: walk the hash chain and name the first altered, deleted or reordered event."""

from django.core.management.base import BaseCommand, CommandError

from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计链校验 Verify the audit hash chain (exit status 1 and the first bad event when broken)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        ok, seq, reason = audit_verify()
        count = AuditEvent.objects.count()
        if not ok:
            self.stderr.write(f"审计链已损坏 AUDIT CHAIN BROKEN: 第一个异常事件 first bad event seq={seq}: {reason}")
            raise CommandError("audit chain broken", returncode=1)
        self.stdout.write(f"审计链完好 audit chain OK: {count} events verified")

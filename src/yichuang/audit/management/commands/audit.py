"""``yichuang audit verify``: walk every hash chain (one per centre, and the installation's) and name, per chain,
the first altered, deleted or reordered event."""

from django.core.management.base import BaseCommand, CommandError

from yichuang.audit.services import audit_verify_all


class Command(BaseCommand):
    help = "审计链校验 Verify every audit hash chain (exit status 1 and each broken chain's first bad event)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        checks = audit_verify_all()
        broken = [c for c in checks if not c.ok]
        for c in broken:
            self.stderr.write(f"审计链已损坏 AUDIT CHAIN BROKEN: chain={c.chain} 第一个异常事件 first bad event "
                              f"seq={c.seq}: {c.reason}")
        if broken:
            raise CommandError(f"{len(broken)} of {len(checks)} audit chains broken", returncode=1)
        events = sum(c.events for c in checks)
        self.stdout.write(f"审计链完好 audit chains OK: {len(checks)} chains, {events} events verified")

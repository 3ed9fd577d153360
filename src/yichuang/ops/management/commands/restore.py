from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.ops.backup import restore


class Command(BaseCommand):
    help = "从备份恢复数据库 Restore the database from a backup made by `yichuang backup` (replaces its contents)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--url", help="另一个数据库 another database URL than YICHUANG_DATABASE_URL")
        parser.add_argument("--yes", action="store_true", help="不再确认 do not ask for confirmation")

    def handle(self, *args, **options):
        if not options["yes"] and options.get("interactive", True) and self.stdin_isatty():
            answer = input("这将覆盖数据库的全部内容。继续？ This replaces the whole database. Continue? [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "是"}:
                raise CommandError("已取消 cancelled")
        try:
            info = restore(path=options["file"], url=options.get("url"))
        except DomainError as exc:
            raise CommandError(f"{exc.message} {exc.message_en}") from exc
        self.stdout.write(f"已恢复 restored ({info['vendor']}) from {info['path']}; "
                          "运行 run `yichuang audit verify` to check the audit chain")

    @staticmethod
    def stdin_isatty() -> bool:
        import sys

        return sys.stdin.isatty()

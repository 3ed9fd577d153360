from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.ops.backup import backup


class Command(BaseCommand):
    help = "备份数据库 Back up the database (pg_dump custom format on PostgreSQL, the SQLite backup API on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--url", help="另一个数据库 another database URL than YICHUANG_DATABASE_URL")

    def handle(self, *args, **options):
        try:
            info = backup(path=options["file"], url=options.get("url"))
        except DomainError as exc:
            raise CommandError(f"{exc.message} {exc.message_en}") from exc
        self.stdout.write(f"已备份 backed up ({info['vendor']}): {info['path']} ({info['bytes']} bytes)")

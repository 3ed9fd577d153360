"""Write or check the committed OpenAPI schema (docs/openapi.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "openapi.json"


def schema_text() -> str:
    from yichuang.config.api import api

    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "写出或核对 docs/openapi.json  Write or check the committed OpenAPI schema"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对，不一致时退出码为1")
        parser.add_argument("--path", default=str(DEFAULT))

    def handle(self, *args, check=False, path=None, **options):
        target = Path(path)
        text = schema_text()
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(f"{target} 与代码不一致，请运行 `uv run yichuang openapi`。"
                                   f" {target} differs from the code; run `uv run yichuang openapi`.")
            self.stdout.write("OpenAPI 一致 schema up to date")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写出 wrote {target}")

"""Write or check the committed OpenAPI schema (docs/openapi.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yichuang.config.api import api

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "openapi.json"


def schema_text() -> str:
    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


def _differences(target: Path, text: str) -> str:
    """Which operations and components differ (at most 20 named), to say what the regeneration will change."""
    try:
        old = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    new = json.loads(text)
    changed = []
    for section, key in (("paths", None), ("components", "schemas")):
        a = old.get(section, {}) if key is None else old.get(section, {}).get(key, {})
        b = new.get(section, {}) if key is None else new.get(section, {}).get(key, {})
        changed += [f"{'+' if n not in a else '-' if n not in b else '~'}{n}"
                    for n in sorted(set(a) | set(b)) if a.get(n) != b.get(n)]
    if old.get("info") != new.get("info"):
        changed.append("~info")
    if not changed:
        return ""
    return "\n" + ", ".join(changed[:20]) + (f" … (+{len(changed) - 20})" if len(changed) > 20 else "")


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
                                   f" {target} differs from the code; run `uv run yichuang openapi`."
                                   + _differences(target, text))
            self.stdout.write("OpenAPI 一致 schema up to date")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写出 wrote {target}")

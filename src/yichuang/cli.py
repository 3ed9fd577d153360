"""The ``yichuang`` console command.

Our own subcommands are Django management commands (``demo``, ``import-catalog``, ``export-catalog``,
``workdays``, ``calendar``…); hyphens map to underscores. Anything else passes through to Django
(``yichuang migrate``, ``yichuang createsuperuser``…).

``yichuang``, ``yichuang --help`` (``-h``, ``help``) list our own commands by their hyphenated names with one line
each; ``yichuang help COMMAND`` is the command's own help; ``yichuang help --commands`` lists every command
Django knows. ``yichuang --version`` prints ours.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

HELP_WORDS = {"help", "--help", "-h"}
VERSION_WORDS = {"version", "--version"}
LINE_WIDTH = 100

# One line per command for ``yichuang --help`` (a command not listed here shows the start of its own help).
SUMMARIES = {
    "audit": "审计链校验 verify the audit hash chain (audit verify)",
    "backup": "备份数据库 back up the database to FILE",
    "calendar": "工作日历 import / export / show / seed the work calendar",
    "case-jobs": "每日办件任务 daily case jobs: the 5-day rule, tolerant lapses",
    "demo": "演示中心 prepare the demo centre and serve it",
    "export-catalog": "导出实施清单 export the catalogue as a workbook",
    "hall-close-day": "闭厅 close the day's leftover tickets",
    "import-catalog": "导入实施清单 import a catalogue workbook (exit 1 if a row failed)",
    "licence-jobs": "每日任务：证照到期 daily job: expire licences past their validity",
    "openapi": "写出 / 核对 docs/openapi.json write or check the OpenAPI schema",
    "pii": "身份证号、手机号加密 field encryption: status, rotate, genkey",
    "pki-demo": "演示签章证书 create the demo signing certificate (never for production)",
    "plan": "排班规划 the fewest windows meeting the wait targets",
    "restore": "恢复数据库 restore the database from a backup",
    "scheduler": "定时任务常驻进程 run tick every N seconds",
    "simulate": "大厅仿真 simulate days of a hall scenario",
    "tick": "定时任务一次 every scheduled job once (cron it)",
    "verify-pdf": "核验电子签章 is this PDF signed by the centre and unaltered?",
    "workdays": "工作日计算 add DATE N / between A B",
}


def version() -> str:
    """Our version, from the installed package's metadata."""
    try:
        return metadata.version("yichuang")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def _one_line(text: str, width: int) -> str:
    line = " ".join(str(text or "").split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def our_commands() -> list[tuple[str, str]]:
    """(hyphenated name, one-line description) of every management command of our own apps, by name."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    out = []
    for name, app in get_commands().items():
        if not str(app).startswith("yichuang."):
            continue
        hyphenated = name.replace("_", "-")
        out.append((hyphenated, SUMMARIES.get(hyphenated) or load_command_class(app, name).help))
    return sorted(out)


def help_text() -> str:
    commands = our_commands()
    width = max(len(name) for name, _ in commands)
    lines = [
        f"一窗 Yichuang {version()} — 政务服务中心平台 government service centre platform",
        "",
        "用法 Usage: yichuang COMMAND [options]      yichuang help COMMAND  (某命令的帮助 one command's help)",
        "",
        "本项目命令 Our commands:",
    ]
    lines += [f"  {name:<{width}}  {_one_line(text, LINE_WIDTH - width - 4)}" for name, text in commands]
    lines += [
        "",
        "其余 Django 管理命令原样转交 Django's own management commands pass through too:",
        "  yichuang migrate, yichuang createsuperuser, yichuang shell, yichuang runserver, …",
        "  (yichuang help --commands 列出全部 lists them all)",
        "",
        "  yichuang --version  版本 print the version",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) == 1 or (len(argv) == 2 and argv[1] in HELP_WORDS):
        sys.stdout.write(help_text())
        return
    if len(argv) == 2 and argv[1] in VERSION_WORDS:
        sys.stdout.write(f"yichuang {version()}\n")
        return
    if "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    if argv[1] == "help" and len(argv) > 2 and not argv[2].startswith("-"):
        argv[2] = argv[2].replace("-", "_")  # yichuang help import-catalog
    if argv[1] not in HELP_WORDS | VERSION_WORDS:
        from django.conf import settings

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

"""The ``yichuang`` console command.

Our own subcommands are Django management commands (``demo``, ``import-catalog``, ``export-catalog``,
``workdays``, ``calendar``…); hyphens map to underscores. Anything else passes through to Django
(``yichuang migrate``, ``yichuang createsuperuser``…).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    if len(argv) > 1 and argv[1] not in {"help", "--help", "-h", "version", "--version"}:
        from django.conf import settings

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

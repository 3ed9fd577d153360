import os
import sys

from django.apps import AppConfig

SERVER_MODULES = ("gunicorn", "granian", "uvicorn", "daphne", "hypercorn", "uwsgi")
SERVING_COMMANDS = {"runserver", "demo"}


def serving_process(argv: list[str], environ=os.environ, modules=sys.modules) -> bool:
    """Whether this process will answer web requests (so it should load jieba's dictionary at start-up).

    ``YICHUANG_JIEBA_WARM=1``/``0`` decides outright. Otherwise: a WSGI/ASGI server (gunicorn, granian…) yes;
    ``runserver`` (in the reloader's child, or with ``--noreload``) and ``demo`` without ``--no-serve`` yes;
    anything else (migrate, openapi, import-catalog, pytest…) no — they need not pay the 1.5 s."""
    forced = environ.get("YICHUANG_JIEBA_WARM", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    prog = os.path.basename(argv[0]) if argv else ""
    if any(name in prog for name in SERVER_MODULES) or any(name in modules for name in SERVER_MODULES):
        return True
    command = argv[1].replace("-", "_") if len(argv) > 1 else ""
    if command == "runserver":
        return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    if command == "demo":
        return "--no-serve" not in argv
    return False


class CatalogConfig(AppConfig):
    name = "yichuang.catalog"
    label = "catalog"
    verbose_name = "事项目录 Matter catalogue"

    def ready(self):
        # jieba loads its dictionary on first use (1.7–2.1 s on the first Chinese-phrase search of each process);
        # a server loads it here instead, before its first request (and before gunicorn forks, when preloading).
        if serving_process(sys.argv):
            from .search import jieba_warm_up

            jieba_warm_up()

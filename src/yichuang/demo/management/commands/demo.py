"""``yichuang demo``: prepare the demo centre and serve it.

    yichuang demo                 # migrate, load the demo centre, serve on http://127.0.0.1:8000
    yichuang demo --no-serve      # only prepare the database
    yichuang demo --reset         # delete the SQLite file first (SQLite only)
    yichuang demo --host 0.0.0.0 --port 8080
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import socket
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections

from yichuang.demo import org
from yichuang.demo.loader import demo_load
from yichuang.documents.pki import demo_pki_create
from yichuang.supervision.services import tick

PAGES = [
    ("首页 Home", "/"),
    ("办事指南 Matter guide", "/matters/"),
    ("工作日历 Work calendar", "/calendar/"),
    ("自助取号 Kiosk", "/hall/kiosk/500107/"),
    ("叫号台 Clerk console", "/hall/console/"),
    ("大厅显示屏 Display board", "/hall/board/500107/"),
    ("预约取号 Appointments", "/hall/appointments/500107/"),
    ("收件 Receive (clerk)", "/cases/receive/"),
    ("待办箱 Inbox (approver)", "/cases/inbox/"),
    ("网上申请 Apply online (applicant)", "/cases/apply/"),
    ("办件进度 Case progress", "/cases/progress/"),
    ("效能监察 Supervision (supervisor)", "/supervision/"),
    ("指标看板 KPI dashboard", "/supervision/kpi/"),
    ("一件事一次办 One-thing bundles", "/bundles/"),
    ("大厅仿真 Hall simulator", "/sim/"),
    ("电子证照库 E-licence library", "/licences/"),
    ("证照核验 Licence verification", "/licences/verify/"),
    ("电子签章核验 Signature verification", "/documents/verify/"),
    ("管理后台 Admin", "/admin/"),
    ("API 文档 API docs", "/api/v1/docs"),
]


def _scheduler(every: float = 60.0) -> None:
    """The demo runs the scheduled jobs (`yichuang tick`) in-process, once a minute."""
    while True:
        time.sleep(every)
        try:
            close_old_connections()
            tick()
        except Exception:  # keep the demo serving whatever a job does
            logging.getLogger(__name__).exception("scheduled jobs failed")


def served_url(host: str, port: int) -> str:
    """The address the demo is reached at: the host given, or for a wildcard (0.0.0.0, ::) this machine's own
    address on its network (so that a phone scanning a QR code reaches it), 127.0.0.1 when it has none."""
    if host in ("", "0.0.0.0", "::", "[::]"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect(("10.255.255.255", 1))   # no packet is sent; this only picks the outgoing interface
                host = s.getsockname()[0]
        except OSError:
            host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def public_url_from(host: str, port: int) -> str:
    """``YICHUANG_PUBLIC_URL`` (the address QR codes, verify links and messages carry) follows the demo's --host and
    --port unless the environment sets it."""
    if os.environ.get("YICHUANG_PUBLIC_URL"):
        return settings.YICHUANG_PUBLIC_URL
    url = served_url(host, port)
    os.environ["YICHUANG_PUBLIC_URL"] = url
    settings.YICHUANG_PUBLIC_URL = url
    return url


def demo_keys(var_dir: Path) -> None:
    """The demo's own secret key and field key, made once and kept in its data directory (``demo-keys.json``, mode
    0600), so that the demo is one command with debug off while no key is derived from the install path. The
    environment's own keys win. Never for production: ``yichuang demo`` refuses to run there."""
    path = var_dir / "demo-keys.json"
    if path.exists():
        keys = json.loads(path.read_text())
    else:
        keys = {"secret_key": secrets.token_urlsafe(50),
                "field_keys": "demo:" + base64.b64encode(os.urandom(64)).decode()}
        path.write_text(json.dumps(keys))
        os.chmod(path, 0o600)
    if not os.environ.get("YICHUANG_SECRET_KEY"):
        os.environ["YICHUANG_SECRET_KEY"] = settings.SECRET_KEY = keys["secret_key"]
    os.environ.setdefault("YICHUANG_FIELD_KEYS", keys["field_keys"])


class Command(BaseCommand):
    help = "准备演示中心并启动服务 / Prepare the demo centre and serve it."
    requires_system_checks = []  # its keys are set in handle(), before migrate and runserver check them

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只准备数据库，不启动服务 / only prepare the database")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--reset", action="store_true", help="先删除 SQLite 数据库文件 / delete the SQLite file first")
        parser.add_argument("--skip-migrate", action="store_true", help="不执行 migrate / do not migrate")
        parser.add_argument("--no-scheduler", action="store_true",
                            help="不在进程内运行定时任务 / do not run the scheduled jobs in-process")

    def handle(self, *args, **opts):
        if settings.PRODUCTION:
            raise CommandError("演示中心不能在生产环境运行（YICHUANG_ENV=production）。 "
                               "The demo refuses to run in production (YICHUANG_ENV=production).")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        demo_keys(settings.VAR_DIR)
        public = public_url_from(opts["host"], opts["port"])
        # WhiteNoise serves from the finders (WHITENOISE_USE_FINDERS); an empty STATIC_ROOT silences its warning.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        db = settings.DATABASES["default"]
        if opts["reset"]:
            if not db["ENGINE"].endswith("sqlite3"):
                raise CommandError("--reset 仅适用于 SQLite。 --reset only works with SQLite.")
            connections["default"].close()
            path = Path(db["NAME"])
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            self.stdout.write(f"已删除 Deleted {path}")
        if not opts["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        cert, _key, created = demo_pki_create(centre_name="九龙坡区政务服务中心")
        if created:
            self.stdout.write(f"已创建演示签章证书 Created the demo signing certificate: {cert}")
        started = time.perf_counter()
        quiet = logging.getLogger("yichuang.notify")  # the demo's console SMS would print every message it loads
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            report = demo_load()
        finally:
            quiet.setLevel(level)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"演示数据已就绪 Demo data ready: {report.centres} 个中心 centres, {report.departments} 个部门 departments, "
            f"{report.matters} 个事项 matters, {report.users} 个用户 users ({elapsed:.1f} s)")
        self.stdout.write(self.banner(served_url(opts["host"], opts["port"]), str(db["NAME"]),
                                      serving=not opts["no_serve"]))
        self.stdout.write(f"  二维码与核验链接 QR codes and verify links: {public}（YICHUANG_PUBLIC_URL）\n")
        if opts["no_serve"]:
            return
        if not opts["no_scheduler"]:
            threading.Thread(target=_scheduler, name="yichuang-scheduler", daemon=True).start()
        call_command("runserver", f"{opts['host']}:{opts['port']}", use_reloader=False)

    @staticmethod
    def banner(base: str, database: str, *, serving: bool) -> str:
        width = max(len(u) for u, *_ in org.USERS)
        lines = [
            "",
            "=" * 72,
            "  一窗 Yichuang — 演示中心 Demo centre：九龙坡区政务服务中心",
            f"  数据库 Database: {database}",
            "=" * 72,
            "  页面 Pages:" if serving else "  页面 Pages (运行 `yichuang demo` 启动服务 / run `yichuang demo` to serve):",
        ]
        width_url = max(len(base + path) for _l, path in PAGES)
        lines += [f"    {base + path:<{width_url}}  {label}" for label, path in PAGES]
        lines += ["", f"  演示账号 Demo logins（密码 password: {org.DEMO_PASSWORD}）:"]
        lines += [f"    {username:<{width}}  {role:<10} {display}"
                  for username, display, role, *_rest in org.USERS]
        lines += ["", "  仅供演示，请勿用于生产环境。 For demonstration only; never use these passwords in production.",
                  "=" * 72, ""]
        return "\n".join(lines)

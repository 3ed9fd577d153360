"""Benchmark: full case flows (receive → forward → accept → approve → ready → issue) through the services.

    uv run python bench/cases_flow.py [N]            # SQLite in a temporary directory
    YICHUANG_DATABASE_URL=postgres://…/yc_bench uv run python bench/cases_flow.py [N]   # (the database is wiped)

Prints the mean time per step and per complete flow. Not a test: figures vary with the machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("YICHUANG_VAR_DIR", tempfile.mkdtemp(prefix="yc-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def main(n: int) -> None:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from tests.cases.conftest import build_world, receive
    from yichuang.cases import services as cs

    w = build_world()
    steps = {k: 0.0 for k in ("receive", "forward", "accept", "approve", "ready", "issue")}
    t_all = time.perf_counter()
    for i in range(n):
        t = time.perf_counter(); case = receive(w, seq=i % 900 + 1); steps["receive"] += time.perf_counter() - t
        t = time.perf_counter(); case = cs.case_forward(case=case, actor=w.clerk); steps["forward"] += time.perf_counter() - t
        t = time.perf_counter(); case = cs.case_accept(case=case, actor=w.approver); steps["accept"] += time.perf_counter() - t
        t = time.perf_counter(); case = cs.case_approve(case=case, actor=w.approver); steps["approve"] += time.perf_counter() - t
        t = time.perf_counter(); case = cs.case_mark_ready(case=case, actor=w.issuer); steps["ready"] += time.perf_counter() - t
        t = time.perf_counter(); cs.case_issue(case=case, actor=w.issuer, method="window", signed_by="张三"); steps["issue"] += time.perf_counter() - t
    total = time.perf_counter() - t_all
    print(f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}: {n} flows in {total:.2f} s "
          f"({total / n * 1000:.1f} ms per flow)")
    for k, v in steps.items():
        print(f"  {k:8s} {v / n * 1000:7.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)

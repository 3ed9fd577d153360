"""Benchmark (first step, small): time the department inbox selector `case_inbox` for an approver.

    uv run python bench/inbox_bench.py [N] [REPEATS]          # SQLite in a temporary directory
    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_casebench uv run python bench/inbox_bench.py 300
    (the database is wiped)

Cases are made through the services (receive + forward), so N must stay small; for the inbox over 1,000,000 cases
see bench/inbox_1m_bench.py, for the HTTP flow bench/cases_http_bench.py. ``case_inbox`` reads one page in SQL (by
the handling department and due date, through the inbox indexes), so its time does not grow with the table.
"""

from __future__ import annotations

import os
import statistics
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


def main(n: int, repeats: int) -> None:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from tests.cases.conftest import build_world, receive
    from yichuang.cases import selectors as sel
    from yichuang.cases import services as cs

    w = build_world()
    for i in range(n):
        cs.case_forward(case=receive(w, seq=i % 900 + 1), actor=w.clerk)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        rows = sel.case_inbox(user=w.approver)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}: inbox of {len(rows)} rows "
          f"({n} cases), {repeats} calls: median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms; "
          f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, int(sys.argv[2]) if len(sys.argv) > 2 else 200)

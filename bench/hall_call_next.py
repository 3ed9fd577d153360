"""Service-level benchmark of call-next (not HTTP; the HTTP benchmark comes with the pages round).

    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_hall uv run python bench/hall_call_next.py

Each pair goes through ``hall.services`` as the API does: ``ticket_call_next`` (the window locked, the candidates
ranked by ``hall.dispatch.rank``, the first claimed with ``SELECT … FOR UPDATE SKIP LOCKED``) and ``ticket_finish``,
ORM transactions. Uses (and wipes the hall tables of) the configured database. Prints calls per second for a table holding
~100 and ~100,000 tickets (the extra ones closed/done, as after the nightly hall-close-day), showing that
the partial index on waiting tickets keeps a call's cost independent of the table size.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
os.environ.setdefault("YICHUANG_VAR_DIR", "/tmp/yc_bench_var")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from yichuang.accounts.models import Centre, User  # noqa: E402
from yichuang.catalog.models import WindowDomain  # noqa: E402
from yichuang.hall import services  # noqa: E402
from yichuang.hall.models import (ClerkSkill, DailySequence, Ticket, TicketEvent, Window,  # noqa: E402
                                  WindowSession)

CALLS = int(os.environ.get("BENCH_CALLS", "300"))


def reset():
    TicketEvent.objects.all().delete()
    Ticket.objects.all().delete()
    DailySequence.objects.all().delete()
    WindowSession.objects.all().delete()
    Window.objects.all().delete()
    ClerkSkill.objects.all().delete()
    User.objects.filter(username__startswith="bench").delete()


def setup():
    centre, _ = Centre.objects.get_or_create(code="990001", defaults={"name": "基准中心", "level": "county"})
    a, _ = WindowDomain.objects.get_or_create(code="bench_a", defaults={"name": "基准甲", "ticket_prefix": "Y"})
    b, _ = WindowDomain.objects.get_or_create(code="bench_b", defaults={"name": "基准乙", "ticket_prefix": "Z"})
    windows = []
    for i in range(8):
        u = User.objects.create(username=f"bench{i}", role="clerk", centre=centre)
        services.skill_set(user=u, domains=[a, b])
        w = services.window_create(actor=None, centre=centre, number=f"B{i}")
        services.clerk_sign_in(window=w, clerk=u)
        windows.append((Window.objects.get(pk=w.pk), u))
    return centre, a, b, windows


def filler(centre, domain, n):
    """n old tickets already done (yesterday and before), as the table looks after months of service."""
    old = timezone.now() - dt.timedelta(days=2)
    rows = [Ticket(centre=centre, domain=domain, day=old.date() - dt.timedelta(days=i // 900), seq=i % 900 + 1,
                   number="Y000", state="done", issued_at=old, queued_at=old) for i in range(n)]
    Ticket.objects.bulk_create(rows, batch_size=5000)


def run(label, filler_n):
    reset()
    centre, a, b, windows = setup()
    filler(centre, a, filler_n)
    for i in range(CALLS):
        services.ticket_issue(centre=centre, domain=a if i % 2 else b)
    t0 = time.perf_counter()
    for i in range(CALLS):
        w, u = windows[i % len(windows)]
        t = services.ticket_call_next(window=w, clerk=u)
        services.ticket_finish(window=w, clerk=u, ticket=t)
    secs = time.perf_counter() - t0
    print(f"{label:>28}: {Ticket.objects.count():>7} rows, {CALLS} call-next+finish in {secs:.2f}s "
          f"= {CALLS / secs:.0f} pairs/s ({secs / CALLS * 1000:.2f} ms each, one thread)")


def main():
    call_command("migrate", verbosity=0)
    run("~100 tickets in the table", 0)
    run("~100,000 tickets in the table", 100_000)
    reset()


if __name__ == "__main__":
    sys.exit(main())

"""Microseconds per add_workdays / workdays_between call on a migrated database.

    YICHUANG_VAR_DIR=/tmp/bench uv run yichuang migrate && YICHUANG_VAR_DIR=/tmp/bench uv run python bench/workdays_bench.py
"""

import datetime as dt
import os
import random
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
import django  # noqa: E402

django.setup()

from yichuang.workcal import workdays  # noqa: E402


def bench(label, fn, calls):
    t0 = time.perf_counter()
    for args in calls:
        fn(*args)
    us = (time.perf_counter() - t0) / len(calls) * 1e6
    print(f"{label:<45} {us:8.2f} µs/call  ({len(calls)} calls)")


def main():
    rng = random.Random(1)
    starts = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 10)) for _ in range(20000)]
    adds = [(d, rng.choice([1, 5, 15, 20, 30, 60])) for d in starts]
    workdays.invalidate()
    t0 = time.perf_counter()
    workdays.add_workdays(dt.date(2026, 1, 1), 1)
    print(f"{'cold start (version check + first year)':<45} {(time.perf_counter() - t0) * 1e6:8.0f} µs")
    for y in range(2019, 2032):
        workdays.add_workdays(dt.date(y, 6, 1), 1)
    bench("add_workdays (warm, n in 1..60)", workdays.add_workdays, adds)
    bench("workdays_between (warm, spans ≤ 10 y)", workdays.workdays_between, list(zip(starts, reversed(starts))))
    bench("is_workday (warm)", workdays.is_workday, [(d,) for d in starts])
    t0 = time.perf_counter()
    for _ in range(200):
        workdays._db_version()
    print(f"{'version check query (every 2 s per process)':<45} {(time.perf_counter() - t0) / 200 * 1e6:8.2f} µs")
    workdays.invalidate()
    t0 = time.perf_counter()
    for y in range(2019, 2032):
        workdays.add_workdays(dt.date(y, 6, 1), 1)
    print(f"{'reload 13 years after an edit':<45} {(time.perf_counter() - t0) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()

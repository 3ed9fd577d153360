"""Running a test's work in several threads at once, each on its own database connection."""

import threading

from django.db import connections


def run_in_threads(work, n: int) -> None:
    """Call ``work(i)`` for i in 0..n-1, all at once, each in its own thread (which closes its connections when
    done); fail the test with every error a thread raised."""
    errors = []

    def run(i):
        try:
            work(i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors

"""The servers a benchmark (or a test of the documented servers, tests/infra/) starts: granian under ASGI (the
board-stream server of docs/operations.md, which also serves every other route), granian under WSGI (the documented
application server, ``granian-wsgi``), or gunicorn (WSGI, for comparison). Under WSGI a board stream holds a thread."""

from __future__ import annotations

import sys

APP = "yichuang.config.asgi:application"
WSGI_APP = "yichuang.config.wsgi:application"


def server_cmd(server: str, *, port: int, workers: str, threads: str = "1", worker_class: str = "gthread",
               granian_extra: list[str] | tuple[str, ...] = (),
               gunicorn_extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """granian: ``workers`` ASGI processes, respawned when one dies (sync views run in Django's thread per
    request; ``threads`` is ignored); gunicorn: ``worker_class`` workers x ``threads`` over WSGI."""
    if server == "granian-wsgi":  # the documented application server: pages and API (its boards hold a thread)
        return [sys.executable, "-m", "granian", "--interface", "wsgi", WSGI_APP, "--host", "127.0.0.1", "--port",
                str(port), "--workers", workers, "--blocking-threads", threads, "--respawn-failed-workers",
                "--respawn-interval", "1", "--backlog", "2048", "--log-level", "warning", "--no-ws", *granian_extra]
    if server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "asginl", APP, "--host", "127.0.0.1", "--port",
                str(port), "--workers", workers, "--runtime-threads", "1", "--respawn-failed-workers",
                "--respawn-interval", "1", "--backlog", "2048", "--log-level", "warning", "--no-ws",
                *granian_extra]
    return [sys.executable, "-m", "gunicorn", WSGI_APP, "-b", f"127.0.0.1:{port}", "-k", worker_class, "-w",
            workers, "--threads", threads, "--keep-alive", "30", "--log-level", "warning", *gunicorn_extra]


def cpu_times() -> tuple[int, int]:
    """(all CPU ticks, stolen ticks) of the machine so far, from /proc/stat (0, 0 where it is missing)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return sum(fields[:8]), (fields[7] if len(fields) > 7 else 0)


def steal_since(before: tuple[int, int]) -> float:
    """Share of the machine's CPU time the hypervisor took from this virtual machine since ``before`` (0–1).
    On a shared host it explains runs that are slow for no reason in the code."""
    total, steal = cpu_times()
    dt = total - before[0]
    return (steal - before[1]) / dt if dt > 0 else 0.0

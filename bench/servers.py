"""The application server a benchmark starts: granian (the default, as in production) or gunicorn."""

from __future__ import annotations

import sys

APP = "yichuang.config.wsgi:application"


def server_cmd(server: str, *, port: int, workers: str, threads: str, worker_class: str = "gthread",
               granian_extra: list[str] | tuple[str, ...] = (),
               gunicorn_extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """granian: ``workers`` processes x ``threads`` blocking threads; gunicorn: ``worker_class`` workers x threads."""
    if server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi", APP, "--host", "127.0.0.1", "--port",
                str(port), "--workers", workers, "--blocking-threads", threads, "--runtime-threads", "1",
                "--backlog", "2048", "--log-level", "warning", "--no-ws", *granian_extra]
    return [sys.executable, "-m", "gunicorn", APP, "-b", f"127.0.0.1:{port}", "-k", worker_class, "-w", workers,
            "--threads", threads, "--keep-alive", "30", "--log-level", "warning", *gunicorn_extra]

"""Crash safety (PostgreSQL): gunicorn with 3 workers, concurrent call-next from several windows and case
transitions from several client processes; one worker is killed with SIGKILL mid-load. Then: no ticket served twice
or lost, no case half-done (state agrees with its history and its audit events), and the audit chain verifies.

Run: YICHUANG_DATABASE_URL=postgres://… uv run pytest tests/security/test_crash.py -q -s
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.cases.conftest import build_world, receive
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.cases import services as cs
from yichuang.cases.models import Case, CaseTransition
from yichuang.hall import services as hall
from yichuang.hall.models import Ticket, TicketEvent

pytestmark = [pytest.mark.postgres]

PORT = int(os.environ.get("YICHUANG_CRASH_PORT", "8150"))
TICKETS = 90
WINDOWS = 3
CASES_PER_APPROVER = 8
CASES_TO_FORWARD = 8
CLIENT = Path(__file__).with_name("crash_client.py")


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _wait_healthy(base: str, deadline: float) -> None:
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not become healthy")


@pytest.mark.django_db(transaction=True)
def test_sigkill_a_worker_mid_load(tmp_path, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the crash test runs on PostgreSQL only")
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", PORT)) == 0:
            pytest.skip(f"port {PORT} is busy")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # every process must share the field-encryption key (ID and phone numbers are encrypted at rest)
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", "crash1:" + base64.b64encode(os.urandom(64)).decode())

    # ---- the world, committed (the server processes read it)
    w = build_world()
    domain = w.matter.domain
    approver2 = acc.user_create(username="approver2", password="secret-pass-1", role=Role.APPROVER,
                                department=w.dept, post=Post.A, centre=w.centre)
    clerks, windows = [], []
    for i in range(WINDOWS):
        clerk = acc.user_create(username=f"win{i}", password="secret-pass-1", role=Role.CLERK, centre=w.centre)
        hall.skill_set(user=clerk, domains=[domain], level="senior")
        window = hall.window_create(actor=None, centre=w.centre, number=str(i + 1))
        hall.clerk_sign_in(window=window, clerk=clerk)
        clerks.append(clerk)
        windows.append(window)
    for _ in range(TICKETS):
        hall.ticket_issue(centre=w.centre, domain=domain)
    to_decide = [cs.case_forward(case=receive(w, seq=i), actor=w.clerk).number
                 for i in range(1, 2 * CASES_PER_APPROVER + 1)]
    to_forward = [receive(w, seq=100 + i).number for i in range(CASES_TO_FORWARD)]
    token = {u.username: acc.token_issue(username=u.username, password="secret-pass-1")[1]
             for u in [*clerks, w.approver, approver2, w.clerk2]}

    # ---- three gunicorn workers on the test database
    s = connection.settings_dict
    url = f"postgres://{s.get('USER') or ''}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    env.update({"YICHUANG_FIELD_KEYS": os.environ["YICHUANG_FIELD_KEYS"], "YICHUANG_SECRET_KEY": os.environ["YICHUANG_SECRET_KEY"],
                "YICHUANG_DATABASE_URL": url, "YICHUANG_VAR_DIR": str(tmp_path), "YICHUANG_LOG_LEVEL": "ERROR",
                "YICHUANG_DB_CONN_MAX_AGE": "0", "DJANGO_SETTINGS_MODULE": "yichuang.config.settings"})
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    base = f"http://127.0.0.1:{PORT}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind", f"127.0.0.1:{PORT}", "--preload",
         "--timeout", "30", "--graceful-timeout", "2", "--log-level", "warning", "yichuang.config.wsgi:application"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "gunicorn.log", "w"))
    clients: list[subprocess.Popen] = []
    try:
        _wait_healthy(base, time.time() + 30)
        deadline = time.time() + 20  # the first worker may answer before the master has forked the third
        while len(workers := _children(server.pid)) < 3 and time.time() < deadline:
            time.sleep(0.1)
        assert len(workers) == 3, workers

        started = time.time()
        for clerk, window in zip(clerks, windows):
            clients.append(subprocess.Popen([sys.executable, str(CLIENT), "hall", base, token[clerk.username],
                                             str(window.pk), str(w.centre.code)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        half = CASES_PER_APPROVER
        for user, numbers in ((w.approver, to_decide[:half]), (approver2, to_decide[half:])):
            clients.append(subprocess.Popen([sys.executable, str(CLIENT), "cases", base, token[user.username],
                                             "accept,approve", ",".join(numbers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        clients.append(subprocess.Popen([sys.executable, str(CLIENT), "cases", base, token["clerk2"], "forward",
                                         ",".join(to_forward)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))

        # ---- mid-load: SIGKILL one worker
        while Ticket.objects.filter(state="done").count() < TICKETS // 5 and time.time() - started < 20:
            time.sleep(0.05)
        waiting_at_kill = Ticket.objects.filter(state="waiting").count()
        victim = _children(server.pid)[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.time() - started

        results = []
        for p in clients:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, (out, err[-2000:])
            results.append(json.loads(out))
        elapsed = time.time() - started
        respawned = _children(server.pid)
    finally:
        for p in clients:
            if p.poll() is None:
                p.kill()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    # ---- tickets: each served exactly once, none lost
    hall_results = [r for r in results if r["kind"] == "hall"]
    claimed = [t for r in hall_results for t in r["served"] + r["recovered"]]
    dup = [t for t, n in Counter(claimed).items() if n > 1]
    assert not dup, f"tickets served twice: {dup}"
    tickets = Ticket.objects.all()
    assert tickets.count() == TICKETS
    assert set(claimed) == set(tickets.values_list("id", flat=True)), "a ticket was lost"
    assert set(tickets.values_list("state", flat=True)) == {"done"}
    called = Counter(TicketEvent.objects.filter(kind="called").values_list("ticket_id", flat=True))
    assert set(called.values()) == {1} and len(called) == TICKETS, "a ticket was called twice"
    for r in hall_results:  # each window served what it claimed, and only that
        assert set(Ticket.objects.filter(window_id=r["window"]).values_list("id", flat=True)) == \
            set(r["served"] + r["recovered"])

    # ---- cases: all done, state agrees with history and audit
    for number in to_decide:
        assert Case.objects.get(number=number).state == "approved"
    for number in to_forward:
        assert Case.objects.get(number=number).state == "forwarded"
    half_done = []
    for case in Case.objects.all():
        moves = list(CaseTransition.objects.filter(case=case).order_by("at", "id").values_list("from_state",
                                                                                                "to_state"))
        chain_ok = all(moves[i][1] == moves[i + 1][0] for i in range(len(moves) - 1)) and moves[-1][1] == case.state
        audited = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                            after__has_key="state").count()
        if not chain_ok or audited != len(moves):
            half_done.append((case.number, case.state, moves, audited))
    assert not half_done, half_done

    ok, bad_seq, reason = audit_verify()
    assert ok, (bad_seq, reason)

    dropped = sum(r["dropped"] for r in results)
    recovered = sum(len(r["recovered"]) for r in hall_results)
    print(f"\ncrash test: 3 gunicorn workers, {len(clients)} client processes; SIGKILL worker {victim} at "
          f"{killed_at:.2f}s with {waiting_at_kill} tickets waiting; {dropped} requests dropped and retried, "
          f"{recovered} calls recovered from the server; workers after: {len(respawned)}; "
          f"{TICKETS} tickets each called once and finished, 0 lost; "
          f"{len(to_decide)} cases accepted+approved, {len(to_forward)} forwarded, 0 half-done; "
          f"audit chain OK ({AuditEvent.objects.count()} events); {elapsed:.1f}s")

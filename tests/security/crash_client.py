"""A load client for the crash test (run as its own process): plain HTTP, retries after a dropped connection,
and recovers what it was doing from the server's state, as a real console would.

    python crash_client.py hall BASE TOKEN WINDOW_ID CENTRE_ID
    python crash_client.py cases BASE TOKEN STEP[,STEP…] NUMBER[,NUMBER…]

Prints one JSON object: what it did (ticket ids served, case numbers moved) and how many requests failed at the
transport level (the killed worker).
"""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.error
import urllib.request

DROPPED = 0


def _json(raw: bytes, status: int) -> dict:
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {"_status": status, "_raw": raw[:500].decode("utf-8", "replace")}


def call(base: str, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    """One request; a dropped connection (worker killed) is retried after a short pause, up to 20 times."""
    global DROPPED
    data = json.dumps(body or {}).encode() if method == "POST" else None
    for _ in range(20):
        req = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, _json(r.read(), r.status)
        except urllib.error.HTTPError as e:
            if e.code >= 500 and e.code != 500:
                DROPPED += 1
                time.sleep(0.05)
                continue
            return e.code, _json(e.read(), e.code)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            DROPPED += 1
            time.sleep(0.05)
    raise SystemExit(f"gave up on {method} {path}")


def hall(base: str, token: str, window: int, centre: str) -> dict:
    served: list[int] = []
    recovered: list[int] = []
    while True:
        status, body = call(base, token, "POST", f"/api/v1/hall/windows/{window}/call-next")
        if status == 404:               # queue empty
            break
        if status == 409:               # a ticket is still open here: our call went through but the answer was lost
            number = re.search(r"[A-Z]\d{3}", body.get("message", "")).group(0)
            _, t = call(base, token, "GET", f"/api/v1/hall/centres/{centre}/tickets/{number}")
            ticket_id = t["id"]
            recovered.append(ticket_id)
        elif status == 200:
            ticket_id = body["id"]
            served.append(ticket_id)
        else:
            raise SystemExit(f"call-next answered {status}: {body}")
        status, body = call(base, token, "POST", f"/api/v1/hall/windows/{window}/tickets/{ticket_id}/finish")
        if status != 200:
            _, t = call(base, token, "GET", f"/api/v1/hall/tickets/{ticket_id}")
            if t.get("state") != "done":
                raise SystemExit(f"finish answered {status}: {body}")
    return {"kind": "hall", "window": window, "served": served, "recovered": recovered, "dropped": DROPPED}


def cases(base: str, token: str, steps: list[str], numbers: list[str]) -> dict:
    moved: list[str] = []
    for number in numbers:
        for step in steps:
            target = {"forward": "forwarded", "accept": "accepted", "approve": "approved"}[step]
            status, body = call(base, token, "POST", f"/api/v1/cases/{number}/{step}", {"opinion": "准予"})
            if status != 200:
                # the move may have committed before the worker died: read the state back
                dstatus, d = call(base, token, "GET", f"/api/v1/cases/{number}")
                if "state" not in d:
                    raise SystemExit(f"{step} {number} answered {status}: {body}; detail {dstatus}: {d}")
                order = ["received", "forwarded", "accepted", "approved"]
                if order.index(d["state"]) < order.index(target):
                    raise SystemExit(f"{step} {number} answered {status}: {body}")
        moved.append(number)
    return {"kind": "cases", "moved": moved, "dropped": DROPPED}


if __name__ == "__main__":
    kind, base, token = sys.argv[1:4]
    if kind == "hall":
        out = hall(base, token, int(sys.argv[4]), sys.argv[5])
    else:
        out = cases(base, token, sys.argv[4].split(","), sys.argv[5].split(","))
    print(json.dumps(out))

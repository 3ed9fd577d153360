"""Taking a number as a single SQL statement on PostgreSQL (the kiosk's write).

Through the ORM a ticket took eleven round trips: the centre, the domain and the matter looked up, the open
windows able to serve it counted, BEGIN, the day's sequence drawn, the ticket and its ``issued`` event inserted,
COMMIT, the display boards told (``pg_notify``) and the people ahead counted for the slip. ``ISSUE_SQL`` does all
of it in ONE statement, in autocommit:

1. looks up the centre, the domain (its prefix and name for the slip) and the matter;
2. counts the open, signed-in windows that may serve the ticket (``claim.may_serve``, live, as the claim checks);
3. only when all of them are there (the matter belongs to the domain, at least one window can serve it): draws
   the next number of the day (an upsert that creates or increments the day's counter, whose row lock orders
   concurrent kiosks), inserts the ticket and its ``issued`` event and announces it on ``hall_<centre>``;
4. counts the tickets of the domain ahead of it (at most ``ahead_cap``) for the slip's wait estimate.

When a check fails nothing is written, and the row says which one: ``services.ticket_issue`` raises the same
errors as on the ORM path (SQLite, or inside a caller's transaction: then the statement runs in a savepoint).
The validation of the ID number and the priority class are Python's, before the statement.
``tests/hall/test_issuing.py`` compares it with the ORM path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from yichuang.catalog.models import WindowDomain

from . import claim
from .models import Ticket

_COLS = [c for c in claim.TICKET_COLUMNS if c != "id"]
_VALUES = {
    "centre_id": "%(centre)s", "domain_id": "%(domain)s", "matter_id": "%(matter)s::bigint", "day": "%(day)s",
    "seq": "s.last", "priority": "%(priority)s", "priority_reason": "%(priority_reason)s", "source": "%(source)s",
    "id_number": "%(id_number)s", "state": "'waiting'", "issued_at": "%(now)s", "queued_at": "%(now)s",
    "recall_count": "0", "requeue_count": "0", "case_numbers": "'[]'::jsonb",
    # The slip's number: prefix + at least 3 digits (A001 … A999, then A1000), as ``f"{seq:03d}"``.
    "number": "d.ticket_prefix || CASE WHEN s.last < 1000 THEN lpad(s.last::text, 3, '0') ELSE s.last::text END",
}
_NULLS = {"called_at", "started_at", "finished_at", "window_id", "target_window_id", "clerk_id"}
assert set(_VALUES) | _NULLS == set(_COLS), "hall_ticket's columns changed: update issuing._VALUES"

# The people ahead of a ticket in its domain, at most %(ahead_cap)s, read in the order of the waiting queue's index
# from its head (a plain LIMIT lets the planner pick a table scan that steps over the past days' tickets first).
AHEAD_SQL = """SELECT count(*) FROM (
            SELECT 1 FROM hall_ticket a
            WHERE a.centre_id = %(centre)s AND a.state = 'waiting' AND a.domain_id = %(domain)s
              AND (a.priority, a.queued_at) < (%(priority)s, %(queued)s)
            ORDER BY a.priority, a.queued_at, a.id
            LIMIT %(ahead_cap)s) x"""

ISSUE_SQL = f"""WITH c AS (
    SELECT id FROM accounts_centre WHERE id = %(centre)s
), d AS (
    SELECT id, code, name, ticket_prefix, "order" FROM catalog_windowdomain WHERE id = %(domain)s
), m AS (
    SELECT domain_id, name FROM catalog_matter WHERE id = %(matter)s::bigint
), able AS (
    SELECT count(*) AS n FROM hall_window ow
    WHERE ow.centre_id = %(centre)s AND ow.state = 'open' AND ow.clerk_id IS NOT NULL
      AND {claim.may_serve("%(domain)s", "%(matter)s::bigint")}
), ok AS (
    SELECT 1 FROM c CROSS JOIN d
    WHERE (%(matter)s::bigint IS NULL OR (SELECT domain_id FROM m) = %(domain)s) AND (SELECT n FROM able) > 0
), s AS (
    INSERT INTO hall_dailysequence (centre_id, domain_id, day, last)
    SELECT %(centre)s, %(domain)s, %(day)s, 1 FROM ok
    ON CONFLICT (centre_id, domain_id, day) DO UPDATE SET last = hall_dailysequence.last + 1
    RETURNING last
), t AS (
    INSERT INTO hall_ticket ({", ".join(_COLS)})
    SELECT {", ".join(_VALUES.get(c, "NULL") for c in _COLS)} FROM s CROSS JOIN d
    RETURNING {", ".join(claim.TICKET_COLUMNS)}
), ev AS (
    INSERT INTO hall_ticketevent (ticket_id, kind, at, window_id, clerk_id, data)
    SELECT id, 'issued', %(now)s, NULL, %(clerk)s::bigint,
           jsonb_build_object('priority', %(priority)s::int, 'source', %(source)s::text)
    FROM t
    RETURNING id
)
SELECT EXISTS (SELECT 1 FROM c), d.id IS NOT NULL, EXISTS (SELECT 1 FROM m), (SELECT domain_id FROM m),
       (SELECT name FROM m), (SELECT n FROM able),
       CASE WHEN t.id IS NOT NULL THEN ({AHEAD_SQL}) END,
       CASE WHEN t.id IS NOT NULL THEN pg_notify('hall_' || t.centre_id::text,
            json_build_object('kind', 'issued', 'number', t.number, 'window', NULL)::text) END,
       d.code, d.name, d.ticket_prefix, d."order",
       {", ".join(f"t.{c}" for c in claim.TICKET_COLUMNS)}
FROM (SELECT 1) AS one LEFT JOIN d ON true LEFT JOIN t ON true
"""


@dataclass(frozen=True)
class Issued:
    """What ``ISSUE_SQL`` found: the checks' results (the domain as read, None when it does not exist), and the
    ticket (its ``domain`` set) when they passed."""

    centre_found: bool
    domain: WindowDomain | None
    matter_found: bool
    matter_domain_id: int | None
    matter_name: str | None
    windows_able: int
    ahead: int | None
    ticket: Ticket | None


def available() -> bool:
    return claim.available()


def issue(*, centre_id: int, domain_id: int, matter_id: int | None, day: dt.date, now: dt.datetime, priority: int,
          priority_reason: str, source: str, id_number: str, clerk_id: int | None, ahead_cap: int) -> Issued:
    id_field = Ticket._meta.get_field("id_number")
    row = claim._execute(ISSUE_SQL, {
        "centre": centre_id, "domain": domain_id, "matter": matter_id, "day": day, "now": now,
        "priority": int(priority), "priority_reason": priority_reason, "source": str(source),
        "id_number": id_field.get_db_prep_save(id_number, connection), "clerk": clerk_id, "ahead_cap": ahead_cap, "queued": now,
    })
    centre_found, domain_found, matter_found, matter_domain, matter_name, able, ahead, _notified = row[:8]
    domain = (WindowDomain.from_db(connection.alias, ["id", "code", "name", "ticket_prefix", "order"],
                                   (domain_id, *row[8:12])) if domain_found else None)
    ticket = None
    if row[12] is not None:
        ticket = claim.ticket_from_row(row[12:])
        ticket.domain = domain
    return Issued(centre_found=centre_found, domain=domain, matter_found=matter_found, matter_domain_id=matter_domain,
                  matter_name=matter_name, windows_able=int(able), ahead=ahead, ticket=ticket)


def ahead(*, centre_id: int, domain_id: int, priority: int, queued_at: dt.datetime, cap: int) -> int:
    """``AHEAD_SQL`` on its own (a slip looked at again)."""
    with connection.cursor() as cur:
        cur.execute(AHEAD_SQL, {"centre": centre_id, "domain": domain_id, "priority": int(priority),
                                "queued": queued_at, "ahead_cap": cap})
        return cur.fetchone()[0]

"""Call-next and finish as single SQL statements on PostgreSQL (the hot path of the hall).

``ticket_call_next`` on PostgreSQL runs ONE statement, in autocommit, that

1. checks the window (open, this clerk signed in; ``FOR KEY SHARE`` so a concurrent sign-out or pause waits),
2. takes the first ``CANDIDATE_LIMIT`` waiting tickets the window may serve — its type ∩ the clerk's skills,
   a ticket transferred to another window excluded — best class and oldest first, from the partial index of
   waiting tickets (so the cost does not grow with the days of closed tickets in the table),
3. orders them exactly as ``dispatch.choose`` does: class; within the class the starving tickets first
   (oldest first), then the highest score ``wait_minutes * wait_weight + scarcity_weight / windows_able``
   (``windows_able`` over the open, signed-in windows of the centre, from the tables ``scarcity`` keeps per
   centre and passes as arrays), then FIFO,
4. locks the first of them not locked by another window (``FOR UPDATE SKIP LOCKED``: two windows calling at
   the same moment never wait for each other and never get the same ticket), marks it called and
5. inserts the ``called`` event row and
6. notifies the display boards (``pg_notify``, delivered when the statement commits).

``FINISH_AND_CALL_NEXT_SQL`` (办结并叫下一号) first finishes the ticket being served, then does the above, in
the same one statement: the clerk's usual click costs one round trip.

It returns nothing when the window may not call (not open, another clerk, a ticket still active) or nothing
is waiting; the caller then runs the ORM path, which says why. The partial unique index
``hall_one_active_ticket_per_window`` makes a double click at one window fail instead of calling two tickets.

``tests/hall/test_claim_sql.py`` checks the statement against ``dispatch.choose`` on random queues.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from . import scarcity
from .constants import CANDIDATE_LIMIT
from .models import Ticket, Window

TICKET_COLUMNS = [f.column for f in Ticket._meta.concrete_fields]
TICKET_ATTNAMES = [f.attname for f in Ticket._meta.concrete_fields]
_CONVERTED = [(i, f) for i, f in enumerate(Ticket._meta.concrete_fields) if hasattr(f, "from_db_value")]
_T = ", ".join(f"t.{c}" for c in TICKET_COLUMNS)
_CLAIMED = ", ".join(f"claimed.{c}" for c in TICKET_COLUMNS)

def may_serve(domain: str, matter: str) -> str:
    """SQL condition: the window ``ow`` (with its signed-in clerk) may serve a ticket of ``domain`` / ``matter``
    (SQL expressions) — its type allows it (``dispatch.window_allows``) and so do the clerk's skills
    (``dispatch.clerk_allows``). Plain SQL, for the kiosk's count (``services.windows_able_count``, on SQLite
    too); the claim statements read scarcity from ``scarcity``'s tables instead."""
    return f"""(ow.window_type = 'general'
       OR EXISTS (SELECT 1 FROM hall_window_domains x WHERE x.window_id = ow.id AND x.windowdomain_id = {domain})
       OR (ow.window_type = 'department' AND EXISTS (
           SELECT 1 FROM catalog_matter m WHERE m.id = {matter} AND m.department_id = ow.department_id)))
  AND (EXISTS (SELECT 1 FROM hall_clerkskill s JOIN hall_clerkskill_domains y ON y.clerkskill_id = s.id
               WHERE s.user_id = ow.clerk_id AND y.windowdomain_id = {domain})
       OR EXISTS (SELECT 1 FROM hall_clerkskill s JOIN hall_clerkskill_matters z ON z.clerkskill_id = s.id
                  WHERE s.user_id = ow.clerk_id AND z.matter_id = {matter}))"""


# Finishing the ticket being served (FINISH_SQL and the first half of "finish and call next").
_FINISH_CTES = """
ft AS (
    SELECT t.id, t.called_at, t.started_at FROM hall_ticket t
    WHERE t.id = %(ticket)s AND t.window_id = %(window)s AND t.state IN ('called', 'serving')
      AND EXISTS (SELECT 1 FROM hall_window w WHERE w.id = %(window)s AND w.clerk_id = %(clerk)s)
    FOR UPDATE
), fin AS (
    UPDATE hall_ticket u SET state = 'done', started_at = COALESCE(ft.started_at, ft.called_at, %(now)s),
                             finished_at = %(now)s
    FROM ft WHERE u.id = ft.id
    RETURNING {returning}
), fev AS (
    INSERT INTO hall_ticketevent (ticket_id, kind, at, window_id, clerk_id, data)
    SELECT id, 'started', COALESCE(called_at, %(now)s), %(window)s, %(clerk)s, '{{"implicit": true}}'::jsonb
    FROM ft WHERE started_at IS NULL
    UNION ALL
    SELECT id, 'finished', %(now)s, %(window)s, %(clerk)s, jsonb_build_object(
        'service_seconds', trunc(EXTRACT(EPOCH FROM (%(now)s - COALESCE(started_at, called_at, %(now)s))))::int)
    FROM ft
    RETURNING id
)"""

# The display boards listen on hall_<centre>; the statement announces its own call (delivered at commit).
_NOTIFY = ("pg_notify('hall_' || claimed.centre_id::text, json_build_object("
           "'kind', 'called', 'number', claimed.number, 'window', w.number)::text)")


def _call_next_sql(*, after_finish: bool) -> str:
    """The claim statement; ``after_finish`` first finishes %(ticket)s at the window (办结并叫下一号)."""
    finish = ("WITH " + _FINISH_CTES.format(returning="u.id") + ", ") if after_finish else "WITH "
    # In one statement every part sees the queue as it was before it: the ticket being finished still looks
    # active, so it is left out of the check; and the claim waits for the finish (pick reads fin), so the
    # one-active-ticket-per-window index never sees two active tickets.
    not_this = " AND a.id <> %(ticket)s" if after_finish else ""
    gate = "WHERE EXISTS (SELECT 1 FROM fin)" if after_finish else ""
    tail = (f"""SELECT {_CLAIMED}, w.number, w.window_type, w.department_id, w.clerk_id, d.code, d.name, d.ticket_prefix,
       d."order", CASE WHEN claimed.id IS NOT NULL THEN {_NOTIFY} END, (SELECT id FROM fin)
FROM (SELECT 1) AS one
LEFT JOIN (claimed CROSS JOIN w JOIN catalog_windowdomain d ON d.id = claimed.domain_id) ON true"""
            if after_finish else
            f"""SELECT {_CLAIMED}, w.number, w.window_type, w.department_id, w.clerk_id, d.code, d.name, d.ticket_prefix,
       d."order", {_NOTIFY}
FROM claimed CROSS JOIN w JOIN catalog_windowdomain d ON d.id = claimed.domain_id""")
    return finish + _CALL_NEXT_BODY.format(not_this=not_this, gate=gate) + tail


_CALL_NEXT_BODY = f"""w AS (
    SELECT id, centre_id, number, window_type, department_id, clerk_id FROM hall_window
    WHERE id = %(window)s AND state = 'open' AND clerk_id = %(clerk)s
    FOR KEY SHARE
), wd AS (
    SELECT windowdomain_id AS id FROM hall_window_domains WHERE window_id = %(window)s
), sk AS (
    SELECT id FROM hall_clerkskill WHERE user_id = %(clerk)s
), cd AS (
    SELECT windowdomain_id AS id FROM hall_clerkskill_domains WHERE clerkskill_id IN (SELECT id FROM sk)
), cm AS (
    SELECT matter_id AS id FROM hall_clerkskill_matters WHERE clerkskill_id IN (SELECT id FROM sk)
), dm AS (
    SELECT id FROM catalog_matter
    WHERE department_id = (SELECT department_id FROM w WHERE window_type = 'department')
), cand AS (
    SELECT t.id, t.domain_id, t.matter_id, t.priority, t.queued_at, t.target_window_id
    FROM hall_ticket t
    WHERE t.centre_id = (SELECT centre_id FROM w) AND t.state = 'waiting'
      AND (t.target_window_id IS NULL OR t.target_window_id = %(window)s)
      AND (t.domain_id IN (SELECT id FROM cd) OR t.matter_id IN (SELECT id FROM cm))
      AND ((SELECT window_type FROM w) = 'general' OR t.domain_id IN (SELECT id FROM wd)
           OR t.matter_id IN (SELECT id FROM dm))
      AND NOT EXISTS (SELECT 1 FROM hall_ticket a WHERE a.window_id = %(window)s AND a.state IN ('called', 'serving')
                      {{not_this}})
    ORDER BY t.priority, t.queued_at, t.id
    LIMIT {CANDIDATE_LIMIT}
), ranked AS MATERIALIZED (
    -- Scarcity (how many open windows can serve the ticket) from the per-centre tables of ``scarcity``: by
    -- matter where the matter changes it, else by domain; a ticket sent to one window counts 1.
    SELECT cand.id FROM cand
    ORDER BY cand.priority,
             CASE WHEN %(fifo)s OR cand.queued_at < %(starve_before)s THEN 0 ELSE 1 END,
             CASE WHEN %(fifo)s OR cand.queued_at < %(starve_before)s THEN NULL
                  ELSE -(GREATEST(EXTRACT(EPOCH FROM (%(now)s - cand.queued_at)) / 60.0, 0) * %(wait_weight)s
                         + %(scarcity_weight)s / GREATEST(CASE WHEN cand.target_window_id IS NULL THEN COALESCE(
                               (%(able_matter_n)s::int[])[array_position(%(able_matters)s::bigint[], cand.matter_id)],
                               (%(able_domain_n)s::int[])[array_position(%(able_domains)s::bigint[], cand.domain_id)])
                           END, 1)) END,
             cand.queued_at, cand.id
), pick AS (
    -- In policy order, lock the first candidate no other window holds and that is still waiting (its current
    -- version); LIMIT 1 stops at the first success, so usually one row is looked up.
    SELECT l.id FROM ranked CROSS JOIN LATERAL (
        SELECT c.id FROM hall_ticket c WHERE c.id = ranked.id AND c.state = 'waiting' FOR UPDATE SKIP LOCKED
    ) l
    {{gate}}
    LIMIT 1
), claimed AS (
    UPDATE hall_ticket t SET state = 'called', called_at = %(now)s, window_id = %(window)s, clerk_id = %(clerk)s,
                             recall_count = 0
    FROM pick WHERE t.id = pick.id
    RETURNING {_T}
), ev AS (
    INSERT INTO hall_ticketevent (ticket_id, kind, at, window_id, clerk_id, data)
    SELECT id, 'called', %(now)s, %(window)s, %(clerk)s,
           jsonb_build_object('how', 'next', 'wait_seconds', trunc(EXTRACT(EPOCH FROM (%(now)s - issued_at)))::int)
    FROM claimed
    RETURNING id
)
"""

CALL_NEXT_SQL = _call_next_sql(after_finish=False)
FINISH_AND_CALL_NEXT_SQL = _call_next_sql(after_finish=True)

FINISH_SQL = "WITH " + _FINISH_CTES.format(returning=", ".join(f"u.{c}" for c in TICKET_COLUMNS)) + f"""
SELECT {", ".join(f"fin.{c}" for c in TICKET_COLUMNS)}, w.number, w.window_type, w.department_id, w.clerk_id, d.code,
       d.name, d.ticket_prefix, d."order"
FROM fin JOIN hall_window w ON w.id = fin.window_id JOIN catalog_windowdomain d ON d.id = fin.domain_id
"""


def available() -> bool:
    return connection.vendor == "postgresql"


def _execute(sql: str, params: dict) -> tuple | None:
    """One statement: in autocommit when no transaction is open (one round trip), else in a savepoint."""
    if connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchone()
    connection.ensure_connection()
    import psycopg

    # A server-side-binding cursor on Django's connection: the statement is prepared once per connection
    # (set HALL_PREPARED_STATEMENTS = False behind a pooler that cannot keep prepared statements).
    raw = connection.connection
    prepare = _prepare()
    if prepare and raw.prepare_threshold is None:
        # Django turns automatic preparation off (None), which also refuses prepare=True; a huge threshold keeps
        # Django's own (client-side bound) queries unprepared and lets these two statements be prepared.
        raw.prepare_threshold = 1 << 30
    # Named placeholders, parsed by psycopg once per statement text (``sqlcache.let_psycopg_cache_long_statements``
    # lets it keep statements of this length).
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cur:
        cur.execute(sql, params, prepare=prepare)
        return cur.fetchone()


def _prepare() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "HALL_PREPARED_STATEMENTS", True))


def ticket_from_row(row) -> Ticket:
    """The ticket from the first ``len(TICKET_COLUMNS)`` values of a row (its columns in model order)."""
    values = list(row[:len(TICKET_COLUMNS)])
    for i, field in _CONVERTED:  # e.g. the JSON list of case numbers comes back as text
        values[i] = field.from_db_value(values[i], None, connection)
    return Ticket.from_db(connection.alias, TICKET_ATTNAMES, values)


def _from_row(row: tuple) -> Ticket:
    from yichuang.catalog.models import WindowDomain

    n = len(TICKET_COLUMNS)
    ticket = ticket_from_row(row)
    number, window_type, department_id, clerk_id, code, name, prefix, order = row[n:n + 8]
    ticket.domain = WindowDomain.from_db(connection.alias, ["id", "code", "name", "ticket_prefix", "order"],
                                         (ticket.domain_id, code, name, prefix, order))
    ticket.window = Window.from_db(connection.alias, ["id", "centre_id", "number", "window_type", "department_id",
                                                      "clerk_id"],
                                   (ticket.window_id, ticket.centre_id, number, window_type, department_id, clerk_id))
    return ticket


def call_next(*, window_id: int, clerk_id: int, now: dt.datetime, starvation_minutes: float, wait_weight: float,
              scarcity_weight: float, fifo: bool) -> Ticket | None:
    """Claim the next ticket for the window in one statement, or None (then ask the ORM path why)."""
    row = _execute(CALL_NEXT_SQL, {
        "window": window_id, "clerk": clerk_id, "now": now, "fifo": fifo,
        "starve_before": now - dt.timedelta(minutes=starvation_minutes),
        "wait_weight": float(wait_weight), "scarcity_weight": float(scarcity_weight),
        **scarcity.for_window(window_id).params(),
    })
    return _from_row(row) if row is not None else None


def finish_and_call_next(*, window_id: int, clerk_id: int, ticket_id: int, now: dt.datetime,
                         starvation_minutes: float, wait_weight: float, scarcity_weight: float,
                         fifo: bool) -> tuple[bool, Ticket | None]:
    """Finish the window's ticket and claim the next in one statement: (finished?, the ticket called or None).

    Nothing happens unless the finish succeeds; the finish stands when nothing could be claimed."""
    row = _execute(FINISH_AND_CALL_NEXT_SQL, {
        "window": window_id, "clerk": clerk_id, "ticket": ticket_id, "now": now, "fifo": fifo,
        "starve_before": now - dt.timedelta(minutes=starvation_minutes),
        "wait_weight": float(wait_weight), "scarcity_weight": float(scarcity_weight),
        **scarcity.for_window(window_id).params(),
    })
    if row is None or row[-1] is None:
        return False, None
    return True, (_from_row(row) if row[0] is not None else None)


def finish(*, window_id: int, clerk_id: int, ticket_id: int, now: dt.datetime) -> Ticket | None:
    row = _execute(FINISH_SQL, {"window": window_id, "clerk": clerk_id, "ticket": ticket_id, "now": now})
    return _from_row(row) if row is not None else None

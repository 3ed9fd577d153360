"""What the apps above the hall join in: the hall knows nothing above it (the pattern of ``yichuang.cases.hooks``).

``ticket_issued`` fires inside ``ticket_issue``'s transaction; feedback answers with the ticket's one-time rating
code (好差评 评价码), which the slip prints once: the hall keeps it on the ticket instance only
(``ticket.rating_code``), never in its own tables."""

from __future__ import annotations

from yichuang.cases.hooks import Hook

ticket_issued: Hook[str | None] = Hook("ticket_issued", """
    ``(*, ticket) -> str | None``: the one-time code for rating this ticket's service, to print on the slip.""")

"""Business rules of the hall: every change to windows, tickets and appointments goes through these functions.

- ``windows``: windows, clerks' skills, sign-in and sign-out, pause and close (audited);
- ``tickets``: taking a number (取号), cancelling, closing the day;
- ``calling``: calling the next ticket by the dispatch policy (``dispatch.rank``, the simulator's own code) and
  claiming it with one ``FOR UPDATE SKIP LOCKED`` statement, or calling a named ticket;
- ``serving``: what a window does with the ticket it called (recall, no-show, transfer, start, finish, link a case);
- ``wait``: the wait estimate on the ticket slip;
- ``appointments``: slots, booking, cancelling, check-in;
- ``checks`` and ``events``: the locks and refusals they share, and the ticket events (``TicketEvent``, one row per
  step, the high-rate ticket flow's record instead of the audit chain) with the display boards told.

The public names are importable from here (``from yichuang.hall import services``).
"""

from ..eligibility import open_window_views, window_view, window_views
from .appointments import appointment_book, appointment_cancel, appointment_check_in, slot_create, validate_phone
from .calling import dispatch_policy, ticket_call_next, ticket_call_specific, ticket_finish_and_call_next
from .events import BOARD_EVENTS
from .serving import (recall_limit, ticket_finish, ticket_link_case, ticket_no_show, ticket_recall,
                      ticket_start_service, ticket_transfer)
from .tickets import hall_close_day, ticket_cancel, ticket_issue
from .wait import mean_service_minutes, people_ahead, ticket_estimated_wait, windows_able_count
from .windows import clerk_sign_in, clerk_sign_out, skill_set, window_create, window_set_state

__all__ = [
    "BOARD_EVENTS", "appointment_book", "appointment_cancel", "appointment_check_in", "clerk_sign_in",
    "clerk_sign_out", "dispatch_policy", "hall_close_day", "mean_service_minutes", "open_window_views",
    "people_ahead", "recall_limit", "skill_set", "slot_create", "ticket_call_next", "ticket_call_specific",
    "ticket_cancel", "ticket_estimated_wait", "ticket_finish", "ticket_finish_and_call_next", "ticket_issue",
    "ticket_link_case", "ticket_no_show", "ticket_recall", "ticket_start_service", "ticket_transfer",
    "validate_phone", "window_create", "window_set_state", "window_view", "window_views", "windows_able_count",
]

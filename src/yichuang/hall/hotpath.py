"""The hall's hot path: window calls answered straight from WSGI, ahead of Django's request machinery.

A clerk's call is the most frequent write of a centre and its answer is small, so the three calls

    POST /api/v1/hall/windows/<id>/call-next
    POST /api/v1/hall/windows/<id>/tickets/<ticket>/finish
    POST /api/v1/hall/windows/<id>/tickets/<ticket>/finish-and-call-next

with a bearer token, on PostgreSQL, are served here (see ``yichuang.core.hotpath`` for what is shared with the
cases' hot path and what goes to Django): the role is checked by ``hall.api.require_staff``, the work is done by
the same service functions the API endpoints call (``hall.services``: one prepared statement each), the answer is
the endpoint's ``TicketOut`` fields. A database error hands the call to Django, which reconnects and answers (the
statement is one transaction; a finish that did commit is then refused as not active). Turned off with
``YICHUANG_HALL_HOT_PATH=0``. ``tests/hall/test_hotpath.py`` checks that its answers, errors and headers are those
of the API.
"""

from __future__ import annotations

import re

from yichuang.core.hotpath import HotPath

from . import api, services


class HallHotPath(HotPath):
    ROUTE = re.compile(r"/api/v1/hall/windows/(\d{1,12})/"
                       r"(?:(call-next)|tickets/(\d{1,15})/(finish|finish-and-call-next))")
    SETTING = "HALL_HOT_PATH"
    RETRY_IN_DJANGO = True

    def handle(self, environ, match, user):
        window_id = int(match[1])
        api.require_staff(user)
        if match[2]:
            ticket = services.ticket_call_next(window=window_id, clerk=user)
        elif match[4] == "finish":
            ticket = services.ticket_finish(window=window_id, clerk=user, ticket=int(match[3]))
        else:
            ticket = services.ticket_finish_and_call_next(window=window_id, clerk=user, ticket=int(match[3]))
        # TicketOut's fields exactly (tests/hall/test_hotpath.py compares with the API's answer).
        return 200, {**api._out(ticket), "ahead": None, "estimated_wait_minutes": None}

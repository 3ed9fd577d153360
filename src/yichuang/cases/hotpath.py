"""The cases' hot path: 收件 and 流转 answered straight from WSGI, ahead of Django's request machinery.

The two front-desk writes of every case,

    POST /api/v1/cases/                    (收件, or 收件并流转 with "forward": true)
    POST /api/v1/cases/<number>/forward    (流转)

with a bearer token, on PostgreSQL, are served here (see ``yichuang.core.hotpath`` for what is shared with the
hall's hot path and what goes to Django). The body is validated by the endpoint's own schema (a body it refuses
goes to Django, which answers its 422); the work is done by the same calls the endpoints make
(``cases.api.receive_answer`` and ``cases.api.forward_answer``); the answer is the same case detail. A database
error is a 503, not a retry: a receipt that did commit must not be made twice. Turned off with
``YICHUANG_CASES_HOT_PATH=0``. ``tests/cases/test_hotpath.py`` checks that its answers, errors and headers are
those of the API.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from yichuang.core.hotpath import HotPath

from . import api


class CasesHotPath(HotPath):
    ROUTE = re.compile(r"/api/v1/cases/(?:([0-9A-Za-z-]{1,40})/forward)?")
    SETTING = "CASES_HOT_PATH"

    def handle(self, environ, match, user):
        body = self.read_body(environ)
        if body is None:
            return None
        try:
            payload = (api.ReasonIn if match[1] else api.ReceiveIn).model_validate_json(body)
        except ValidationError:
            return None  # Django answers with the API's validation error
        if match[1]:
            return 200, api.forward_answer(user, match[1], payload)
        return 200, api.receive_answer(user, payload)

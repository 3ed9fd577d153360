"""Structured logs without personal data (《个人信息保护法》).

``PiiMaskFilter`` rewrites every record's message so an 18-character ID number becomes 110***********1234 and a
mainland mobile number 138****8000 before any handler sees it (case numbers, which can have the same 18 digits,
stay readable where they are written as case numbers); ``JsonFormatter`` writes one JSON object per line
(time, level, logger, message, request fields when present) for a log shipper.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

# The masking itself lives in core.redact (the notification outbox uses it too).
from yichuang.core.redact import mask_pii

__all__ = ["JsonFormatter", "PiiMaskFilter", "mask_pii"]


class PiiMaskFilter(logging.Filter):
    """Masks ID and phone numbers in the rendered message (arguments included) and in the exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a broken format string still gets logged, masked
            message = str(record.msg)
        record.msg, record.args = mask_pii(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("status_code", "method", "path", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            out.setdefault("method", request.method)
            out.setdefault("path", mask_pii(request.path))
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_pii(self.formatException(record.exc_info))
        if record.exc_text:
            out["exception"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)

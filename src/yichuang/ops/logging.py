"""Structured logs without personal data (《个人信息保护法》).

``PiiMaskFilter`` rewrites every record's message so an 18-character ID number becomes 110***********1234 and a
mainland mobile number 138****8000 before any handler sees it; ``JsonFormatter`` writes one JSON object per line
(time, level, logger, message, request fields when present) for a log shipper.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

from yichuang.core.validators import id_number_check_char, mask_id_number, mask_phone

# 17 digits + digit/X, not inside a longer run of digits; 11-digit mobile numbers starting 1[3-9].
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def _mask_id(match: re.Match) -> str:
    value = match.group(1)
    # Only numbers with a valid GB 11643 check character: an 18-digit case number (centre code + date + sequence)
    # stays readable unless its last digit happens to fit (about 1 in 11), when it is masked too — better too much.
    if id_number_check_char(value[:17]) == value[17].upper():
        return mask_id_number(value)
    return value


def mask_pii(text: str) -> str:
    if not text:
        return text
    text = ID_RE.sub(_mask_id, text)
    return PHONE_RE.sub(lambda m: mask_phone(m.group(1)), text)


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
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.timezone.utc).isoformat(timespec="milliseconds"),
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

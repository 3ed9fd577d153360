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
import re

from yichuang.core.validators import id_number_check_char, mask_id_number, mask_phone

# 17 digits + digit/X, not inside a longer run of digits; 11-digit mobile numbers starting 1[3-9].
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")

# A case number is the centre code + YYYYMMDD + a 4-digit daily sequence (cases.services.case_number_next): for a
# county centre 18 digits, the shape of an ID number (region + birth date + 3 digits + check). The two cannot be
# told apart by their digits alone, so an 18-digit run is read as a case number only where a case number is
# written — right after ``/cases/``, ``case``, ``case_number``, ``?number=``, ``办件``, ``办件编号`` (and a
# separator or two; not after ``id_number`` or ``ID number``) — and when its date is one a case can carry (from
# CASE_NUMBER_SINCE up to tomorrow). Anywhere else a run with a valid check character is masked as an ID number.
CASE_NUMBER_SINCE = dt.date(2000, 1, 1)
CASE_CONTEXT_RE = re.compile(
    r"(?:(?<![A-Za-z_])cases?(?:[_ -]?(?:number|no|num))?|(?<![A-Za-z_ ])number|办件(?:编号|号码|号)?|受理编号)"
    r"[^0-9A-Za-z\u4e00-\u9fff]{0,4}$", re.IGNORECASE)
_CONTEXT_CHARS = 24


def _case_date(value: str) -> bool:
    try:
        day = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return CASE_NUMBER_SINCE <= day <= dt.date.today() + dt.timedelta(days=1)


def is_case_number_at(text: str, start: int, value: str) -> bool:
    """Whether the 18-digit ``value`` found at ``start`` of ``text`` is written as a case number."""
    if not value.isdigit() or not _case_date(value):
        return False
    return CASE_CONTEXT_RE.search(text[max(0, start - _CONTEXT_CHARS):start]) is not None


def _mask_id(match: re.Match) -> str:
    value = match.group(1)
    # Only numbers with a valid GB 11643 check character, and not a case number where one is written.
    if id_number_check_char(value[:17]) != value[17].upper():
        return value
    if is_case_number_at(match.string, match.start(1), value):
        return value
    return mask_id_number(value)


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

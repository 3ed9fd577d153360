"""Personal numbers masked inside free text (《个人信息保护法》): log lines, stored message bodies.

``mask_pii`` turns an 18-character ID number into 110***********1234 and a mainland mobile number into 138****8000
(case numbers, which can have the same 18 digits, stay readable where they are written as case numbers). Used by
the log filter (ops.logging) and by the notification outbox, which keeps what it sent without the numbers.
"""

from __future__ import annotations

import datetime as dt
import re

from .validators import id_number_check_char, mask_id_number, mask_phone

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

"""The five-day rule (《中华人民共和国行政许可法》第三十二条): materials that are incomplete or not in the legal form
must be pointed out to the applicant, all at once, within five working days of receipt; an organ that does not
do so is deemed to have accepted the application from the day the materials were received."""

from __future__ import annotations

import datetime as dt

from yichuang.workcal.workdays import add_workdays

from .constants import FIVE_DAY_RULE_WORKDAYS
from .constants import CaseState as S

# The states in which a case may still be waiting for the supplement notice or the acceptance.
WAITING_STATES = (S.RECEIVED, S.SUBMITTED, S.FORWARDED)
DEEMED_REASON = "收件之日起五个工作日内未告知补正，视为受理（行政许可法第三十二条）"


def five_day_deadline(received_on: dt.date) -> dt.date:
    """The last day a supplement notice may be given."""
    return add_workdays(received_on, FIVE_DAY_RULE_WORKDAYS).value


def received_before(today: dt.date) -> dt.date:
    """Five working days span at least five calendar days: only a case received before this day can be late (a
    cheap pre-filter before the calendar is asked)."""
    return today - dt.timedelta(days=FIVE_DAY_RULE_WORKDAYS)


def deemed_accepted(*, received_on: dt.date, today: dt.date) -> bool:
    """Whether a case received on ``received_on`` that never got a supplement notice counts as accepted today."""
    return today > five_day_deadline(received_on)

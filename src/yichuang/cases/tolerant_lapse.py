"""容缺受理 lapses: a case accepted with items missing on the applicant's written commitment (容缺受理) whose items
are still out after the committed due date goes back to 补齐补正. The acceptance is undone (the clock stops and
starts again from the new acceptance), the open suspension ends, the items count as missing again, and the
applicant has five working days (as for any supplement notice) to hand them in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yichuang.workcal.workdays import add_workdays

from .constants import FIVE_DAY_RULE_WORKDAYS
from .constants import CaseState as S

LAPSE_STATES = (S.FORWARDED, S.ACCEPTED, S.SUSPENDED)
LAPSE_REASON = "容缺材料逾期未补交，容缺受理失效"
ITEM_NOTE = "容缺材料逾期未补交"

# What the lapse undoes on the case.
ACCEPTANCE_UNDONE: dict[str, Any] = {"tolerant": False, "tolerant_due": None, "accepted_at": None, "accepted_by": None,
                                     "due_date": None, "legal_due_date": None, "deemed_accepted": False,
                                     "suspended_workdays": 0}


def resupply_due(today: dt.date) -> dt.date:
    """The due date of the supplement the lapse asks for."""
    return add_workdays(today, FIVE_DAY_RULE_WORKDAYS).value

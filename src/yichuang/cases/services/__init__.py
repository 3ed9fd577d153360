"""Every write to a case, by step, each state change through ONE door (:mod:`.door`: role, 受审分离, department
and A/B posts, allowed from-states; history row and audit event in the same transaction, the case row locked):

- :mod:`.receipt` 收件 and 网上申请, the case number;
- :mod:`.materials` ticking materials, scans, 补齐补正 and 容缺受理;
- :mod:`.backoffice` 流转, 受理 / 不予受理, 中止 / 恢复计时, 延期, the decision;
- :mod:`.issuance` 可取件, 统一出件, 办结, 撤回;
- :mod:`.jobs` the deadline jobs (five-day rule, 容缺 lapse);
- :mod:`.notices` the notices a step gives; :mod:`.credit` 失信; :mod:`.pii` the full personal numbers.

The rules of legal weight are modules of their own: :mod:`yichuang.cases.posts` (A/B岗),
:mod:`yichuang.cases.five_day_rule`, :mod:`yichuang.cases.tolerant_lapse`, :mod:`yichuang.cases.extension`,
:mod:`yichuang.cases.deadline`. Import the services from here (``from yichuang.cases import services``)."""

from ..extension import EXTENSION_MAX_WORKDAYS
from ..five_day_rule import five_day_deadline
from ..posts import department_check as _check_department
from .backoffice import (case_accept, case_accept_and_decide, case_approve, case_decide, case_deny, case_extend,
                         case_forward, case_not_accept, case_resume, case_suspend)
from .credit import applicant_credit_set
from .door import LOCK_RELATED, _lock, case_transition
from .issuance import case_close, case_issue, case_mark_ready, case_withdraw
from .jobs import apply_five_day_rule, case_lapse_tolerant
from .materials import (BLOCKING, EDITABLE_ALL, case_accept_tolerant, case_attach_upload, case_materials_update,
                        case_request_supplement, case_supplement, case_visit_record)
from .pii import case_pii_reveal
from .receipt import case_number_next, case_online_filer_check, case_receive, case_submit_online

__all__ = [
    "BLOCKING", "EDITABLE_ALL", "EXTENSION_MAX_WORKDAYS", "LOCK_RELATED", "_check_department", "_lock",
    "applicant_credit_set", "apply_five_day_rule", "case_accept", "case_accept_and_decide", "case_accept_tolerant",
    "case_approve", "case_attach_upload", "case_close", "case_decide", "case_deny", "case_extend", "case_forward",
    "case_issue", "case_lapse_tolerant", "case_mark_ready", "case_materials_update", "case_not_accept",
    "case_number_next", "case_online_filer_check", "case_pii_reveal", "case_receive", "case_request_supplement", "case_resume",
    "case_submit_online", "case_supplement", "case_suspend", "case_transition", "case_visit_record",
    "case_withdraw", "five_day_deadline",
]

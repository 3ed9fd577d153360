"""The case state machine of DESIGN.md, in one pure module.

::

    draft → submitted(online) ─┐
    received(window) ──────────┴→ forwarded → accepted → [suspended ↔ accepted] → approved | denied
          ↘ needs_supplement ↗        ↘ not_accepted (terminal)     approved|denied → ready → issued → closed
    withdrawn: from any state before a decision

Extra edges, each with its rule:

- received/submitted/forwarded → accepted by the *system*: the 5-day rule (行政许可法 第32条), deemed acceptance.
- forwarded/accepted/suspended → needs_supplement by the *system*: a tolerant (容缺) acceptance lapsed.
- submitted → needs_supplement, forwarded → needs_supplement: the back office asks for more.

``TRANSITIONS[(from, to)]`` says which roles may make a move, whether the scheduled jobs (actor None) may,
whether 受审分离 applies (the receiver may not make it) and whether the actor must belong to the matter's
department (back-office moves).
"""

from __future__ import annotations

from dataclasses import dataclass

from yichuang.accounts.constants import Role
from yichuang.core.errors import DomainError

from .constants import CaseState as S


class CaseTransitionError(DomainError):
    status = 409
    code = "illegal_transition"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    system: bool = False          # scheduled jobs (actor None) may make this move
    separation: bool = False      # 受审分离: the user who received the case may not make it
    department: bool = False      # the actor must be an approver of the matter's department (with A/B posts)


FRONT = frozenset({Role.CLERK, Role.GUIDE})
BACK = frozenset({Role.APPROVER})
ISSUE = frozenset({Role.ISSUER, Role.CLERK})
# 撤回 is the applicant's: online, or recorded at the window from the applicant's written request. The back office
# never withdraws a case to end it without a decision (services.case_withdraw).
WITHDRAW = frozenset({Role.CLERK, Role.APPLICANT})

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): Rule(frozenset({Role.APPLICANT, Role.CLERK, Role.GUIDE})),
    (S.SUBMITTED, S.FORWARDED): Rule(BACK, department=True),            # 网办预审 pre-review
    (S.SUBMITTED, S.NEEDS_SUPPLEMENT): Rule(BACK, department=True),
    (S.RECEIVED, S.FORWARDED): Rule(FRONT),
    (S.RECEIVED, S.NEEDS_SUPPLEMENT): Rule(FRONT),
    (S.FORWARDED, S.NEEDS_SUPPLEMENT): Rule(BACK, system=True, department=True),
    (S.NEEDS_SUPPLEMENT, S.RECEIVED): Rule(FRONT),
    (S.NEEDS_SUPPLEMENT, S.FORWARDED): Rule(BACK, department=True),     # supplemented to the back office
    (S.NEEDS_SUPPLEMENT, S.SUBMITTED): Rule(frozenset({Role.APPLICANT})),  # answered online → pre-review again
    (S.RECEIVED, S.ACCEPTED): Rule(frozenset(), system=True),           # 5-day rule only
    (S.SUBMITTED, S.ACCEPTED): Rule(frozenset(), system=True),          # 5-day rule only
    (S.FORWARDED, S.ACCEPTED): Rule(BACK, system=True, separation=True, department=True),
    (S.FORWARDED, S.NOT_ACCEPTED): Rule(BACK, separation=True, department=True),
    (S.ACCEPTED, S.SUSPENDED): Rule(BACK, department=True),
    (S.SUSPENDED, S.ACCEPTED): Rule(BACK, department=True),
    (S.ACCEPTED, S.NEEDS_SUPPLEMENT): Rule(frozenset(), system=True),   # tolerant acceptance lapsed
    (S.SUSPENDED, S.NEEDS_SUPPLEMENT): Rule(frozenset(), system=True),  # tolerant acceptance lapsed
    (S.ACCEPTED, S.APPROVED): Rule(BACK, separation=True, department=True),
    (S.ACCEPTED, S.DENIED): Rule(BACK, separation=True, department=True),
    (S.APPROVED, S.READY): Rule(BACK | ISSUE),
    (S.DENIED, S.READY): Rule(BACK | ISSUE),
    (S.READY, S.ISSUED): Rule(ISSUE),
    (S.ISSUED, S.CLOSED): Rule(ISSUE | BACK, system=True),
}
BEFORE_DECISION = (S.DRAFT, S.SUBMITTED, S.RECEIVED, S.NEEDS_SUPPLEMENT, S.FORWARDED, S.ACCEPTED, S.SUSPENDED)
for _state in BEFORE_DECISION:
    TRANSITIONS[(_state, S.WITHDRAWN)] = Rule(WITHDRAW)

TERMINAL = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN, S.CLOSED})


def _label(state: str) -> str:
    try:
        return S(state).label
    except ValueError:
        return str(state)


# The states in English words, for ``message_en`` (the labels are Chinese; a raw code is not a name).
STATE_EN = {S.DRAFT: "a draft", S.SUBMITTED: "submitted online", S.RECEIVED: "received",
            S.NEEDS_SUPPLEMENT: "awaiting supplements", S.FORWARDED: "forwarded to the back office",
            S.ACCEPTED: "accepted", S.SUSPENDED: "suspended", S.NOT_ACCEPTED: "not accepted", S.APPROVED: "approved",
            S.DENIED: "denied", S.READY: "ready for issuance", S.ISSUED: "issued", S.CLOSED: "closed",
            S.WITHDRAWN: "withdrawn"}


def state_en(state: str) -> str:
    return STATE_EN.get(state, "in another state")


def allowed_targets(state: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == state]


def rule_for(state: str, target: str) -> Rule:
    """The rule for a move, or CaseTransitionError naming both states and what is possible instead."""
    if target not in S.values:
        raise CaseTransitionError(f"未知的办件状态“{target}”。", "Unknown case state.")
    rule = TRANSITIONS.get((state, target))
    if rule is None:
        targets = allowed_targets(state)
        if targets:
            options = "、".join(_label(t) for t in targets)
            tail, tail_en = f"当前可转为：{options}。", f" It can become: {', '.join(state_en(t) for t in targets)}."
        else:
            tail, tail_en = "该状态为终态，不能再变更。", " It is a final state."
        raise CaseTransitionError(
            f"办件当前为“{_label(state)}”，不能转为“{_label(target)}”。{tail}",
            f"A case that is {state_en(state)} cannot become {state_en(target)}.{tail_en}",
        )
    return rule


def check_transition(case_state: str, target: str) -> None:
    rule_for(case_state, target)

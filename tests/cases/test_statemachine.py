import itertools

import pytest

from yichuang.cases.constants import CaseState as S
from yichuang.cases.statemachine import TERMINAL, TRANSITIONS, CaseTransitionError, allowed_targets, check_transition

ALL = list(S.values)
# The DESIGN.md diagram, edge by edge.
DESIGN_EDGES = {
    (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.FORWARDED), (S.RECEIVED, S.FORWARDED),
    (S.RECEIVED, S.NEEDS_SUPPLEMENT), (S.NEEDS_SUPPLEMENT, S.RECEIVED), (S.NEEDS_SUPPLEMENT, S.FORWARDED),
    (S.FORWARDED, S.ACCEPTED), (S.FORWARDED, S.NOT_ACCEPTED), (S.ACCEPTED, S.SUSPENDED), (S.SUSPENDED, S.ACCEPTED),
    (S.ACCEPTED, S.APPROVED), (S.ACCEPTED, S.DENIED), (S.APPROVED, S.READY), (S.DENIED, S.READY),
    (S.READY, S.ISSUED), (S.ISSUED, S.CLOSED),
}


def test_design_edges_are_allowed():
    for frm, to in DESIGN_EDGES:
        check_transition(frm, to)


@pytest.mark.parametrize("frm,to", [p for p in itertools.product(ALL, ALL) if p not in TRANSITIONS])
def test_every_other_transition_is_refused_with_a_clear_message(frm, to):
    with pytest.raises(CaseTransitionError) as exc:
        check_transition(frm, to)
    assert S(frm).label in exc.value.message and S(to).label in exc.value.message
    assert exc.value.status == 409


def test_withdrawal_only_before_a_decision():
    for state in ALL:
        allowed = (state, S.WITHDRAWN) in TRANSITIONS
        before = state in (S.DRAFT, S.SUBMITTED, S.RECEIVED, S.NEEDS_SUPPLEMENT, S.FORWARDED, S.ACCEPTED,
                           S.SUSPENDED)
        assert allowed == before, state


def test_terminal_states_have_no_way_out_and_say_so():
    for state in TERMINAL:
        assert allowed_targets(state) == []
        with pytest.raises(CaseTransitionError, match="终态"):
            check_transition(state, S.ACCEPTED)


def test_unknown_state_refused():
    with pytest.raises(CaseTransitionError, match="未知"):
        check_transition(S.RECEIVED, "teleported")


def test_decisions_are_separated_from_receipt():
    for edge in [(S.FORWARDED, S.ACCEPTED), (S.FORWARDED, S.NOT_ACCEPTED), (S.ACCEPTED, S.APPROVED),
                 (S.ACCEPTED, S.DENIED)]:
        assert TRANSITIONS[edge].separation and TRANSITIONS[edge].department

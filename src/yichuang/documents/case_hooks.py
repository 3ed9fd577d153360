"""The documents join the case hooks (``yichuang.cases.hooks``): the words of the notices whose wording is the
documents' (决定书 and 不予受理通知书 by the kind of matter, :mod:`.wording`; 容缺受理承诺书 and 中止告知书,
:mod:`.letters`), and the 文号 of a notice, drawn in the step's transaction."""

from __future__ import annotations

from typing import Any

from yichuang.cases import hooks
from yichuang.cases.constants import NoticeKind

from . import letters, wording
from .numbering import NUMBERED_KINDS, notice_number_allocate


def notice_given(*, notice) -> None:
    if notice.kind in NUMBERED_KINDS:
        notice_number_allocate(notice=notice)


def notice_wording(*, kind: str, case, **details: Any) -> dict | None:
    if kind == NoticeKind.DECISION:
        text, content = wording.decision_text(case, approved=details["approved"], opinion=details["opinion"],
                                              legal_basis=details["legal_basis"])
    elif kind == NoticeKind.NON_ACCEPTANCE:
        text, content = wording.non_acceptance_text(case, reason=details["reason"],
                                                    legal_basis=details["legal_basis"])
    elif kind == NoticeKind.TOLERANT_COMMITMENT:
        return letters.tolerant_commitment(case, details["items"])
    elif kind == NoticeKind.SUSPENSION:
        return letters.suspension(case, details["suspension"])
    else:
        return None
    return {"text": text, "content": content}


def register() -> None:
    hooks.on_notice_given.register(notice_given)
    hooks.notice_wording.register(notice_wording)

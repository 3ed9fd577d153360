"""What the case services call when they give a notice (cases.services._notice): the notice's 文号 is drawn in
the same transaction, so a decision and its number are recorded together or not at all."""

from __future__ import annotations


def notice_given(notice) -> None:
    from .numbering import NUMBERED_KINDS, notice_number_allocate

    if notice.kind in NUMBERED_KINDS:
        notice_number_allocate(notice=notice)

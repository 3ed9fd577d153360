"""What feedback tells the apps above it, without knowing them: a small explicit registry. An app joins in its
``AppConfig.ready()`` (supervision posts the staff inbox); each hook runs inside the caller's transaction, in the
order joined, so a failure rolls the write back with it."""

from __future__ import annotations

from collections.abc import Callable

from .models import Complaint, Rectification

_rectification_opened: list[Callable[[Rectification], None]] = []
_complaint_opened: list[Callable[[Complaint], None]] = []


def on_rectification_opened(fn: Callable[[Rectification], None]) -> Callable[[Rectification], None]:
    """Call ``fn(rect)`` whenever a bad rating opens a rectification."""
    if fn not in _rectification_opened:
        _rectification_opened.append(fn)
    return fn


def on_complaint_opened(fn: Callable[[Complaint], None]) -> Callable[[Complaint], None]:
    """Call ``fn(complaint)`` whenever a 办不成事 / hotline ticket is opened."""
    if fn not in _complaint_opened:
        _complaint_opened.append(fn)
    return fn


def rectification_opened(rect: Rectification) -> None:
    for fn in _rectification_opened:
        fn(rect)


def complaint_opened(complaint: Complaint) -> None:
    for fn in _complaint_opened:
        fn(complaint)

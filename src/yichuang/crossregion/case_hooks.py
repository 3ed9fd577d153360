"""跨域通办 joins the case hooks (``yichuang.cases.hooks``): who may receive for whom, and who hands the
result over (:mod:`.rules`)."""

from __future__ import annotations

from yichuang.cases import hooks

from .rules import issue_centre_check, on_behalf_check


def register() -> None:
    hooks.receipt_on_behalf.register(on_behalf_check)  # refuses, or names the regions that allow it
    hooks.before_case_issued.register(issue_centre_check)

"""The one entry point ``cases.services`` calls into bundles (kept tiny so the cases app stays independent)."""

from __future__ import annotations


def bundle_case_decided(*, case, approved: bool, actor, result_data: dict, reason: str = "") -> None:
    from .models import BundleCaseItem

    if not BundleCaseItem.objects.filter(case_id=case.pk).exists():
        return
    from .services import bundle_case_decided as decided

    decided(case=case, approved=approved, actor=actor, result_data=result_data, reason=reason)

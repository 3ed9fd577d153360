"""一件事 joins the case hooks (``yichuang.cases.hooks``): a sub-case's outcome releases or stops the matters
that depend on it, and approving it records what its bundle item produces for them."""

from __future__ import annotations

from yichuang.cases import hooks

from .models import BundleCaseItem, BundleItem
from .services import bundle_case_decided


def case_decided(*, case, approved: bool, actor, result_data: dict, reason: str = "") -> None:
    if not BundleCaseItem.objects.filter(case_id=case.pk).exists():  # most cases belong to no bundle
        return
    bundle_case_decided(case=case, approved=approved, actor=actor, result_data=result_data, reason=reason)


def result_fields(*, case, result: hooks.ResultFields) -> None:
    """A sub-case of a one-thing bundle: what its bundle item produces (the later matters need it), all required,
    and nothing else. Otherwise what the catalogue's bundles say this matter produces (optional)."""
    items = dict(BundleItem.objects.filter(matter_id=case.matter_id).values_list("pk", "produces"))
    # Only a matter of some bundle can be a bundle's sub-case (most are not: one query for them).
    pitem = (BundleCaseItem.objects.filter(case_id=case.pk, item_id__in=list(items))
             .values_list("item_id", "result_data").first() if items else None)
    if pitem is not None:
        result.fields = {k: {"code": k, "label": v, "required": True, "value": (pitem[1] or {}).get(k, "")}
                         for k, v in (items[pitem[0]] or {}).items()}
        result.final = True
        return
    for produces in items.values():
        for k, v in (produces or {}).items():
            result.fields.setdefault(k, {"code": k, "label": v, "required": False, "value": ""})


def register() -> None:
    hooks.on_case_decided.register(case_decided)
    hooks.result_fields.register(result_fields)

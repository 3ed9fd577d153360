"""Applicant pages: matter search, the guide page (办事指南) with the live checklist, the printable 一次性告知书."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.core.errors import NotFound

from . import selectors
from .checklist import checklist_build
from .constants import HandlingLevel


def _answers(request, snapshot) -> dict[str, str]:
    codes = {s["code"] for s in snapshot.get("situations", [])}
    return {k[4:]: v for k, v in request.GET.items() if k.startswith("sit_") and k[4:] in codes and v}


def _load(code: str):
    try:
        matter = selectors.matter_get(code=code)
        version = selectors.matter_current_version(matter=matter)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return matter, version


def search(request):
    q = request.GET.get("q", "").strip()
    results = selectors.matter_search(query=q, limit=30) if q else []
    return render(request, "catalog/search.html", {"q": q, "results": results})


def matter_detail(request, code: str):
    matter, version = _load(code)
    snapshot = version.snapshot
    answers = _answers(request, snapshot)
    checklist = checklist_build(snapshot, answers)
    levels = dict(HandlingLevel.choices)
    return render(request, "catalog/matter_detail.html", {
        "matter": matter, "version": version, "snap": snapshot, "checklist": checklist, "answers": answers,
        "levels": [levels.get(lv, lv) for lv in snapshot.get("handling_levels", [])],
    })


def matter_checklist(request, code: str):
    """The checklist fragment, re-rendered when an answer changes."""
    matter, version = _load(code)
    checklist = checklist_build(version.snapshot, _answers(request, version.snapshot))
    return render(request, "catalog/_checklist.html", {"matter": matter, "checklist": checklist})


def matter_checklist_print(request, code: str):
    matter, version = _load(code)
    snapshot = version.snapshot
    answers = _answers(request, snapshot)
    checklist = checklist_build(snapshot, answers)
    chosen = []
    for s in snapshot.get("situations", []):
        label = next((o["label"] for o in s["options"] if o["code"] == answers.get(s["code"])), "未选择")
        chosen.append((s["question"], label))
    centre = Centre.objects.filter(departments=matter.department).first()
    return render(request, "catalog/checklist_print.html", {
        "matter": matter, "version": version, "snap": snapshot, "checklist": checklist, "chosen": chosen,
        "centre": centre, "today": timezone.localdate(),
    })

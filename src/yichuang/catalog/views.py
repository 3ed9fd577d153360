"""Applicant pages: the catalogue (search and browse by 个人/法人, theme, department), the guide page (办事指南)
with the live checklist, the printable 一次性告知书 and 二维码办事指南 展架, the material files (空白样表, 示范文本)."""

from __future__ import annotations

import io
import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from yichuang.accounts.models import Department
from yichuang.core.errors import NotFound, ValidationFailed

from . import selectors
from .checklist import checklist_build
from .constants import HandlingLevel, ServiceObject, Theme
from .models import MaterialRequirement

BROWSE_LIMIT = 200


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
    filters = {k: request.GET.get(k, "").strip() for k in ("audience", "theme", "department")}
    error = ""
    try:
        audience = selectors.audience_code(filters["audience"])
        theme = selectors.theme_code(filters["theme"])
    except ValidationFailed as exc:
        audience = theme = None
        bad = filters.get(exc.field or "", "")
        error = f"没有“{bad}”这个分类，请从下面的分类中选择。"
    department = filters["department"] if Department.objects.filter(code=filters["department"]).exists() else None
    browsing = bool(audience or theme or department)
    results = []
    if q or browsing:
        results = selectors.matter_search(query=q, limit=100 if q else BROWSE_LIMIT, audience=audience, theme=theme,
                                          department=department, with_negative_list=True)
    chosen = []
    if audience:
        chosen.append(("audience", ServiceObject(audience).label))
    if theme:
        chosen.append(("theme", Theme(theme).label))
    if department:
        chosen.append(("department", Department.objects.get(code=department).name))
    return render(request, "catalog/search.html", {
        "q": q, "results": results, "browsing": browsing, "chosen": chosen, "filters": filters, "error": error,
        "facets": selectors.catalogue_facets(), "searched": bool(q or browsing),
    }, status=400 if error else 200)


def _guide_context(request, matter, version) -> dict:
    snapshot = version.snapshot
    levels = dict(HandlingLevel.choices)
    objects = dict(ServiceObject.choices)
    themes = dict(Theme.choices)
    path = reverse("catalog:detail", args=[matter.implementation_code])
    return {
        "matter": matter, "version": version, "snap": snapshot,
        "levels": [levels.get(lv, lv) for lv in snapshot.get("handling_levels", [])],
        "elements": selectors.matter_guide_elements(matter=matter, snapshot=snapshot),
        "service_objects": [objects.get(o, o) for o in snapshot.get("service_objects") or []],
        "themes": [(t, themes.get(t, t)) for t in snapshot.get("themes") or []],
        "guide_url": request.build_absolute_uri(path),
        "qr_url": reverse("catalog:qr", args=[matter.implementation_code]),
        "centre": matter.department.centre,
    }


def matter_detail(request, code: str):
    matter, version = _load(code)
    answers = _answers(request, version.snapshot)
    checklist = checklist_build(version.snapshot, answers)
    return render(request, "catalog/matter_detail.html", {
        **_guide_context(request, matter, version), "checklist": checklist, "answers": answers})


def matter_qr(request, code: str):
    """The guide page's address as a QR code (SVG), as the server is really reached (scan it from the 展架)."""
    import qrcode
    import qrcode.image.svg

    matter, _version = _load(code)
    url = request.build_absolute_uri(reverse("catalog:detail", args=[matter.implementation_code]))
    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buf = io.BytesIO()
    img.save(buf)
    response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"  # the address depends on how the server is reached
    return response


def matter_poster(request, code: str):
    """二维码办事指南 展架: one printable page with the essentials and the QR code of the guide."""
    matter, version = _load(code)
    checklist = checklist_build(version.snapshot, {})
    return render(request, "catalog/guide_poster.html", {
        **_guide_context(request, matter, version), "checklist": checklist, "today": timezone.localdate()})


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
    return render(request, "catalog/checklist_print.html", {
        "matter": matter, "version": version, "snap": snapshot, "checklist": checklist, "chosen": chosen,
        "centre": matter.department.centre, "today": timezone.localdate(),
    })


FILE_KINDS = {"blank": ("blank_form_file", "空白样表"), "sample": ("sample_file", "示范文本")}


def material_file(request, code: str, material: str, kind: str):
    """Download a material's 空白样表 (``blank``) or 示范文本 (``sample``) file."""
    if kind not in FILE_KINDS:
        raise Http404("未找到该文件。")
    field, label = FILE_KINDS[kind]
    item = MaterialRequirement.objects.filter(matter__implementation_code=code, code=material).first()
    stored = getattr(item, field) if item else None
    if not stored or not stored.name or not stored.storage.exists(stored.name):
        raise Http404(f"该材料没有可下载的{label}。")
    ext = stored.name.rsplit(".", 1)[-1].lower() if "." in stored.name else ""
    filename = f"{item.name}（{label}）.{ext}" if ext else f"{item.name}（{label}）"
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type)

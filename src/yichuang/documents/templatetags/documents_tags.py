"""{% notice_paper notice %}: a notice as a printable A4 page, built from the same :class:`~..pdf.DocSpec` as its
PDF (same words, same 文号, same QR code address), with the seal over the end of the issuer's name, above the date."""

from __future__ import annotations

from django import template

from yichuang.documents import builders
from yichuang.documents.pdf import SEAL_RADIUS

register = template.Library()


@register.inclusion_tag("documents/_notice_paper.html", takes_context=True)
def notice_paper(context, notice):
    request = context.get("request")
    spec = builders.spec_for_notice(notice, builders.request_base(request))
    issuer = spec.issuer or spec.centre
    name = issuer[:18]
    font = 10 if len(name) <= 11 else 8  # the rim (a 31-unit arc of 220°, about 119 units) holds the name
    return {"spec": spec, "notice": notice, "issuer": issuer, "seal_name": name, "seal_font": font,
            "seal_text_length": round(min(len(name) * font * 1.05, 119), 1),
            "qr_svg": builders.qr_svg(spec.qr_url) if spec.qr_url else "", "seal_mm": int(SEAL_RADIUS * 2),
            "date_text": f"{spec.date.year}年{spec.date.month}月{spec.date.day}日"}

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
    return {"spec": spec, "notice": notice, "issuer": issuer, "seal_name": issuer[:18],
            "seal_text_length": min(len(issuer[:18]) * 11, 150),
            "qr_svg": builders.qr_svg(spec.qr_url) if spec.qr_url else "", "seal_mm": int(SEAL_RADIUS * 2),
            "date_text": f"{spec.date.year}年{spec.date.month}月{spec.date.day}日"}

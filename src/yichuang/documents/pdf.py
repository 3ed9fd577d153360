"""Render a document to PDF with fpdf2, the centre's CJK font embedded as a subset (one face, about 0.5 s a
document, so documents are rendered once and stored).

Noto Sans CJK (Debian's fonts-noto-cjk) is an OpenType/CFF collection; fpdf2 embeds CFF outlines (as a CID
font subset), so the PDF shows Chinese on any machine, whatever fonts the reader has. The font is configured by
``settings.YICHUANG_CJK_FONT`` as ``path`` or ``path#face-index``; without an index the Simplified Chinese face
(name ending in "SC") of a collection is used.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from django.conf import settings
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from yichuang.core.errors import ConflictError

FALLBACK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


@dataclass
class DocSpec:
    """What a document says, independent of layout."""

    centre: str
    title: str
    number: str
    date: dt.date
    doc_number: str = ""  # 文号 (渝九龙坡市监许〔2026〕12号) of decisions and refusals
    addressee: str = ""
    paragraphs: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    after_table: list[str] = field(default_factory=list)
    issuer: str = ""
    qr_url: str = ""
    qr_caption: str = ""
    qr_text: str = ""  # the address printed under the QR code (default: the QR's own address)
    footer: str = ""
    sign_lines: list[str] = field(default_factory=list)
    seal: bool = True


@lru_cache(maxsize=4)
def _resolve_font(setting: str) -> tuple[str, int]:
    path, _, index = setting.partition("#")
    candidates = [path] + [p for p in FALLBACK_FONTS if p != path]
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            if index and candidate == path:
                return candidate, int(index)
            return candidate, _sc_face(candidate)
    raise ConflictError("服务器未安装中文字体（fonts-noto-cjk），无法生成文书。",
                        "No CJK font is installed (apt-get install fonts-noto-cjk); documents cannot be rendered.",
                        code="no_cjk_font")


def _sc_face(path: str) -> int:
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(4) or "" for f in TTCollection(path, lazy=True).fonts]
    for i, name in enumerate(names):
        if name.endswith(" SC") and "Mono" not in name:
            return i
    return 0


def cjk_font() -> tuple[str, int]:
    return _resolve_font(settings.YICHUANG_CJK_FONT)


class _Doc(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-14)
        self.set_font("cjk", size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self.footer_text}  第 {self.page_no()} / {{nb}} 页", align=Align.C)
        self.set_text_color(0, 0, 0)


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares (crisp at any zoom, no image decoder needed)."""
    qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * cell, y + r * cell, cell + 0.01, cell + 0.01, style="F")


SEAL_RADIUS = 18.0  # mm (a 36 mm round seal)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def intersects(self, other: "Rect") -> bool:
        return not (self.x + self.w <= other.x or other.x + other.w <= self.x
                    or self.y + self.h <= other.y or other.y + other.h <= self.y)


@dataclass(frozen=True)
class ClosingLayout:
    """Where the closing block's parts sit on the last page (mm, from the top left). The seal covers the end of
    the issuing organisation's name, as a seal does, and ends above the date: the date is never overprinted."""

    issuer: Rect
    date: Rect
    seal: Rect
    qr: Rect | None
    page: int = 1


def closing_layout(*, right: float, top: float, issuer_w: float, date_w: float, left: float,
                   qr: bool) -> ClosingLayout:
    r = SEAL_RADIUS
    name_h, date_h = 8.0, 8.0
    issuer = Rect(right - issuer_w, top + 12, issuer_w, name_h)
    # The seal on the name's last characters (its right edge at the text's), a little above the line's middle.
    cx = right - r
    cy = issuer.y + name_h / 2 - 2
    seal = Rect(cx - r, cy - r, 2 * r, 2 * r)
    date = Rect(right - date_w, seal.y + seal.h + 1.5, date_w, date_h)
    return ClosingLayout(issuer=issuer, date=date, seal=seal, qr=Rect(left, top, 30, 30) if qr else None)


def _seal(pdf: FPDF, cx: float, cy: float, text: str) -> None:
    """A drawn round seal (the visible mark; the digital signature is what proves the document): the name along
    the upper rim, a star in the middle, 电子签章 below; translucent, and drawn before the text it covers."""
    import math

    r = SEAL_RADIUS
    red = (200, 30, 30)
    with pdf.local_context(fill_opacity=0.85, stroke_opacity=0.85, draw_color=red, text_color=red):
        pdf.set_line_width(0.9)
        pdf.ellipse(cx - r, cy - r, 2 * r, 2 * r)
        pdf.set_line_width(0.3)
        pdf.ellipse(cx - r + 1.3, cy - r + 1.3, 2 * (r - 1.3), 2 * (r - 1.3))
        pdf.set_font("cjk", size=18)
        pdf.set_xy(cx - 5, cy - 6)
        pdf.cell(10, 10, "★", align=Align.C)
        name = (text or "")[:18]
        if name:
            span = math.radians(220 if len(name) > 8 else 160)
            rr = r - 4.6
            step = span / max(len(name) - 1, 1) if len(name) > 1 else 0
            size = max(5.5, min(9.5, rr * span / len(name) / 0.3528 * 0.8))
            pdf.set_font("cjk", size=size)
            start = math.pi / 2 + span / 2
            for i, ch in enumerate(name):
                theta = start - i * step if len(name) > 1 else math.pi / 2
                px, py = cx + rr * math.cos(theta), cy - rr * math.sin(theta)
                with pdf.rotation(angle=math.degrees(theta) - 90, x=px, y=py):
                    pdf.set_xy(px - 2.5, py - 2)
                    pdf.cell(5, 4, ch, align=Align.C)
        pdf.set_font("cjk", size=7)
        pdf.set_xy(cx - 10, cy + 6.5)
        pdf.cell(20, 4, "电子签章", align=Align.C)
    pdf.set_line_width(0.2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)


def render_pdf(spec: DocSpec) -> bytes:
    return render_pdf_with_layout(spec)[0]


def render_pdf_with_layout(spec: DocSpec) -> tuple[bytes, ClosingLayout]:
    """The PDF and where its closing block (issuer, date, seal, QR code) was put."""
    path, index = cjk_font()
    pdf = _Doc(format="A4", unit="mm")
    pdf.footer_text = spec.footer
    pdf.set_title(f"{spec.title} {spec.number}")
    pdf.set_author(spec.centre)
    pdf.set_creator("一窗 Yichuang")
    pdf.set_lang("zh-CN")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("cjk", size=13)
    pdf.cell(width, 8, spec.centre, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=22)
    pdf.cell(width, 14, spec.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if spec.doc_number:
        pdf.set_font("cjk", size=12)
        pdf.cell(width, 7, spec.doc_number, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=10)
    pdf.cell(width, 6, f"编号：{spec.number}", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(180, 30, 30)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(5)

    pdf.set_font("cjk", size=12)
    if spec.addressee:
        pdf.cell(width, 8, spec.addressee, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for para in spec.paragraphs:
        for line in para.split("\n"):
            pdf.multi_cell(width, 7.5, ("　　" + line) if line else "", wrapmode=WrapMode.CHAR, align=Align.L,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if spec.fields:
        pdf.ln(3)
        pdf.set_font("cjk", size=10.5)
        label_w = 34
        for label, value in spec.fields:
            pdf.set_fill_color(245, 245, 245)
            pdf.multi_cell(label_w, 7, label, border=1, fill=True, wrapmode=WrapMode.CHAR,
                           new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.multi_cell(width - label_w, 7, value or "—", border=1, wrapmode=WrapMode.CHAR,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if spec.table:
        headers, rows = spec.table
        pdf.ln(3)
        pdf.set_font("cjk", size=10)
        # Number column narrow, name column wide, the last (notes) column wider than the middle ones.
        widths = ([8, 48] + [20] * max(len(headers) - 3, 0) + [40])[:len(headers)]
        with pdf.table(col_widths=tuple(widths), text_align="LEFT",
                       line_height=6.5, wrapmode=WrapMode.CHAR, first_row_as_headings=True,
                       headings_style=FontFace(emphasis=None, fill_color=(240, 240, 240))) as table:
            for row in [headers] + rows:
                r = table.row()
                for value in row:
                    r.cell(str(value) if value not in (None, "") else "—")
    if spec.after_table:
        pdf.ln(2)
        pdf.set_font("cjk", size=11)
        for line in spec.after_table:
            pdf.multi_cell(width, 7, line, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if spec.sign_lines:
        pdf.ln(4)
        pdf.set_font("cjk", size=11)
        for line in spec.sign_lines:
            pdf.cell(width, 10, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # Closing block: QR code on the left; issuer, seal and date on the right. Kept on one page.
    block_h = 52  # 6 mm gap, then the QR code with its caption (46 mm); the seal and the date end above that
    if pdf.get_y() + block_h > pdf.h - 22:
        pdf.add_page()
    top = pdf.get_y() + 6
    right = pdf.w - pdf.r_margin
    issuer = spec.issuer or spec.centre
    date_text = f"{spec.date.year}年{spec.date.month}月{spec.date.day}日"
    pdf.set_font("cjk", size=12)
    layout = closing_layout(right=right, top=top, issuer_w=pdf.get_string_width(issuer) + 2,
                            date_w=pdf.get_string_width(date_text) + 2, left=pdf.l_margin, qr=bool(spec.qr_url))
    layout = ClosingLayout(issuer=layout.issuer, date=layout.date, seal=layout.seal, qr=layout.qr,
                           page=pdf.page_no())
    if spec.qr_url:
        _qr(pdf, spec.qr_url, layout.qr.x, layout.qr.y, layout.qr.w)
        pdf.set_font("cjk", size=8)
        pdf.set_xy(pdf.l_margin, top + 31)
        pdf.cell(60, 4, spec.qr_caption or "扫码查询办理进度", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("cjk", size=6.5)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(70, 3.2, spec.qr_text or spec.qr_url, wrapmode=WrapMode.CHAR, align=Align.L)
    if spec.seal:  # first, so that the name it covers is printed over it and stays readable
        _seal(pdf, layout.seal.x + SEAL_RADIUS, layout.seal.y + SEAL_RADIUS, issuer)
    pdf.set_font("cjk", size=12)
    pdf.set_xy(layout.issuer.x, layout.issuer.y)
    pdf.cell(layout.issuer.w, layout.issuer.h, issuer, align=Align.R)
    pdf.set_xy(layout.date.x, layout.date.y)
    pdf.cell(layout.date.w, layout.date.h, date_text, align=Align.R)
    out = pdf.output()
    return bytes(out), layout

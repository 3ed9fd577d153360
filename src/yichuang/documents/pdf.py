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


def _seal(pdf: FPDF, cx: float, cy: float, text: str) -> None:
    """A drawn round seal (the visible mark; the digital signature is what proves the document)."""
    pdf.set_draw_color(200, 30, 30)
    pdf.set_text_color(200, 30, 30)
    pdf.set_line_width(0.8)
    r = 19
    pdf.ellipse(cx - r, cy - r, 2 * r, 2 * r)
    pdf.set_font("cjk", size=16)
    pdf.set_xy(cx - 4, cy - 5)
    pdf.cell(8, 8, "★", align=Align.C)
    pdf.set_font("cjk", size=7)
    pdf.set_xy(cx - r, cy + 4)
    pdf.cell(2 * r, 4, text[:14], align=Align.C)
    pdf.set_xy(cx - r, cy + 8)
    pdf.cell(2 * r, 4, "电子签章", align=Align.C)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)


def render_pdf(spec: DocSpec) -> bytes:
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

    # Closing block: QR code on the left, issuer, date and seal on the right. Keep it on one page.
    block_h = 48
    if pdf.get_y() + block_h > pdf.h - 24:
        pdf.add_page()
    top = pdf.get_y() + 6
    if spec.qr_url:
        _qr(pdf, spec.qr_url, pdf.l_margin, top, 30)
        pdf.set_font("cjk", size=8)
        pdf.set_xy(pdf.l_margin, top + 31)
        pdf.cell(60, 4, spec.qr_caption or "扫码查询办理进度", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("cjk", size=6.5)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(70, 3.2, spec.qr_text or spec.qr_url, wrapmode=WrapMode.CHAR, align=Align.L)
    right = pdf.w - pdf.r_margin
    pdf.set_font("cjk", size=12)
    pdf.set_xy(right - 80, top + 8)
    pdf.cell(80, 8, spec.issuer or spec.centre, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(right - 80, top + 17)
    pdf.cell(80, 8, f"{spec.date.year}年{spec.date.month}月{spec.date.day}日", align=Align.R)
    if spec.seal:
        _seal(pdf, right - 28, top + 16, spec.issuer or spec.centre)
    out = pdf.output()
    return bytes(out)

"""Read PDFs back in tests: text through pypdf (and poppler's pdftotext when installed), page 1 as an image."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path


def pdf_text(data: bytes) -> str:
    """poppler's pdftotext when installed; else pypdf, which reads fpdf2's embedded Identity CMap one byte at a
    time (every CJK character comes back preceded by a NUL byte, removed here)."""
    text = poppler_text(data)
    if text is not None:
        return text
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")


def poppler_text(data: bytes) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def page1_ink(data: bytes) -> float | None:
    """Share of dark pixels on page 1 rendered by pdftoppm (None when poppler is missing)."""
    if not shutil.which("pdftoppm"):
        return None
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.pdf"
        src.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(src), str(Path(d) / "p")],
                       check=True, capture_output=True)
        pgm = next(Path(d).glob("p*.pgm")).read_bytes()
    # Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    parts = pgm.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    pixels = parts[3][: w * h]
    return sum(1 for b in pixels if b < 128) / (w * h)


def embedded_fonts(data: bytes) -> list[str]:
    """Names of the fonts embedded (with a font file) in the PDF."""
    from pypdf import PdfReader

    names = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []) or []:
                fd = desc.get_object().get("/FontDescriptor")
                if fd is not None:
                    fd = fd.get_object()
                    if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        names.append(str(font.get("/BaseFont")))
    return names

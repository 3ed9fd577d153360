"""The seal never overprints the date (layout rectangles, text positions, pixels), and QR codes and verify links
use the address the server is reached at."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import given, settings as hsettings, strategies as st

from yichuang.cases import services as cs
from yichuang.documents import pdf as pdfmod
from yichuang.documents import services as ds
from yichuang.documents.pdf import SEAL_RADIUS, DocSpec, closing_layout, render_pdf_with_layout
from yichuang.notify.services import _text as sms_text
from tests.cases.conftest import accepted_case, build_world, receive

from .pdftools import pdf_text

MM_PER_PT = 25.4 / 72
A4_H_MM = 297.0


def _spec(issuer: str = "九龙坡区市场监督管理局", paragraphs: int = 1, date=dt.date(2026, 11, 24)) -> DocSpec:
    return DocSpec(centre="九龙坡区政务服务中心", title="不予行政许可决定书", number="500107202611240001-JD01",
                   doc_number="渝九龙坡市监许〔2026〕12号", date=date, addressee="重庆美味餐饮有限公司：",
                   paragraphs=["您申请的“食品经营许可”经审查，决定不予许可。"] * paragraphs,
                   fields=[("办件编号", "500107202611240001"), ("决定", "不予许可")], issuer=issuer,
                   after_table=["告知：如不服本决定，可以自收到本决定书之日起60日内向九龙坡区人民政府申请行政复议。"],
                   qr_url="http://127.0.0.1:8105/cases/progress/?number=500107202611240001")


@given(issuer_w=st.floats(8, 120), date_w=st.floats(20, 45), top=st.floats(30, 200))
def test_the_seal_box_never_meets_the_date_box(issuer_w, date_w, top):
    right = 188.0
    lay = closing_layout(right=right, top=top, issuer_w=issuer_w, date_w=date_w, left=22, qr=True)
    assert not lay.seal.intersects(lay.date)
    assert lay.seal.intersects(lay.issuer)  # the seal sits on the end of the issuer's name, as seals do
    assert lay.seal.x + lay.seal.w <= right + 1e-6 and lay.date.x + lay.date.w <= right + 1e-6
    assert lay.seal.y > top - 6  # and not over the text above the closing block (which ends 6 mm above its top)
    assert not lay.qr.intersects(lay.seal)


def _date_glyph_box(data: bytes, date_text: str, page_index: int) -> tuple[float, float, float, float]:
    """(x, top, x2, bottom) in mm from the top left of the date as drawn, read back from the PDF with pypdf."""
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[page_index]
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.replace("\x00", "") == date_text:
            found.append((tm[4], tm[5], font_size))

    page.extract_text(visitor_text=visit)
    assert found, "the date was not found in the PDF"
    x_pt, baseline_pt, size = found[-1]
    height_pt = float(page.mediabox.height)
    top = (height_pt - baseline_pt - size) * MM_PER_PT
    bottom = (height_pt - baseline_pt + 0.25 * size) * MM_PER_PT
    return x_pt * MM_PER_PT, top, x_pt * MM_PER_PT + len(date_text) * size * 0.6 * MM_PER_PT, bottom


def _red_pixels(data: bytes, page: int, box_mm: tuple[float, float, float, float]) -> int | None:
    """Reddish pixels (the seal's ink) inside a box of the page rendered by pdftoppm (None without poppler)."""
    if not shutil.which("pdftoppm"):
        return None
    dpi = 100
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.pdf"
        src.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(src), str(Path(d) / "p")],
                       check=True, capture_output=True)
        ppm = next(Path(d).glob("p*.ppm")).read_bytes()
    magic, dims, maxval, pixels = ppm.split(b"\n", 3)
    w, h = map(int, dims.split())
    px = lambda mm: int(mm / 25.4 * dpi)  # noqa: E731
    x0, y0, x1, y1 = (px(v) for v in box_mm)
    red = 0
    for y in range(max(y0, 0), min(y1, h)):
        for x in range(max(x0, 0), min(x1, w)):
            i = (y * w + x) * 3
            r, g, b = pixels[i], pixels[i + 1], pixels[i + 2]
            if r > 150 and g < 120 and b < 120:
                red += 1
    return red


@pytest.mark.parametrize("issuer,paragraphs", [("九龙坡区市场监督管理局", 1), ("区医保局", 1),
                                               ("重庆市住房公积金管理中心九龙坡区分中心", 1), ("九龙坡区民政局", 26)])
def test_the_seal_does_not_overprint_the_date_in_the_pdf(issuer, paragraphs):
    spec = _spec(issuer, paragraphs)
    data, lay = render_pdf_with_layout(spec)
    date_text = "2026年11月24日"
    x, top, x2, bottom = _date_glyph_box(data, date_text, lay.page - 1)
    seal_bottom = lay.seal.y + lay.seal.h
    assert top > seal_bottom, (top, seal_bottom)  # the date is drawn below the seal's lowest point
    assert abs(x2 - (lay.date.x + lay.date.w)) < 6  # where the layout put it
    assert bottom < A4_H_MM - 14  # above the footer
    red = _red_pixels(data, lay.page, (x - 1, top - 0.5, x2 + 1, bottom))
    if red is not None:
        assert red == 0, f"{red} seal pixels on the date"
        # And the seal is really drawn where the layout says (so the check above is not vacuous).
        cx, cy = lay.seal.x + SEAL_RADIUS, lay.seal.y + SEAL_RADIUS
        assert _red_pixels(data, lay.page, (cx - SEAL_RADIUS, cy - SEAL_RADIUS, cx + SEAL_RADIUS,
                                            cy + SEAL_RADIUS)) > 200


# ---------------------------------------------------------------- the address in QR codes and links


@pytest.fixture
def w(db, fast_hasher):
    return build_world()


@pytest.fixture
def qr_urls(monkeypatch):
    seen: list[str] = []
    original = pdfmod._qr

    def spy(pdf, url, *args):
        seen.append(url)
        return original(pdf, url, *args)

    monkeypatch.setattr(pdfmod, "_qr", spy)
    return seen


def test_without_a_request_documents_use_the_public_url(w, settings, qr_urls):
    settings.YICHUANG_PUBLIC_URL = "http://hall.example.cn:8123/"
    case = accepted_case(w)
    notice = case.notices.get(kind="acceptance")
    text = pdf_text(ds.document_bytes(ds.document_for_notice(notice=notice)))
    assert "http://hall.example.cn:8123/documents/verify/" in text
    assert qr_urls == [f"http://hall.example.cn:8123/cases/progress/?number={case.number}"]
    assert "127.0.0.1:8000" not in text
    assert f"http://hall.example.cn:8123/cases/progress/?number={case.number}" in sms_text(case, "accepted", notice)


def test_with_a_request_documents_use_the_address_it_reached(w, settings, qr_urls):
    settings.YICHUANG_PUBLIC_URL = "http://wrong.example:1"
    settings.ALLOWED_HOSTS = ["*"]
    case = accepted_case(w)
    case = cs.case_suspend(case=case, actor=w.approver, reason="hearing")
    notice = case.notices.get(kind="suspension")
    c = Client(HTTP_HOST="10.8.0.5:8105")
    c.login(username="approver", password="secret-pass-1")
    r = c.get(f"/documents/notices/{notice.number}.pdf")
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert "http://10.8.0.5:8105/documents/verify/" in text and "wrong.example" not in text
    assert qr_urls == [f"http://10.8.0.5:8105/cases/progress/?number={case.number}"]
    html = c.get(f"/cases/{case.number}/notices/{notice.number}/").content.decode()
    assert f"http://10.8.0.5:8105/cases/progress/?number={case.number}" in html and "wrong.example" not in html
    r = c.get(f"/documents/cases/{case.number}/checklist.pdf")
    assert "http://10.8.0.5:8105/documents/verify/" in pdf_text(r.content)


# ---------------------------------------------------------------- every notice page


ENGLISH_SENTENCE = __import__("re").compile(r"\b[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")


def test_every_notice_page_renders_clean(w, settings):
    """Each kind of notice as a printable page: 200, no None/null, no English sentence in zh-Hans, A4 print CSS,
    the seal and the date both present."""
    settings.ALLOWED_HOSTS = ["*"]
    due = dt.date.today() + dt.timedelta(days=10)
    tolerant = receive(w, seq=1, materials={"app": "provided", "id": "provided"})
    tolerant = cs.case_accept_tolerant(case=tolerant, actor=w.clerk, items=["lease"], commitment="承诺补交",
                                       due_date=due)
    tolerant = cs.case_accept(case=tolerant, actor=w.approver)
    tolerant = cs.case_suspend(case=tolerant, actor=w.approver, reason="site_inspection")
    denied = accepted_case(w, seq=2)
    denied = cs.case_deny(case=denied, actor=w.approver, opinion="场地不符合要求")
    refused = cs.case_not_accept(case=cs.case_forward(case=receive(w, seq=3), actor=w.clerk), actor=w.approver,
                                 reason="不属于本机关职权", legal_basis="《行政许可法》第三十二条")
    supp = receive(w, seq=4, materials={"app": "provided", "id": "provided"})
    cs.case_request_supplement(case=supp, actor=w.clerk, due_date=due)
    from yichuang.cases.models import Notice

    notices = list(Notice.objects.select_related("case"))
    assert {n.kind for n in notices} == {"acceptance", "tolerant_commitment", "suspension", "decision",
                                         "non_acceptance", "supplement"}
    c = Client()
    c.login(username="approver", password="secret-pass-1")
    for n in notices:
        r = c.get(f"/cases/{n.case.number}/notices/{n.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert r.status_code == 200, n.kind
        html = r.content.decode()
        body = html.split('data-testid="notice"', 1)[1].split("</article>", 1)[0]
        assert "None" not in body and "null" not in body and "undefined" not in body, n.kind
        visible = __import__("re").sub(r"<[^>]+>", " ", body)
        assert not ENGLISH_SENTENCE.search(visible.replace("http://", " ")), (n.kind, ENGLISH_SENTENCE.search(visible))
        assert "size: A4" in html and 'data-testid="seal"' in html and 'data-testid="notice-date"' in html, n.kind
        assert n.get_kind_display() in html or "决定书" in html, n.kind
        from tests.crawl.checks import problems  # the crawl's own checks (empty words, raw codes, English)

        def paper(html: str) -> str:  # the notice itself (the test world's users are named by their role codes)
            return "<html><body><article" + html.split("<article", 1)[1].split("</article>", 1)[0] + "</article>"

        assert problems(paper(html), chinese=True) == [], (n.kind, problems(paper(html), chinese=True))
        page = c.get(f"/documents/notices/{n.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200 and problems(paper(page.content.decode()), chinese=True) == [], n.kind


def test_the_signer_is_named_in_chinese(pki):
    """The verification page and the document record name the signer as the certificate does, without
    asn1crypto's English field labels (Common Name: …, Organization: …)."""
    from yichuang.documents.pdf import render_pdf
    from yichuang.documents.signing import sign_pdf, signer_name, verify_pdf

    verdict = verify_pdf(sign_pdf(render_pdf(_spec())))
    assert verdict.genuine and verdict.signer == signer_name()
    assert "测试中心" in verdict.signer and "Common Name" not in verdict.signer and "Organization" not in verdict.signer


def test_the_licence_pdf_uses_the_address_its_request_reached(lw, settings, qr_urls):
    from tests.licences.licence_world import approve_company

    settings.YICHUANG_PUBLIC_URL = "http://wrong.example:1"
    settings.ALLOWED_HOSTS = ["*"]
    lic = approve_company(lw, matter_code="M-FOOD").licences.get()
    r = Client(HTTP_HOST="192.168.10.20:8105").get(f"/licences/{lic.number}/pdf?holder={lic.holder_name}")
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert "http://192.168.10.20:8105/licences/verify/" in text and "wrong.example" not in text
    assert qr_urls and all(u.startswith("http://192.168.10.20:8105/licences/verify/?") for u in qr_urls)


def test_the_applicants_notice_pages_pass_the_crawl_checks(w):
    """As the applicant sees them (no login, the last four characters of the ID number): the whole page."""
    from yichuang.cases.models import Notice
    from tests.crawl.checks import problems

    case = accepted_case(w, seq=5)
    case = cs.case_suspend(case=case, actor=w.approver, reason="technical_review")
    case = cs.case_resume(case=case, actor=w.approver)
    cs.case_deny(case=case, actor=w.approver, opinion="检测结果不合格")
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    code = case.applicant_identifier[-4:]
    kinds = set()
    for n in Notice.objects.filter(case=case):
        r = c.get(f"/documents/notices/{n.number}/?code={code}")
        assert r.status_code == 200 and problems(r.content, chinese=True) == [], (n.kind, problems(r.content))
        kinds.add(n.kind)
    listing = c.get(f"/documents/cases/{case.number}/?code={code}")
    assert problems(listing.content, chinese=True) == []
    assert kinds == {"acceptance", "suspension", "decision"}

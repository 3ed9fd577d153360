"""PDF notices render Chinese with an embedded font; signatures verify; one altered byte is caught."""

import datetime as dt
import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from yichuang.cases import services as cs
from yichuang.documents import services as ds
from yichuang.documents.pdf import DocSpec, render_pdf
from yichuang.documents.signing import sign_pdf, verify_pdf
from yichuang.documents.pki import demo_pki_create
from yichuang.licences.paper import document_for_licence
from tests.licences.licence_world import approve_company, receive_company

from .pdftools import embedded_fonts, page1_ink, pdf_text, poppler_text

SAMPLE = DocSpec(centre="九龙坡区政务服务中心", title="受理通知书", number="500107202611240001-SL01",
                 date=dt.date(2026, 11, 24), addressee="重庆美味餐饮有限公司：",
                 paragraphs=["您申请的“食品经营许可”经审查，符合受理条件，决定予以受理。"],
                 fields=[("办件编号", "500107202611240001")], issuer="九龙坡区市场监督管理局",
                 qr_url="http://127.0.0.1:8000/cases/progress/?number=500107202611240001")


def test_chinese_is_embedded_and_extractable():
    data = render_pdf(SAMPLE)
    text = pdf_text(data)
    for phrase in ("九龙坡区政务服务中心", "受理通知书", "符合受理条件，决定予以受理", "九龙坡区市场监督管理局", "2026年11月24日"):
        assert phrase in text, phrase
    assert "\ufffd" not in text  # no replacement characters: every glyph mapped back to its character
    fonts = embedded_fonts(data)
    assert fonts and all("CJK" in f for f in fonts), fonts  # the CJK font travels inside the PDF
    poppler = poppler_text(data)
    if poppler is not None:
        assert "受理通知书" in poppler and "符合受理条件" in poppler
    ink = page1_ink(data)
    if ink is not None:
        assert 0.005 < ink < 0.5  # page 1 renders with text and the QR code, not blank


def test_sign_then_verify_then_alter_one_byte(pki):
    signed = sign_pdf(render_pdf(SAMPLE))
    verdict = verify_pdf(signed)
    assert verdict.genuine and verdict.intact and verdict.trusted and verdict.whole_file
    assert "测试中心" in verdict.signer
    for pos in (len(signed) // 3, len(signed) // 2, len(signed) - 40):
        altered = bytearray(signed)
        altered[pos] ^= 0x01
        assert not verify_pdf(bytes(altered)).genuine, pos
    appended = verify_pdf(signed + b"\n% appended\n")
    assert not appended.genuine and appended.intact and not appended.whole_file
    assert not verify_pdf(render_pdf(SAMPLE)).signed  # unsigned
    assert not verify_pdf(b"hello").genuine


def test_a_foreign_certificate_is_not_trusted(pki, tmp_path, settings):
    signed_here = sign_pdf(render_pdf(SAMPLE))
    demo_pki_create(centre_name="别的中心", cert_path=str(tmp_path / "c.pem"), key_path=str(tmp_path / "k.pem"))
    settings.YICHUANG_SIGNING_CERT, settings.YICHUANG_SIGNING_KEY = str(tmp_path / "c.pem"), str(tmp_path / "k.pem")
    verdict = verify_pdf(signed_here)
    assert verdict.intact and not verdict.trusted and not verdict.genuine


def test_every_document_kind_renders_signed(lw, pki):
    approve_company(lw, matter_code="M-REG")
    case = approve_company(lw, matter_code="M-FOOD")
    case = cs.case_mark_ready(case=case, actor=lw.issuer)
    cs.case_issue(case=case, actor=lw.issuer, method="window", signed_by="王五")
    refused = receive_company(lw, matter_code="M-FOOD", seq=2, name="二号公司")
    refused = cs.case_forward(case=refused, actor=lw.clerk)
    cs.case_not_accept(case=refused, actor=lw.approver, reason="不属于本机关职权范围", legal_basis="《行政许可法》第三十二条")
    supp = receive_company(lw, matter_code="M-FOOD", seq=3, name="三号公司")
    cs.case_request_supplement(case=supp, actor=lw.clerk, due_date=dt.date.today() + dt.timedelta(days=5),
                               items=[{"code": "layout", "problem": "incorrect", "note": "未标明功能间"}])
    docs = [ds.document_for_notice(notice=n) for c in (case, refused, supp) for n in c.notices.all()]
    docs += [ds.document_checklist(case=case), ds.document_service_receipt(case=case),
             document_for_licence(licence=case.licences.get())]
    kinds = {d.kind for d in docs}
    assert kinds == {"acceptance", "decision", "non_acceptance", "supplement", "checklist", "service_receipt",
                     "licence"}
    expect = {"acceptance": "受理通知书", "decision": "决定书", "non_acceptance": "不予受理通知书",
              "supplement": "补齐补正通知书", "checklist": "一次性告知书", "service_receipt": "送达回证",
              "licence": "食品经营许可证"}
    for doc in docs:
        data = ds.document_bytes(doc)
        text = pdf_text(data)
        assert expect[doc.kind] in text and "九龙坡区政务服务中心" in text, doc.kind
        assert doc.signed and verify_pdf(data).genuine, doc.kind
    decision = next(d for d in docs if d.kind == "decision")
    assert case.licences.get().number in pdf_text(ds.document_bytes(decision))
    supplement = pdf_text(ds.document_bytes(next(d for d in docs if d.kind == "supplement")))
    assert "设备布局和操作流程" in supplement and "未标明功能间" in supplement
    # Issued once: a second request returns the same bytes.
    again = ds.document_for_notice(notice=case.notices.get(kind="acceptance"))
    assert again.sha256 == next(d for d in docs if d.kind == "acceptance").sha256


def test_unsigned_when_no_certificate(lw, settings, tmp_path):
    settings.YICHUANG_SIGNING_CERT = str(tmp_path / "none.pem")
    case = approve_company(lw, matter_code="M-FOOD")
    doc = ds.document_for_notice(notice=case.notices.get(kind="acceptance"))
    assert not doc.signed and "受理通知书" in pdf_text(ds.document_bytes(doc))


def test_verify_pdf_command(pki, tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(sign_pdf(render_pdf(SAMPLE)))
    call_command("verify_pdf", str(good))
    assert "GENUINE" in capsys.readouterr().out
    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x20
    bad.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as exc:
        call_command("verify_pdf", str(bad))
    assert exc.value.code == 1 and "NOT GENUINE" in capsys.readouterr().out


def test_pki_demo_command_keeps_an_existing_pair(settings, tmp_path, capsys):
    settings.YICHUANG_SIGNING_CERT = str(tmp_path / "pki" / "cert.pem")
    settings.YICHUANG_SIGNING_KEY = str(tmp_path / "pki" / "key.pem")
    call_command("pki_demo")
    assert "已创建" in capsys.readouterr().out
    first = (tmp_path / "pki" / "cert.pem").read_bytes()
    call_command("pki_demo")
    assert "已存在" in capsys.readouterr().out and (tmp_path / "pki" / "cert.pem").read_bytes() == first
    assert oct((tmp_path / "pki" / "key.pem").stat().st_mode & 0o777) == "0o600"

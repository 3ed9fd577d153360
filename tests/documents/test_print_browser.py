"""Every notice page prints on one A4 sheet in Chromium, and on the printed sheet the seal does not cover the
date (boxes measured in the browser)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil

import pytest

from yichuang.cases import services as cs
from tests.cases.conftest import accepted_case, build_world, receive
from tests.e2e.conftest import CHROMIUM, login

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
    pytest.skip(f"Chromium not installed at {CHROMIUM}", allow_module_level=True)


def test_notices_print_on_one_a4_sheet_with_the_date_clear_of_the_seal(live_server, browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from pypdf import PdfReader

    w = build_world()
    due = dt.date.today() + dt.timedelta(days=10)
    case = receive(w, seq=1, materials={"app": "provided", "id": "provided"})
    case = cs.case_accept_tolerant(case=case, actor=w.clerk, items=["lease"], commitment="本人承诺按期补交。",
                                   due_date=due)
    case = cs.case_accept(case=case, actor=w.approver)
    case = cs.case_suspend(case=case, actor=w.approver, reason="technical_review", note="委托检测机构检测")
    denied = cs.case_deny(case=accepted_case(w, seq=2), actor=w.approver, opinion="经营场所面积不足，布局不合理。",
                          legal_basis="《食品经营许可审查通则》")
    numbers = [(n.case.number, n.number, n.kind) for c in (case, denied) for n in c.notices.all()]
    assert {k for _c, _n, k in numbers} >= {"tolerant_commitment", "suspension", "decision", "acceptance"}
    page = login(browser, live_server.url, "approver", "secret-pass-1")
    for case_number, number, kind in numbers:
        page.goto(f"{live_server.url}/cases/{case_number}/notices/{number}/")
        page.emulate_media(media="print")
        seal = page.get_by_test_id("seal").bounding_box()
        date = page.get_by_test_id("notice-date").bounding_box()
        issuer = page.get_by_test_id("issuer").bounding_box()
        assert seal and date and issuer, kind
        assert date["y"] >= seal["y"] + seal["height"] - 0.5, (kind, seal, date)  # the date is below the seal
        assert seal["y"] < issuer["y"] + issuer["height"] and seal["y"] + seal["height"] > issuer["y"]  # on the name
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), kind
        pdf = page.pdf(prefer_css_page_size=True)
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1, (kind, len(reader.pages))
        assert round(float(reader.pages[0].mediabox.width)) in (595, 596)  # A4
        page.emulate_media(media="screen")
    page.context.close()

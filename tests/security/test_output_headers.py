"""Issue 21, findings 5 and 16: private answers are never stored by a browser or proxy; scripts run only from our
static files or a nonce'd inline script (CSP script-src); every workbook export guards formula-like text."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from yichuang.core.xlsx import append_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    from yichuang.accounts.constants import Role

    return django_user_model.objects.create_user(username="sup", password="secret-pass-1", role=Role.SUPERVISOR)


def test_signed_in_pages_are_no_store_and_public_catalogue_is_cacheable(client, staff):
    anon = client.get("/")
    assert "no-store" not in anon.get("Cache-Control", "")
    client.force_login(staff)
    for url in ("/", "/supervision/kpi/", "/supervision/kpi/?format=xlsx"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r["Cache-Control"] == "no-store", url


def test_files_and_case_code_pages_are_no_store_even_anonymous():
    c = Client()
    r = c.get("/documents/cases/0/?code=1234")
    assert "no-store" in r.get("Cache-Control", "")


def test_csp_allows_only_own_scripts_and_the_answer_nonce(client):
    r1, r2 = client.get("/"), client.get("/")
    csp1, csp2 = r1["Content-Security-Policy"], r2["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp1 and "'unsafe-inline'" not in csp1
    assert csp1 != csp2  # a fresh nonce per answer


def test_kpi_page_embeds_its_data_with_json_script(client, staff):
    from yichuang.accounts import services as acc
    from yichuang.accounts.models import Centre

    centre = Centre.objects.first() or Centre.objects.create(code="C1", name="中心")
    acc.department_create(code="EVIL", name="</script><script>alert(1)</script>", centre=centre)
    client.force_login(staff)
    html = client.get("/supervision/kpi/").content.decode()
    assert '<script id="kpi-data" type="application/json">' in html
    assert "<script>" not in html  # no inline script without a nonce


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "\t=1"])
def test_formula_like_text_is_written_as_quoted_text(text):
    wb = Workbook()
    append_row(wb.active, [text, "plain", 3])
    buf = io.BytesIO()
    wb.save(buf)
    cell = load_workbook(io.BytesIO(buf.getvalue())).active["A1"]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert load_workbook(io.BytesIO(buf.getvalue())).active["C1"].value == 3


def test_kpi_export_guards_a_department_named_like_a_formula(client, staff, monkeypatch):
    from yichuang.supervision import views

    real = views.kpi_dashboard

    def fake(**kw):
        data = real(**kw)
        data["departments"] = [{"department": "=cmd|' /C calc'!A0", "received": 1, "decided": 1}]
        return data

    monkeypatch.setattr(views, "kpi_dashboard", fake)
    client.force_login(staff)
    wb = load_workbook(io.BytesIO(client.get("/supervision/kpi/?format=xlsx").content))
    cell = wb["部门排名"]["A2"]
    assert cell.value.startswith("=cmd") and cell.data_type == "s" and cell.quotePrefix


def test_every_workbook_writer_uses_the_guard():
    import pathlib
    import re

    src = pathlib.Path(__file__).resolve().parents[2] / "src" / "yichuang"
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(\)", text):
            assert "append_row" in text and not re.search(r"\b(ws|sheet)\.append\(", text), path

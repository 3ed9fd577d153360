"""决定书 words by matter type, 文号, the 复议/诉讼 告知, the 容缺受理承诺书 and 中止告知书 — through the case services."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from hypothesis import given, settings as hsettings, strategies as st

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.cases import services as cs
from yichuang.catalog import services as cat
from yichuang.catalog.constants import MatterType
from yichuang.documents import services as ds
from yichuang.documents.authority import default_prefix, default_review_body
from yichuang.documents.models import DepartmentDocumentSettings, NoticeDocNumber
from yichuang.documents.numbering import format_number, notice_number_allocate, sequence_next
from yichuang.documents.selectors import case_document_list
from yichuang.documents.wording import verdict
from tests.cases.conftest import accepted_case, build_world, receive

from .pdftools import pdf_text

YEAR = dt.date.today().year
NUMBER_RE = re.compile(r"^(?P<prefix>\D+?)(?P<char>许|确|给|裁|奖|办|备|决|不受)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")


@pytest.fixture
def w(db, fast_hasher):
    w = build_world()
    common = {"department": "SCJG", "domain": "enterprise", "legal_limit_days": 20, "promised_limit_days": 5}
    mats = [{"code": "app", "name": "申请书"}]
    w.confirm = cat.matter_save(spec={**common, "implementation_code": "M-REG", "name": "国有建设用地使用权及房屋所有权转移登记",
                                      "matter_type": MatterType.CONFIRMATION}, materials=mats)
    w.pay = cat.matter_save(spec={**common, "implementation_code": "M-PAY", "name": "失业保险金申领",
                                  "matter_type": MatterType.PAYMENT}, materials=mats)
    w.service = cat.matter_save(spec={**common, "implementation_code": "M-SVC", "name": "住房公积金提取",
                                      "matter_type": MatterType.PUBLIC_SERVICE}, materials=mats)
    return w


def _decide(w, matter_code: str, *, approve: bool, seq: int):
    case = accepted_case(w, matter_code=matter_code, seq=seq, materials={"app": "provided"}) \
        if matter_code != "M-FOOD" else accepted_case(w, seq=seq)
    case = cs.case_decide(case=case, actor=w.approver, approve=approve, opinion="" if approve else "材料不符合要求")
    return case, case.notices.get(kind="decision")


# ---------------------------------------------------------------- wording


def test_verdict_words_per_matter_type():
    expect = {
        (MatterType.LICENSING, "食品经营许可"): ("准予许可", "不予许可"),
        (MatterType.CONFIRMATION, "二手房转移登记"): ("准予登记", "不予登记"),
        (MatterType.CONFIRMATION, "工伤认定"): ("予以认定", "不予认定"),
        (MatterType.CONFIRMATION, "居民身份证换领"): ("予以确认", "不予确认"),
        (MatterType.PAYMENT, "失业保险金申领"): ("准予给付", "不予给付"),
        (MatterType.PUBLIC_SERVICE, "住房公积金提取"): ("办结", "不予办理"),
        (MatterType.OTHER_POWER, "仅销售预包装食品备案"): ("予以备案", "不予备案"),
        (MatterType.OTHER_POWER, "增值税发票领用"): ("准予办理", "不予办理"),
    }
    for (mtype, name), (yes, no) in expect.items():
        assert verdict(matter_type=mtype, matter_name=name, approved=True).label == yes, name
        assert verdict(matter_type=mtype, matter_name=name, approved=False).label == no, name
    assert verdict(matter_type=MatterType.LICENSING, matter_name="x", approved=True).title == "准予行政许可决定书"


@given(mtype=st.sampled_from([t for t in MatterType.values if t != MatterType.LICENSING]),
       name=st.text(alphabet="登记认定备案确认申请领取变更", max_size=12), approved=st.booleans())
def test_no_licensing_words_outside_licensing(mtype, name, approved):
    v = verdict(matter_type=mtype, matter_name=name, approved=approved)
    assert "许可" not in v.label + v.sentence + v.title
    assert v.doc_char != "许" and v.label and v.title.endswith(("书", "告知书"))


def test_decision_notice_says_what_the_matter_type_does(w, pki, settings):
    settings.ALLOWED_HOSTS = ["*"]
    rows = [("M-REG", True, "准予登记"), ("M-PAY", False, "不予给付"), ("M-SVC", True, "办结"), ("M-FOOD", False, "不予许可")]
    for i, (code, approve, word) in enumerate(rows, 1):
        case, notice = _decide(w, code, approve=approve, seq=i)
        assert word in notice.text and notice.content["verdict"] == word, code
        if code != "M-FOOD":
            assert "许可" not in notice.text, notice.text
        text = pdf_text(ds.document_bytes(ds.document_for_notice(notice=notice)))
        assert word in text and notice.content["doc_title"] in text, code
        c = Client()
        c.login(username="approver", password="secret-pass-1")
        page = c.get(f"/cases/{case.number}/notices/{notice.number}/")
        assert page.status_code == 200, code
        html = page.content.decode()
        assert notice.content["doc_title"] in html and word in html
        assert "None" not in html and "null" not in html


# ---------------------------------------------------------------- 文号


def test_default_prefix_and_review_body(w):
    assert default_prefix(w.dept) == "渝高新市监"
    assert default_review_body(w.dept) == "重庆市高新区人民政府"
    tax = acc.department_create(code="SW", name="国家税务总局重庆市高新区税务局", centre=w.centre, short_name="区税务局")
    assert default_review_body(tax) == "国家税务总局重庆市税务局" and default_prefix(tax) == "渝高新税"
    customs = acc.department_create(code="HG", name="高新海关办事处", centre=w.centre)
    assert default_review_body(customs) == "上一级主管部门"
    town = acc.centre_create(code="500101002", name="石桥铺街道便民服务中心", level="town", parent=w.centre)
    mz = acc.department_create(code="MZ", name="民政办", centre=town)
    assert default_review_body(mz) == "重庆市高新区人民政府"


def test_doc_numbers_format_sequence_and_once(w):
    texts = []
    for i in range(1, 4):
        _case, notice = _decide(w, "M-FOOD", approve=i != 2, seq=i)
        texts.append(notice.doc_number.text)
        assert notice_number_allocate(notice=notice).text == notice.doc_number.text  # drawn once
    assert texts == [f"渝高新市监许〔{YEAR}〕{n}号" for n in (1, 2, 3)]
    refused = cs.case_forward(case=receive(w, seq=9), actor=w.clerk)
    notice = cs.case_not_accept(case=refused, actor=w.approver, reason="不属于本机关职权", legal_basis="《行政许可法》第三十二条")
    assert notice.doc_number.text == f"渝高新市监不受〔{YEAR}〕4号"  # one sequence per department and year
    # Acceptance notices carry none.
    assert not NoticeDocNumber.objects.filter(notice__kind="acceptance").exists()
    # Another department starts its own sequence; a new year starts again at 1.
    assert sequence_next(department=w.dept2, year=YEAR) == 1
    assert sequence_next(department=w.dept, year=YEAR + 1) == 1
    assert sequence_next(department=w.dept, year=YEAR) == 5
    assert NoticeDocNumber.objects.count() == len(set(NoticeDocNumber.objects.values_list("text", flat=True)))


def test_configured_prefix_and_a_clash_between_departments(w):
    ds.department_document_settings_set(department=w.dept, actor=w.supervisor, number_prefix="渝高新市监审")
    _case, notice = _decide(w, "M-FOOD", approve=True, seq=1)
    assert notice.doc_number.text == f"渝高新市监审许〔{YEAR}〕1号"
    # Department 2 given the same 代字 by mistake: its first number would clash; it is told apart, not refused.
    ds.department_document_settings_set(department=w.dept2, actor=w.supervisor, number_prefix="渝高新市监审")
    w.other_matter = cat.matter_save(spec={"department": "ZJ", "domain": "enterprise", "matter_type": "licensing",
                                           "implementation_code": "M-ZJ", "name": "施工许可", "legal_limit_days": 5,
                                           "promised_limit_days": 3}, materials=[{"code": "app", "name": "申请书"}])
    case = cs.case_forward(case=receive(w, matter_code="M-ZJ", seq=2, materials={"app": "provided"}), actor=w.clerk)
    case = cs.case_accept(case=case, actor=w.other_approver)
    case = cs.case_approve(case=case, actor=w.other_approver)
    assert case.notices.get(kind="decision").doc_number.text == f"渝高新市监审（ZJ）许〔{YEAR}〕1号"


def test_department_settings_are_checked_and_audited(w):
    from yichuang.audit.models import AuditEvent
    from yichuang.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="文号代字"):
        ds.department_document_settings_set(department=w.dept, actor=w.supervisor, number_prefix="渝高新〔2026〕")
    row = ds.department_document_settings_set(department=w.dept, actor=w.supervisor, number_prefix=" 渝高新市监 ",
                                              review_body="重庆市高新区人民政府")
    assert row.number_prefix == "渝高新市监"
    ds.department_document_settings_set(department=w.dept, actor=w.supervisor)  # back to the defaults
    assert DepartmentDocumentSettings.objects.get(department=w.dept).number_prefix == ""
    assert AuditEvent.objects.filter(action="document.department_settings").count() == 2


@given(prefix=st.text(alphabet="渝川高新九龙坡市监审税公", min_size=1, max_size=10),
       char=st.sampled_from(["许", "确", "给", "办", "不受"]), year=st.integers(2000, 2099),
       seq=st.integers(1, 10**6))
def test_number_format_round_trips(prefix, char, year, seq):
    m = NUMBER_RE.match(format_number(prefix=prefix, char=char, year=year, seq=seq))
    assert m and int(m["year"]) == year and int(m["seq"]) == seq


@pytest.mark.django_db(transaction=True)
def test_concurrent_draws_never_repeat(fast_hasher):
    """Eight threads, each in its own transaction and connection, draw 5 numbers each (PostgreSQL; SQLite
    serialises writers, and its in-memory test database is one connection)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("concurrency of separate connections: PostgreSQL")
    centre = acc.centre_create(code="500199", name="测试区政务服务中心", level="county")
    dept = acc.department_create(code="T1", name="测试局", centre=centre)

    def draw(_):
        try:
            out = []
            for _i in range(5):
                with transaction.atomic():
                    out.append(sequence_next(department=dept, year=2030))
            return out
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        drawn = [n for chunk in pool.map(draw, range(8)) for n in chunk]
    assert sorted(drawn) == list(range(1, 41))


# ---------------------------------------------------------------- 告知


def test_adverse_decisions_carry_the_review_notice(w, pki):
    _case, denied = _decide(w, "M-PAY", approve=False, seq=1)
    for phrase in ("重庆市高新区人民政府", "60日内", "申请行政复议", "6个月内", "提起行政诉讼", "行政复议法》第二十条",
                   "行政诉讼法》第四十六条"):
        assert phrase in denied.text, phrase
    assert denied.content["review_body"] == "重庆市高新区人民政府" and denied.content["review_days"] == 60
    text = pdf_text(ds.document_bytes(ds.document_for_notice(notice=denied)))
    assert "告知" in text and "重庆市高新区人民政府" in text and "60日内" in text
    _case, approved = _decide(w, "M-REG", approve=True, seq=2)
    assert "行政复议" not in approved.text  # nothing adverse, nothing to appeal
    # A configured review body and court.
    ds.department_document_settings_set(department=w.dept, actor=w.supervisor,
                                        review_body="重庆高新技术产业开发区管理委员会", court="重庆市九龙坡区人民法院")
    refused = cs.case_forward(case=receive(w, seq=3), actor=w.clerk)
    notice = cs.case_not_accept(case=refused, actor=w.approver, reason="不属于本机关职权", legal_basis="《行政许可法》第三十二条")
    assert "向重庆高新技术产业开发区管理委员会申请行政复议" in notice.text
    assert "向重庆市九龙坡区人民法院提起行政诉讼" in notice.text and "收到本通知书之日起" in notice.text
    c = Client()
    c.login(username="approver", password="secret-pass-1")
    html = c.get(f"/cases/{refused.number}/notices/{notice.number}/").content.decode()
    assert 'data-testid="remedy"' in html and "重庆高新技术产业开发区管理委员会" in html
    assert notice.doc_number.text in html


# ---------------------------------------------------------------- 容缺受理承诺书, 中止告知书


def test_tolerant_acceptance_gives_a_commitment_letter(w, pki):
    case = receive(w, materials={"app": "provided", "id": "provided"})
    due = dt.date.today() + dt.timedelta(days=10)
    case = cs.case_accept_tolerant(case=case, actor=w.clerk, items=["lease"], commitment="本人承诺10日内补交场地证明。",
                                   due_date=due)
    letter = case.notices.get(kind="tolerant_commitment")
    assert letter.number == f"{case.number}-RQ01"
    assert letter.content["items"] == [{"code": "lease", "name": "场地使用证明"}]
    assert letter.content["due_date"] == due.isoformat() and "场地使用证明" in letter.text
    assert "本人承诺10日内补交场地证明。" in letter.text
    doc = ds.document_for_notice(notice=letter)
    assert doc.signed and doc.kind == "tolerant_commitment"
    text = pdf_text(ds.document_bytes(doc))
    for phrase in ("容缺受理承诺书", "场地使用证明", f"{due.year}年{due.month}月{due.day}日", "承诺人（签名或盖章）",
                   "容缺受理自动失效"):
        assert phrase in text, phrase
    assert "tolerant_commitment" in [r["kind"] for r in case_document_list(case=case)]
    c = Client()
    c.login(username="clerk", password="secret-pass-1")
    html = c.get(f"/cases/{case.number}/notices/{letter.number}/").content.decode()
    assert "容缺受理承诺书" in html and "承诺人（签名或盖章）" in html and "None" not in html


def test_suspension_gives_a_suspension_notice(w, pki):
    start = dt.date(2026, 11, 2)
    case = accepted_case(w, today=start)
    case = cs.case_suspend(case=case, actor=w.approver, reason="expert_review", note="组织专家论证",
                           today=dt.date(2026, 11, 4))
    notice = case.notices.get(kind="suspension")
    c = notice.content
    assert notice.number == f"{case.number}-ZZ01" and c["reason"] == "expert_review" and c["clock_paused"]
    assert c["expected_workdays"] == 20 and c["expected_end"] > c["start"]
    for phrase in ("专家评审", "组织专家论证", "第四十五条", "不计算在办理时限内", "中止计时", "20个工作日"):
        assert phrase in notice.text, phrase
    text = pdf_text(ds.document_bytes(ds.document_for_notice(notice=notice)))
    assert "中止告知书" in text and "暂停计时" in text and "2026年11月4日" in text
    case = cs.case_resume(case=case, actor=w.approver, today=dt.date(2026, 11, 10))
    case = cs.case_suspend(case=case, actor=w.approver, reason="publicity", today=dt.date(2026, 11, 11))
    assert case.notices.filter(kind="suspension").count() == 2  # one notice per suspension
    kinds = [r["kind"] for r in case_document_list(case=case)]
    assert kinds.count("suspension") == 2


def test_suspension_of_a_matter_other_than_licensing_cites_the_statute_by_analogy(w):
    case = accepted_case(w, matter_code="M-REG", materials={"app": "provided"})
    case = cs.case_suspend(case=case, actor=w.approver, reason="publicity")
    notice = case.notices.get(kind="suspension")
    assert notice.content["legal_basis"].startswith("参照《中华人民共和国行政许可法》") and "公示" in notice.text
    assert notice.content["expected_workdays"] == 5


def test_applicant_opens_the_notice_page_with_the_last_four(w):
    case = accepted_case(w, seq=4)
    case = cs.case_suspend(case=case, actor=w.approver, reason="hearing")
    notice = case.notices.get(kind="suspension")
    code = case.applicant_identifier[-4:]
    c = Client()
    page = c.get(f"/documents/notices/{notice.number}/?code={code}")
    assert page.status_code == 200 and "中止告知书" in page.content.decode()
    assert c.get(f"/documents/notices/{notice.number}/?code=0000").status_code == 404
    listing = c.get(f"/documents/cases/{case.number}/?code={code}").content.decode()
    assert f"/documents/notices/{notice.number}/?code={code}" in listing


def test_admin_pages_for_department_settings_and_numbers(w):
    from yichuang.accounts.models import User

    ds.department_document_settings_set(department=w.dept, actor=w.supervisor, review_body="重庆市高新区人民政府")
    _decide(w, "M-FOOD", approve=True, seq=1)
    User.objects.create_superuser(username="root", password="secret-pass-1", role=Role.ADMIN)
    c = Client()
    c.login(username="root", password="secret-pass-1")
    listing = c.get("/admin/documents/departmentdocumentsettings/")
    assert listing.status_code == 200 and "渝高新市监" in listing.content.decode()  # the prefix in use
    assert c.get("/admin/documents/departmentdocumentsettings/add/").status_code == 200
    r = c.post("/admin/documents/departmentdocumentsettings/add/", {"department": w.dept2.pk,
                                                                     "number_prefix": "渝高新住建", "review_body": "",
                                                                     "court": ""})
    assert r.status_code == 302 and DepartmentDocumentSettings.objects.get(department=w.dept2).number_prefix == "渝高新住建"
    bad = c.post("/admin/documents/departmentdocumentsettings/add/", {"department": w.dept.pk + 100,
                                                                       "number_prefix": "渝〔2026〕"})
    assert bad.status_code == 200  # the form shows its errors
    numbers = c.get("/admin/documents/noticedocnumber/")
    assert numbers.status_code == 200 and f"渝高新市监许〔{YEAR}〕1号" in numbers.content.decode()

"""一件事: order, shared fields asked once, dedup materials, data flow, denial, one hand-over."""

from __future__ import annotations

import pytest

from tests.bundles.conftest import FORM, apply
from yichuang.bundles import selectors as bsel
from yichuang.bundles import services as bs
from yichuang.bundles import union
from yichuang.bundles.constants import ItemStatus
from yichuang.cases import selectors as csel
from yichuang.cases import services as cs
from yichuang.cases.constants import CaseState as S
from yichuang.core.errors import ConflictError, ValidationFailed


def _inbox(w, dept):
    return {r["matter"] for r in csel.case_inbox(user=w.approvers[dept])}


def test_union_form_asks_each_shared_field_once(bw):
    pub = bsel.bundle_public(bundle=bw.bundle)
    labels = [f["label"] for f in pub["fields"]]
    assert labels.count("企业名称") == 1 and labels.count("法定代表人") == 1 and labels.count("住所") == 1
    assert "纳税人名称" not in labels and "单位名称" not in labels       # mapped onto 企业名称
    assert "统一社会信用代码" not in labels                               # produced by 设立登记, never asked
    assert [f["label"] for f in pub["produced_fields"]] == ["统一社会信用代码"]
    ent = next(f for f in pub["fields"] if f["code"] == "enterprise_name")
    assert ent["used_by"] == ["setup", "seal", "tax", "social"]


def test_checklist_deduplicates_by_licence_type_and_shares_results(bw):
    checklist = bsel.bundle_public(bundle=bw.bundle)["checklist"]
    ids = [m for m in checklist if m["licence_type"] == "JMSFZ"]
    assert len(ids) == 1 and sorted(k for k, _ in ids[0]["serves"]) == ["seal", "setup", "tax"]
    licence = next(m for m in checklist if m["licence_type"] == "YYZZ")
    assert licence["exempt"] and "企业设立登记" in licence["exempt_reason"]


def test_dependency_order_respected(bw):
    parent = apply(bw)
    rows = {p.key: p for p in parent.items.all()}
    assert rows["setup"].status == ItemStatus.RELEASED and rows["setup"].case.state == S.FORWARDED
    assert all(rows[k].status == ItemStatus.WAITING and rows[k].case is None for k in ("seal", "tax", "social"))
    assert _inbox(bw, "SCJ") == {"企业设立登记"} and not _inbox(bw, "SWJ") and not _inbox(bw, "RSJ")
    detail = bsel.bundle_case_detail(parent=parent)
    assert [r["state_label"] for r in detail["items"]][1:] == ["等待前置事项"] * 3

    setup = cs.case_accept(case=rows["setup"].case, actor=bw.approvers["SCJ"])
    with pytest.raises(ValidationFailed) as exc:        # 设立登记 must say what it produced
        bs.bundle_subcase_decide(case=setup, actor=bw.approvers["SCJ"], approve=True)
    assert "统一社会信用代码" in exc.value.message
    assert parent.items.get(key="tax").case is None      # nothing released by the refused decision
    bs.bundle_subcase_decide(case=setup, actor=bw.approvers["SCJ"], approve=True,
                             result_data={"credit_code": bw.credit_code})
    rows = {p.key: p for p in parent.items.select_related("case")}
    for key, dept in (("seal", "GAJ"), ("tax", "SWJ"), ("social", "RSJ")):
        assert rows[key].status == ItemStatus.RELEASED and rows[key].case.state == S.FORWARDED
        assert rows[key].case.matter.department == bw.depts[dept]
    # The new credit code and the shared fields flow into the dependents' forms, in each matter's own words.
    tax = rows["tax"].case
    assert tax.form_data == {"taxpayer_name": FORM["enterprise_name"], "credit_code": bw.credit_code,
                             "reg_address": FORM["address"], "legal_rep": "张三"}
    assert tax.applicant_kind == "company" and tax.applicant_credit_code == bw.credit_code
    assert tax.materials.get(requirement_code="business_licence").status == "exempt"
    assert tax.ticket_numbers == ["B001"] and tax.received_by == bw.clerk


def test_denied_prerequisite_stops_dependents_and_tells_applicant(bw):
    parent = apply(bw)
    setup = cs.case_accept(case=parent.items.get(key="setup").case, actor=bw.approvers["SCJ"])
    cs.case_deny(case=setup, actor=bw.approvers["SCJ"], opinion="名称与已登记企业重复")
    rows = {p.key: p for p in parent.items.all()}
    assert all(rows[k].status == ItemStatus.STOPPED and rows[k].case is None for k in ("seal", "tax", "social"))
    parent.refresh_from_db()
    text = parent.messages[-1]["text"]
    assert "名称与已登记企业重复" in text and "无法继续办理" in text and "印章刻制备案" in text
    detail = bsel.bundle_case_detail(parent=parent)
    assert detail["state"] == "ready"          # nothing left to wait for: the denial is handed over once
    bs.bundle_case_issue(parent=parent, actor=bw.issuer, method="window", signed_by="张三")
    setup.refresh_from_db()
    assert setup.state == S.ISSUED


def test_parent_issued_once_when_every_sub_case_is_done(bw):
    parent = apply(bw)
    scj = bw.approvers["SCJ"]
    setup = cs.case_accept(case=parent.items.get(key="setup").case, actor=scj)
    bs.bundle_subcase_decide(case=setup, actor=scj, approve=True, result_data={"credit_code": bw.credit_code})
    with pytest.raises(ConflictError) as exc:
        bs.bundle_case_issue(parent=parent, actor=bw.issuer, method="window", signed_by="张三")
    assert "印章刻制备案" in exc.value.message
    for key, dept in (("seal", "GAJ"), ("tax", "SWJ"), ("social", "RSJ")):
        case = cs.case_accept(case=parent.items.get(key=key).case, actor=bw.approvers[dept])
        cs.case_approve(case=case, actor=bw.approvers[dept])
    assert bsel.bundle_case_detail(parent=parent)["state"] == "ready"
    bs.bundle_case_issue(parent=parent, actor=bw.issuer, method="post", address="重庆市高新区科园一路1号",
                         carrier="EMS", tracking_no="EMS123")
    parent.refresh_from_db()
    assert parent.state == "issued"
    states = {p.case.state for p in parent.items.select_related("case")}
    assert states == {S.ISSUED}
    tracking = {p.case.deliveries.get().tracking_no for p in parent.items.select_related("case")}
    assert tracking == {"EMS123"}          # one parcel


def test_critical_path_deadline(bw):
    parent = apply(bw)
    # setup 1 + the longest dependent (social, 3) = 4 working days, not the sum 7.
    assert parent.promised_days == 4
    detail = bsel.bundle_case_detail(parent=parent)
    assert detail["critical_path"] == ["企业设立登记", "单位参保登记"]
    assert detail["projected_due_date"] >= parent.due_date


def test_union_form_errors_reported_once(bw):
    form = dict(FORM)
    form.pop("enterprise_name")
    with pytest.raises(ValidationFailed) as exc:
        apply(bw, form_data=form)
    assert exc.value.message.count("企业名称") == 1
    with pytest.raises(ValidationFailed, match="营业执照|设立登记申请书"):
        apply(bw, materials={"lt:JMSFZ": "provided"})


def test_cycle_refused_with_names(bw):
    with pytest.raises(ValidationFailed) as exc:
        bs.bundle_save(spec={"code": "loop", "name": "循环"}, items=[
            {"key": "setup", "matter": "M-SETUP", "requires": ["tax"]},
            {"key": "tax", "matter": "M-TAX", "requires": ["setup"]}])
    assert exc.value.code == "bundle_cycle"
    assert "企业设立登记 → 新办纳税人涉税事项 → 企业设立登记" in exc.value.message or \
        "新办纳税人涉税事项 → 企业设立登记 → 新办纳税人涉税事项" in exc.value.message
    assert "cycle" in exc.value.message_en


def test_online_application_goes_to_pre_review(bw):
    from tests.cases.conftest import make_id

    parent = apply(bw, actor=bw.applicant, channel="online", id_number=make_id(7), ticket_number="")
    setup = parent.items.get(key="setup").case
    assert setup.state == S.SUBMITTED and setup.channel == "online"
    assert bsel.bundle_case_visible_to(user=bw.applicant, parent=parent)
    assert bsel.bundle_case_visible_to(user=bw.approvers["RSJ"], parent=parent)
    assert not bsel.bundle_case_visible_to(user=bw.clerk, parent=parent) is False


def test_questionnaire_asks_alike_situations_once():
    snap = lambda sits: {"implementation_code": "x", "name": "x", "situations": sits, "materials": []}  # noqa
    agent = {"code": "agent", "question": "办理人", "options": [{"code": "self", "label": "本人"},
                                                                {"code": "agent", "label": "代办"}]}
    kind = {"code": "kind", "question": "类型", "options": [{"code": "a", "label": "甲"}]}
    defn = {"fields": [], "items": [
        {"key": "a", "name": "甲", "requires": [], "snapshot": snap([agent, kind])},
        {"key": "b", "name": "乙", "requires": ["a"], "snapshot": snap([agent, dict(kind, options=[
            {"code": "b", "label": "乙"}])])}]}
    q = union.questionnaire(defn)
    assert [x["name"] for x in q] == ["agent", "a.kind", "b.kind"]
    assert union.item_answers(defn, {"agent": "self", "a.kind": "a", "b.kind": "b"}) == {
        "a": {"agent": "self", "kind": "a"}, "b": {"agent": "self", "kind": "b"}}


def test_withdrawn_prerequisite_stops_dependents(bw):
    parent = apply(bw)
    cs.case_withdraw(case=parent.items.get(key="setup").case, actor=bw.clerk, reason="申请人撤回",
                     written_request=True)
    rows = {p.key: p for p in parent.items.all()}
    assert {rows[k].status for k in ("seal", "tax", "social")} == {ItemStatus.STOPPED}
    assert "已撤回" in rows["tax"].message
    parent.refresh_from_db()
    assert "已撤回" in parent.messages[-1]["text"]


def test_independent_items_go_at_once_and_a_denial_stops_only_its_dependents(bw):
    from yichuang.bundles.models import Bundle

    Bundle.objects.all().delete()
    bw.bundle = bs.bundle_save(spec={"code": "two", "name": "两条线"}, items=[
        {"key": "setup", "matter": "M-SETUP", "produces": {"credit_code": "统一社会信用代码"},
         "field_map": {"enterprise_name": "enterprise_name", "legal_rep": "legal_rep", "address": "address"}},
        {"key": "seal", "matter": "M-SEAL", "requires": ["setup"],
         "field_map": {"enterprise_name": "enterprise_name", "credit_code": "credit_code"}},
        {"key": "tax", "matter": "M-TAX", "requires": [],
         "field_map": {"enterprise_name": "taxpayer_name", "address": "reg_address", "legal_rep": "legal_rep"}}])
    form = dict(FORM)
    form["tax.credit_code"] = bw.credit_code
    parent = apply(bw, form_data=form, materials={"setup:application": "provided", "lt:JMSFZ": "provided",
                                                  "seal:application": "provided", "tax:tax_form": "provided",
                                                  "lt:YYZZ": "provided"})
    rows = {p.key: p for p in parent.items.all()}
    assert rows["tax"].status == ItemStatus.RELEASED and rows["seal"].status == ItemStatus.WAITING
    setup = cs.case_accept(case=rows["setup"].case, actor=bw.approvers["SCJ"])
    cs.case_deny(case=setup, actor=bw.approvers["SCJ"], opinion="住所不符合规定")
    rows = {p.key: p for p in parent.items.all()}
    assert rows["seal"].status == ItemStatus.STOPPED and rows["tax"].status == ItemStatus.RELEASED
    parent.refresh_from_db()
    assert "新办纳税人涉税事项" in parent.messages[-1]["text"] and "照常办理" in parent.messages[-1]["text"]

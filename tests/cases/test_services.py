import datetime as dt

import pytest
from django.utils import timezone

from yichuang.accounts import services as acc
from yichuang.accounts.models import User
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.cases import services as cs
from yichuang.cases.constants import CaseState as S
from yichuang.cases.constants import MaterialStatus, NoticeKind
from yichuang.cases.models import Case, CaseTransition, Notice
from yichuang.cases.selectors import case_progress
from yichuang.cases.statemachine import CaseTransitionError
from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed
from yichuang.workcal.workdays import add_workdays, workdays_between

from .conftest import EXE, JPEG, PDF, PNG, accepted_case, make_credit_code, make_id, receive

pytestmark = pytest.mark.django_db
TODAY = lambda: timezone.localdate()  # noqa: E731


# ---------------------------------------------------------------- receipt


def test_receive_numbers_records_history_and_audit(world):
    case = receive(world)
    today = timezone.localdate()
    assert case.number == f"500101{today:%Y%m%d}0001"
    assert receive(world, seq=2).number.endswith("0002")
    assert case.state == S.RECEIVED and case.received_by == world.clerk and case.visits == 1
    assert case.promised_days == 10 and case.legal_days == 20
    assert case.matter_version.number == 1
    assert [m.requirement_code for m in case.materials.all()] == ["app", "id", "lease", "photo"]
    t = CaseTransition.objects.get(case=case)
    assert (t.from_state, t.to_state, t.actor) == ("", S.RECEIVED, world.clerk)
    assert AuditEvent.objects.filter(action="case.received", object_id=str(case.pk)).exists()
    assert audit_verify()[0]


def test_receive_validates_form_and_identity(world):
    with pytest.raises(ValidationFailed, match="店铺名称"):
        receive(world, form_data={})
    with pytest.raises(ValidationFailed, match="经营面积"):
        receive(world, form_data={"shop_name": "x", "area": "很大"})
    with pytest.raises(ValidationFailed, match="校验位"):
        receive(world, id_number=make_id(1)[:-1] + ("0" if make_id(1)[-1] != "0" else "1"))
    with pytest.raises(ValidationFailed, match="情形"):
        receive(world, answers={})
    with pytest.raises(ValidationFailed, match="授权委托书"):
        receive(world, agent_name="李四", agent_id_number=make_id(3))
    company = receive(world, applicant_kind="company", applicant_name="某某公司", id_number="",
                      credit_code=make_credit_code(5))
    assert company.applicant_credit_code and not company.applicant_id_number
    agent = receive(world, agent_name="李四", agent_id_number=make_id(3), agent_authorisation=True)
    assert agent.agent_authorisation


def test_receive_refused_for_approver_and_unknown_matter(world):
    with pytest.raises(PermissionDeniedError):
        receive(world, actor=world.approver)
    with pytest.raises(NotFound):
        receive(world, matter_code="NOPE")


# ---------------------------------------------------------------- the door: roles, 受审分离, departments, A/B


def test_separation_receiver_cannot_accept_even_as_approver(world):
    # A user who received the case and later acts as approver is still refused.
    case = receive(world)
    case = cs.case_forward(case=case, actor=world.clerk)
    Case.objects.filter(pk=case.pk).update(received_by=world.approver)
    with pytest.raises(PermissionDeniedError, match="受审分离：本件由您收件，不能由您受理或审批。"):
        cs.case_accept(case=case, actor=world.approver)
    assert Case.objects.get(pk=case.pk).state == S.FORWARDED


def test_department_isolation(world):
    case = cs.case_forward(case=receive(world), actor=world.clerk)
    with pytest.raises(PermissionDeniedError, match="市场监管局"):
        cs.case_accept(case=case, actor=world.other_approver)


def test_clerk_cannot_accept(world):
    case = cs.case_forward(case=receive(world), actor=world.clerk)
    with pytest.raises(PermissionDeniedError, match="角色"):
        cs.case_accept(case=case, actor=world.clerk2)


def test_ab_posts(world):
    case = cs.case_forward(case=receive(world), actor=world.clerk)
    with pytest.raises(PermissionDeniedError, match="A/B岗"):
        cs.case_accept(case=case, actor=world.approver_b)
    User.objects.filter(pk=world.approver.pk).update(is_absent=True)
    world.approver.refresh_from_db()
    with pytest.raises(PermissionDeniedError, match="缺席"):
        cs.case_accept(case=case, actor=world.approver)
    case = cs.case_accept(case=case, actor=world.approver_b)
    assert case.state == S.ACCEPTED and case.accepted_by == world.approver_b


def test_illegal_transition_is_refused_and_nothing_written(world):
    case = receive(world)
    n = CaseTransition.objects.count()
    with pytest.raises(CaseTransitionError, match="不能转为“准予许可”"):
        cs.case_approve(case=case, actor=world.approver)
    assert CaseTransition.objects.count() == n


# ---------------------------------------------------------------- front desk


def test_forward_refused_while_required_materials_missing(world):
    case = receive(world, materials={"app": "provided"})
    with pytest.raises(ValidationFailed, match="身份证明") as exc:
        cs.case_forward(case=case, actor=world.clerk)
    assert "场地使用证明" in exc.value.message and "门头照片" not in exc.value.message


def test_supplement_flow_lists_every_item_at_once(world):
    case = receive(world, materials={"app": "provided"})
    due = add_workdays(TODAY(), 5).value
    notice = cs.case_request_supplement(case=case, actor=world.clerk, due_date=due,
                                        items=[{"code": "app", "problem": "incorrect", "note": "未签字"}])
    assert notice.kind == NoticeKind.SUPPLEMENT
    assert {i["code"] for i in notice.content["items"]} == {"app", "id", "lease"}
    assert "未签字" in notice.text and notice.content["due_date"] == due.isoformat()
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.NEEDS_SUPPLEMENT and case.supplement_due == due
    with pytest.raises(ValidationFailed, match="身份证明"):
        cs.case_supplement(case=case, actor=world.clerk, materials={"app": "provided"})
    case = cs.case_supplement(case=case, actor=world.clerk,
                              materials={"app": "provided", "id": "provided", "lease": "provided"})
    assert case.state == S.RECEIVED and case.visits == 2 and case.missing_items == []
    assert cs.case_forward(case=case, actor=world.clerk).state == S.FORWARDED


def test_supplement_needs_a_future_due_date_and_something_missing(world):
    case = receive(world, materials={"app": "provided"})
    with pytest.raises(ValidationFailed, match="期限"):
        cs.case_request_supplement(case=case, actor=world.clerk, due_date=TODAY())
    full = receive(world, seq=2)
    with pytest.raises(ValidationFailed, match="无需补正"):
        cs.case_request_supplement(case=full, actor=world.clerk, due_date=TODAY() + dt.timedelta(days=9))


def test_tolerant_flow_blocks_issuance_until_items_arrive(world):
    case = receive(world, materials={"app": "provided", "id": "provided"})
    due = TODAY() + dt.timedelta(days=10)
    with pytest.raises(ValidationFailed, match="书面承诺"):
        cs.case_accept_tolerant(case=case, actor=world.clerk, items=["lease"], commitment=" ", due_date=due)
    with pytest.raises(ValidationFailed, match="容缺受理范围"):
        cs.case_accept_tolerant(case=case, actor=world.clerk, items=["app"], commitment="承诺", due_date=due)
    case = cs.case_accept_tolerant(case=case, actor=world.clerk, items=["lease"],
                                   commitment="本人承诺10日内补交场地证明。", due_date=due)
    assert case.state == S.FORWARDED and case.tolerant and case.tolerant_due == due
    case = cs.case_accept(case=case, actor=world.approver)
    acceptance = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert acceptance.content["tolerant_items"] == [{"code": "lease", "name": "场地使用证明"}]
    case = cs.case_approve(case=case, actor=world.approver, opinion="符合条件")
    case = cs.case_mark_ready(case=case, actor=world.issuer)
    with pytest.raises(ConflictError, match="容缺材料尚未补齐"):
        cs.case_issue(case=case, actor=world.issuer, method="window", signed_by="张三")
    cs.case_materials_update(case=case, actor=world.issuer, materials={"lease": "provided"}, visit=True)
    delivery = cs.case_issue(case=case, actor=world.issuer, method="window", signed_by="张三")
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.ISSUED and delivery.signed_by == "张三" and case.visits == 3


def test_tolerant_lapse_returns_case_to_needs_supplement(world):
    case = receive(world, materials={"app": "provided", "id": "provided"})
    due = TODAY() + dt.timedelta(days=3)
    case = cs.case_accept_tolerant(case=case, actor=world.clerk, items=["lease"], commitment="承诺", due_date=due)
    case = cs.case_accept(case=case, actor=world.approver)
    assert cs.case_lapse_tolerant(today=due) == []
    lapsed = cs.case_lapse_tolerant(today=due + dt.timedelta(days=1))
    assert [c.pk for c in lapsed] == [case.pk]
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.NEEDS_SUPPLEMENT and not case.tolerant and case.due_date is None
    assert case.materials.get(requirement_code="lease").status == MaterialStatus.MISSING
    t = case.transitions.last()
    assert t.actor is None and "容缺受理失效" in t.reason
    assert case.notices.filter(kind=NoticeKind.SUPPLEMENT).count() == 1


def test_bad_credit_cannot_use_tolerant_acceptance(world):
    cs.applicant_credit_set(identifier=make_id(9), bad_credit=True, reason="失信被执行人")
    case = receive(world, seq=9, materials={"app": "provided", "id": "provided"})
    assert case.bad_credit
    with pytest.raises(PermissionDeniedError, match="失信"):
        cs.case_accept_tolerant(case=case, actor=world.clerk, items=["lease"], commitment="承诺",
                                due_date=TODAY() + dt.timedelta(days=5))
    flagged = receive(world, seq=10, bad_credit=True, materials={"app": "provided", "id": "provided"})
    with pytest.raises(PermissionDeniedError):
        cs.case_accept_tolerant(case=flagged, actor=world.clerk, items=["lease"], commitment="承诺",
                                due_date=TODAY() + dt.timedelta(days=5))


# ---------------------------------------------------------------- the 5-day rule


def test_five_day_rule_deems_acceptance_from_the_day_of_receipt(world):
    case = receive(world)
    quiet = receive(world, seq=2, materials={"app": "provided"})
    cs.case_request_supplement(case=quiet, actor=world.clerk, due_date=TODAY() + dt.timedelta(days=10))
    received_on = timezone.localdate(case.received_at)
    last_day = add_workdays(received_on, 5).value
    assert cs.apply_five_day_rule(today=last_day) == []
    done = cs.apply_five_day_rule(today=last_day + dt.timedelta(days=1))
    assert [c.pk for c in done] == [case.pk]
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.ACCEPTED and case.deemed_accepted and case.accepted_at == received_on
    assert case.due_date == add_workdays(received_on, 10).value
    assert case.notices.get(kind=NoticeKind.ACCEPTANCE).content["deemed"] is True
    assert Case.objects.get(pk=quiet.pk).state == S.NEEDS_SUPPLEMENT
    assert cs.apply_five_day_rule(today=last_day + dt.timedelta(days=30)) == []


# ---------------------------------------------------------------- back office


def test_accept_sets_clock_and_notice(world):
    today = dt.date(2026, 11, 19)  # Thursday
    case = accepted_case(world, today=today)
    assert case.accepted_at == today and case.accepted_by == world.approver
    assert case.due_date == add_workdays(today, 10).value
    assert case.legal_due_date == add_workdays(today, 20).value
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert notice.number == f"{case.number}-SL01" and "受理" in notice.text


def test_not_accept_requires_reason_and_basis(world):
    case = cs.case_forward(case=receive(world), actor=world.clerk)
    with pytest.raises(ValidationFailed, match="法律依据"):
        cs.case_not_accept(case=case, actor=world.approver, reason="不属于本机关职权", legal_basis="")
    notice = cs.case_not_accept(case=case, actor=world.approver, reason="不属于本机关职权",
                                legal_basis="《行政许可法》第三十二条第一款第二项")
    assert notice.kind == NoticeKind.NON_ACCEPTANCE and "行政复议" in notice.text
    with pytest.raises(CaseTransitionError, match="终态"):
        cs.case_withdraw(case=case, actor=world.clerk, reason="x")


def test_suspension_moves_deadline_by_suspended_workdays(world):
    start = dt.date(2026, 11, 2)  # Monday
    case = accepted_case(world, today=start)
    due0 = case.due_date
    case = cs.case_suspend(case=case, actor=world.approver, reason="site_inspection", today=dt.date(2026, 11, 4))
    assert case.state == S.SUSPENDED
    with pytest.raises(CaseTransitionError):
        cs.case_approve(case=case, actor=world.approver)
    case = cs.case_resume(case=case, actor=world.approver, today=dt.date(2026, 11, 10))
    suspended = workdays_between(dt.date(2026, 11, 4), dt.date(2026, 11, 10)).value
    assert suspended == 4  # Thu, Fri, Mon, Tue (weekend skipped)
    assert case.suspended_workdays == suspended
    assert case.due_date == add_workdays(start, 10 + suspended).value
    assert case.due_date == add_workdays(due0, suspended).value
    with pytest.raises(ValidationFailed):
        cs.case_suspend(case=case, actor=world.approver, reason="coffee")


def test_extension_once_with_approval(world):
    case = accepted_case(world, today=dt.date(2026, 11, 2))
    with pytest.raises(PermissionDeniedError, match="批准"):
        cs.case_extend(case=case, actor=world.approver, days=5, approved_by=world.clerk, reason="需专家论证")
    with pytest.raises(ValidationFailed):
        cs.case_extend(case=case, actor=world.approver, days=11, approved_by=world.supervisor, reason="x")
    case = cs.case_extend(case=case, actor=world.approver, days=5, approved_by=world.supervisor, reason="需专家论证")
    assert case.extension_days == 5 and case.extension_approved_by == world.supervisor
    assert case.due_date == add_workdays(dt.date(2026, 11, 2), 15).value
    with pytest.raises(ConflictError, match="延期一次"):
        cs.case_extend(case=case, actor=world.approver, days=2, approved_by=world.supervisor, reason="再延")


def test_deny_and_post_issuance(world):
    case = accepted_case(world)
    with pytest.raises(ValidationFailed):
        cs.case_deny(case=case, actor=world.approver, opinion="")
    case = cs.case_deny(case=case, actor=world.approver, opinion="场所不符合要求", legal_basis="《食品安全法》")
    decision = case.notices.get(kind=NoticeKind.DECISION)
    assert decision.content["approved"] is False and "不予许可" in decision.text
    case = cs.case_mark_ready(case=case, actor=world.issuer)
    with pytest.raises(ValidationFailed, match="运单号"):
        cs.case_issue(case=case, actor=world.issuer, method="post", carrier="EMS")
    d = cs.case_issue(case=case, actor=world.issuer, method="post", carrier="EMS", tracking_no="1234567890")
    assert d.address == "重庆市高新区科园一路1号" and d.tracking_no == "1234567890"
    case = cs.case_close(case=Case.objects.get(pk=case.pk), actor=world.issuer)
    assert case.state == S.CLOSED and case.visits == 1
    states = list(case.transitions.values_list("to_state", flat=True))
    assert states == [S.RECEIVED, S.FORWARDED, S.ACCEPTED, S.DENIED, S.READY, S.ISSUED, S.CLOSED]


def test_immediate_matter_accept_and_decide(world):
    case = receive(world, matter_code="M-NOW", materials={"app": "provided"})
    case = cs.case_forward(case=case, actor=world.clerk)
    case = cs.case_accept_and_decide(case=case, actor=world.approver, opinion="当场办结")
    assert case.state == S.APPROVED and case.due_date == case.accepted_at
    assert set(case.notices.values_list("kind", flat=True)) == {NoticeKind.ACCEPTANCE, NoticeKind.DECISION}
    other = cs.case_forward(case=receive(world, seq=2), actor=world.clerk)
    with pytest.raises(ConflictError, match="即办件"):
        cs.case_accept_and_decide(case=other, actor=world.approver)
    assert Case.objects.get(pk=other.pk).state == S.FORWARDED


def test_withdraw_before_decision_only(world):
    case = receive(world)
    with pytest.raises(ValidationFailed):
        cs.case_withdraw(case=case, actor=world.clerk, reason="")
    with pytest.raises(ValidationFailed) as exc:  # the clerk records the applicant's written request, or nothing
        cs.case_withdraw(case=case, actor=world.clerk, reason="申请人撤回")
    assert exc.value.field == "written_request"
    assert cs.case_withdraw(case=case, actor=world.clerk, reason="申请人撤回", written_request=True).state == S.WITHDRAWN
    last = case.transitions.order_by("-at", "-id").first()
    assert last.reason == "申请人申请撤回：申请人撤回" and last.actor == world.clerk
    assert last.data["requested_by"] == "applicant" and last.data["written_request"] is True
    decided = cs.case_approve(case=accepted_case(world, seq=2), actor=world.approver)
    with pytest.raises(CaseTransitionError):
        cs.case_withdraw(case=decided, actor=world.clerk, reason="太晚", written_request=True)


def test_an_approver_may_not_withdraw_a_case(world):
    """Issue 21, finding 8: an approver "withdrew" an accepted case, leaving no decision and no remedy statement."""
    case = accepted_case(world)
    with pytest.raises(PermissionDeniedError) as exc:
        cs.case_withdraw(case=case, actor=world.approver, reason="不想办了", written_request=True)
    assert exc.value.code == "role"
    with pytest.raises(PermissionDeniedError):
        cs.case_withdraw(case=case, actor=world.supervisor, reason="x", written_request=True)
    case.refresh_from_db()
    assert case.state == S.ACCEPTED
    mine = accepted_case(world, seq=3, id_number=world.applicant.id_number)
    done = cs.case_withdraw(case=mine, actor=world.applicant, reason="经营计划变更")
    last = done.transitions.order_by("-at", "-id").first()
    assert done.state == S.WITHDRAWN and last.data["via"] == "online" and last.actor == world.applicant


def test_api_approver_withdraw_refused(client, world):
    case = accepted_case(world)
    key = acc.token_issue(username=world.approver.username, password="secret-pass-1")[1]
    r = client.post(f"/api/v1/cases/{case.number}/withdraw", {"reason": "x", "written_request": True},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 403 and r.json()["code"] == "role" and r.json()["message_en"]


def test_online_submission_pre_review(world):
    case = cs.case_submit_online(actor=world.applicant, matter_code="M-FOOD", applicant_name="张三",
                                 id_number=world.applicant.id_number, answers={"kind": "first"},
                                 form_data={"shop_name": "网店"}, materials={"app": "provided", "id": "provided",
                                                                             "lease": "provided"})
    assert case.state == S.SUBMITTED and case.visits == 0 and case.received_by is None
    with pytest.raises(PermissionDeniedError):
        cs.case_forward(case=case, actor=world.clerk)
    case = cs.case_forward(case=case, actor=world.approver)
    assert cs.case_accept(case=case, actor=world.approver).state == S.ACCEPTED
    with pytest.raises(PermissionDeniedError):
        cs.case_submit_online(actor=world.applicant, matter_code="M-FOOD", applicant_name="李四",
                              id_number=make_id(44), answers={"kind": "first"}, form_data={"shop_name": "x"})


# ---------------------------------------------------------------- uploads


def test_upload_sniffs_content(world, settings):
    case = receive(world, materials={"app": "provided"})
    cm = cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="id", filename="身份证.pdf", file=PNG)
    assert cm.content_type == "image/png" and cm.upload.name.endswith(".png")
    assert cm.upload.name.startswith(f"cases/{case.number}/") and cm.status == MaterialStatus.PROVIDED
    cm = cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="lease", filename="../../x.jpg",
                               file=JPEG)
    assert ".." not in cm.upload.name and cm.content_type == "image/jpeg"
    cm = cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="app", filename="a.pdf", file=PDF)
    assert cm.content_type == "application/pdf"
    with pytest.raises(ValidationFailed, match="PDF、JPEG或PNG"):
        cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="app", filename="a.exe", file=EXE)
    with pytest.raises(ValidationFailed, match="PDF、JPEG或PNG"):
        cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="app", filename="a.pdf",
                              file=b"MZ" + PDF)
    settings.YICHUANG_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationFailed, match="文件过大"):
        cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="app", filename="big.pdf",
                              file=PDF + b"0" * (1024 * 1024))
    with pytest.raises(NotFound):
        cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="zzz", filename="a.pdf", file=PDF)


# ---------------------------------------------------------------- progress


def test_progress_lookup_hides_staff_and_does_not_leak(world):
    case = receive(world, materials={"app": "provided"})
    cs.case_request_supplement(case=case, actor=world.clerk, due_date=TODAY() + dt.timedelta(days=7))
    view = case_progress(number=case.number, id_last4=case.applicant_id_number[-4:].lower())
    assert view["state"] == S.NEEDS_SUPPLEMENT
    assert {m["code"] for m in view["missing"]} == {"id", "lease"}
    assert all("actor" not in h and "reason" not in h for h in view["history"])
    assert "clerk" not in str(view)
    with pytest.raises(NotFound) as wrong:
        case_progress(number=case.number, id_last4="0000")
    with pytest.raises(NotFound) as unknown:
        case_progress(number="nope", id_last4="0000")
    assert wrong.value.message == unknown.value.message


def test_notices_are_numbered_per_kind(world):
    case = receive(world, materials={"app": "provided"})
    cs.case_request_supplement(case=case, actor=world.clerk, due_date=TODAY() + dt.timedelta(days=7))
    case = cs.case_supplement(case=case, actor=world.clerk, materials={"id": "provided", "lease": "provided"})
    cs.case_materials_update(case=case, actor=world.clerk, materials={"id": "missing"})
    cs.case_request_supplement(case=case, actor=world.clerk, due_date=TODAY() + dt.timedelta(days=7))
    assert list(Notice.objects.filter(case=case).values_list("number", flat=True)) == [
        f"{case.number}-BZ01", f"{case.number}-BZ02"]


def test_tolerant_item_uploaded_after_acceptance_and_other_items_locked(world):
    case = receive(world, materials={"app": "provided", "id": "provided"})
    case = cs.case_accept_tolerant(case=case, actor=world.clerk, items=["lease"], commitment="承诺",
                                   due_date=TODAY() + dt.timedelta(days=5))
    case = cs.case_accept(case=case, actor=world.approver)
    with pytest.raises(ConflictError, match="只能补交容缺材料"):
        cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="app", filename="a.pdf", file=PDF)
    with pytest.raises(ConflictError, match="只能补交容缺材料"):
        cs.case_materials_update(case=case, actor=world.clerk, materials={"app": "missing"})
    cm = cs.case_attach_upload(case=case, actor=world.clerk, requirement_code="lease", filename="租赁合同.pdf",
                               file=PDF)
    assert cm.status == MaterialStatus.PROVIDED
    case = Case.objects.get(pk=case.pk)
    assert case.tolerant_due is None and case.missing_items == []
    assert cs.case_lapse_tolerant(today=TODAY() + dt.timedelta(days=30)) == []


def test_light_during_suspension_does_not_run_the_clock(world):
    from yichuang.cases.selectors import case_detail, case_light

    start = dt.date(2026, 11, 2)
    case = accepted_case(world, today=start)
    late = case.due_date + dt.timedelta(days=7)
    assert case_light(case=case, today=late) == "red"
    case = cs.case_suspend(case=case, actor=world.approver, reason="hearing", today=dt.date(2026, 11, 3))
    assert case_light(case=case, today=late) != "red"
    detail = case_detail(case=case, today=late)
    assert detail["due_date"] > case.due_date and detail["legal_overdue"] is False


def test_daily_jobs_command(world):
    from io import StringIO

    from django.core.management import call_command

    case = receive(world)
    out = StringIO()
    later = add_workdays(timezone.localdate(case.received_at), 6).value
    call_command("case_jobs", "--date", later.isoformat(), stdout=out)
    assert "视为受理 deemed accepted: 1" in out.getvalue() and case.number in out.getvalue()
    assert Case.objects.get(pk=case.pk).state == S.ACCEPTED


def test_back_office_supplement_then_window_then_forward_again(world):
    case = cs.case_forward(case=receive(world), actor=world.clerk)
    notice = cs.case_request_supplement(case=case, actor=world.approver, due_date=TODAY() + dt.timedelta(days=5),
                                        items=[{"code": "id", "problem": "incorrect", "note": "复印件不清晰"}])
    assert [i["code"] for i in notice.content["items"]] == ["id"]
    with pytest.raises(PermissionDeniedError):
        cs.case_request_supplement(case=receive(world, seq=3), actor=world.approver,
                                   due_date=TODAY() + dt.timedelta(days=5))
    case = cs.case_supplement(case=case, actor=world.clerk, materials={"id": "provided"})
    assert case.state == S.RECEIVED and case.visits == 2
    case = cs.case_forward(case=case, actor=world.clerk)
    assert cs.case_accept(case=case, actor=world.approver).state == S.ACCEPTED


def test_elicence_exempts_material_and_on_behalf_receipt(world):
    from yichuang.catalog import services as cat

    cat.licence_type_save(code="YYZZ", name="营业执照")
    cat.matter_save(spec={"implementation_code": "M-LIC", "name": "食品经营许可（企业）", "department": "SCJG",
                          "domain": "enterprise", "matter_type": "licensing", "legal_limit_days": 20,
                          "promised_limit_days": 5},
                    materials=[{"code": "app", "name": "申请书"},
                               {"code": "yyzz", "name": "营业执照", "licence_type": "YYZZ"}])
    from yichuang.crossregion.services import region_save  # 跨域通办: both centres in a region listing the matter

    region_save(code="quanyu", name="全渝通办", centres=["500101", "500102"], matters=["M-LIC"])
    case = receive(world, matter_code="M-LIC", materials={"app": "provided"}, held_licence_types={"YYZZ"},
                   channel="on_behalf", centre=world.other_centre, handling_centre=world.centre,
                   applicant_kind="company", applicant_name="某某餐饮有限公司", id_number="",
                   credit_code=make_credit_code(8))
    assert case.materials.get(requirement_code="yyzz").status == MaterialStatus.EXEMPT
    assert case.number.startswith("500102") and case.handling_centre == world.centre and case.visits == 1
    assert cs.case_forward(case=case, actor=world.clerk).state == S.FORWARDED


def test_applicant_may_withdraw_own_case_only(world):
    mine = receive(world, id_number=world.applicant.id_number)
    other = receive(world, seq=2)
    with pytest.raises(PermissionDeniedError, match="本人"):
        cs.case_withdraw(case=other, actor=world.applicant, reason="不办了")
    assert cs.case_withdraw(case=mine, actor=world.applicant, reason="不办了").state == S.WITHDRAWN

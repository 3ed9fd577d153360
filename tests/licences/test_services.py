"""E-licence library: issue on approval, reuse as 免提交, suspend/revoke/renew/expire, audit."""

import datetime as dt

import pytest
from django.utils import timezone

from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.cases import services as cs
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import id_number_check_char
from yichuang.licences import selectors, services
from yichuang.licences.models import ELicence, LicenceUse

from .licence_world import approve_company, credit_code, receive_company


def statuses(case):
    return {m.requirement_code: m.status for m in case.materials.all()}


def test_approving_a_licence_matter_issues_the_licence(lw):
    case = approve_company(lw, matter_code="M-FOOD")
    lic = ELicence.objects.get(source_case=case)
    assert lic.licence_type.code == "SPJYXKZ" and lic.holder_name == "重庆美味餐饮有限公司"
    assert lic.holder_identifier == credit_code(1) and lic.issuer_name == "九龙坡区市场监督管理局"
    assert lic.status == "active" and lic.valid_from == timezone.localdate()
    # Five years: ends the day before the fifth anniversary.
    assert lic.valid_to == lic.valid_from.replace(year=lic.valid_from.year + 5) - dt.timedelta(days=1)
    assert lic.number.startswith("SPJYXKZ500107")
    assert AuditEvent.objects.filter(action="licence.issue", object_id=str(lic.pk)).exists()
    assert audit_verify()[0]


def test_business_registration_issues_a_licence_without_end(lw):
    case = approve_company(lw, matter_code="M-REG")
    lic = case.licences.get()
    assert lic.licence_type.name == "营业执照" and lic.valid_to is None


def test_denial_and_non_licence_matters_issue_nothing(lw):
    case = receive_company(lw, matter_code="M-FOOD")
    case = cs.case_forward(case=case, actor=lw.clerk)
    case = cs.case_accept(case=case, actor=lw.approver)
    cs.case_deny(case=case, actor=lw.approver, opinion="场所不符合要求")
    assert not ELicence.objects.exists()


def test_a_new_case_marks_held_licences_exempt_and_links_them(lw):
    approve_company(lw, matter_code="M-REG")
    approve_company(lw, matter_code="M-FOOD")
    case = receive_company(lw, matter_code="M-FOOD", answers={"apply_type": "change"})
    st = statuses(case)
    assert st["business_licence"] == "exempt" and st["original_licence"] == "exempt"
    uses = {u.case_material.requirement_code: u.licence for u in LicenceUse.objects.filter(case_material__case=case)}
    assert uses["business_licence"].licence_type.code == "YYZZ"
    assert uses["original_licence"].licence_type.code == "SPJYXKZ"
    bl = case.materials.get(requirement_code="business_licence")
    assert uses["business_licence"].number in bl.note and not bl.upload
    # Another company holds nothing.
    other = receive_company(lw, matter_code="M-FOOD", seq=2, name="另一家公司", answers={"apply_type": "change"})
    assert statuses(other)["business_licence"] == "provided"


def test_revoked_suspended_expired_licences_no_longer_satisfy(lw):
    reg = approve_company(lw, matter_code="M-REG").licences.get()
    assert selectors.licence_types_held(identifier=credit_code(1)) == {"YYZZ"}
    services.licence_suspend(licence=reg, actor=lw.approver, reason="责令停业整顿")
    assert statuses(receive_company(lw, matter_code="M-FOOD"))["business_licence"] == "provided"
    services.licence_reinstate(licence=reg, actor=lw.approver)
    assert statuses(receive_company(lw, matter_code="M-FOOD"))["business_licence"] == "exempt"
    services.licence_revoke(licence=reg, actor=lw.approver, reason="以欺骗手段取得")
    assert statuses(receive_company(lw, matter_code="M-FOOD"))["business_licence"] == "provided"
    assert selectors.licence_types_held(identifier=credit_code(1)) == frozenset()
    # Expired: past the end date counts even before the job ran.
    food = approve_company(lw, matter_code="M-FOOD", seq=3, name="三号公司")
    lic = food.licences.get()
    later = lic.valid_to + dt.timedelta(days=1)
    assert selectors.licence_types_held(identifier=credit_code(3), today=later) == frozenset()
    assert selectors.effective_status(lic, later) == "expired"
    done = services.licences_expire(today=later)
    assert [x.pk for x in done] == [lic.pk]
    lic.refresh_from_db()
    assert lic.status == "expired"


def test_renew_extends_the_same_number(lw):
    lic = approve_company(lw, matter_code="M-FOOD").licences.get()
    old_to = lic.valid_to
    renewed = services.licence_renew(licence=lic, actor=lw.approver)
    assert renewed.number == lic.number and renewed.renewals == 1
    assert renewed.valid_to == (old_to + dt.timedelta(days=1)).replace(year=old_to.year + 5) - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed):
        services.licence_renew(licence=renewed, actor=lw.approver, valid_to=old_to)
    assert AuditEvent.objects.filter(action="licence.renew").count() == 1


def test_renew_and_cancel_through_cases(lw):
    first = approve_company(lw, matter_code="M-FOOD").licences.get()
    renew_case = approve_company(lw, matter_code="M-FOOD", answers={"apply_type": "renew"})
    first.refresh_from_db()
    assert first.renewals == 1 and not renew_case.licences.exists()
    approve_company(lw, matter_code="M-FOOD", answers={"apply_type": "change"})
    first.refresh_from_db()
    assert first.status == "revoked" and "换发" in first.status_reason
    current = selectors.licence_current(identifier=credit_code(1), type_code="SPJYXKZ")
    assert current is not None and current.pk != first.pk
    approve_company(lw, matter_code="M-FOOD", answers={"apply_type": "cancel"})
    current.refresh_from_db()
    assert current.status == "revoked"


def test_state_rules_and_permissions(lw):
    lic = approve_company(lw, matter_code="M-FOOD").licences.get()
    with pytest.raises(ValidationFailed):
        services.licence_suspend(licence=lic, actor=lw.approver, reason="  ")
    with pytest.raises(PermissionDeniedError):
        services.licence_revoke(licence=lic, actor=lw.clerk, reason="x")
    services.licence_revoke(licence=lic, actor=lw.admin, reason="吊销")
    with pytest.raises(ConflictError):
        services.licence_reinstate(licence=lic, actor=lw.approver)
    with pytest.raises(ConflictError):
        services.licence_renew(licence=lic, actor=lw.approver)


def test_manual_issue_validates_the_holder(lw):
    with pytest.raises(ValidationFailed):
        services.licence_issue(licence_type="YYZZ", holder_kind="company", holder_name="某公司",
                               holder_identifier="123", actor=lw.admin)
    first17 = "11010119800101001"
    idn = first17 + id_number_check_char(first17)
    lic = services.licence_issue(licence_type="YYZZ", holder_kind="person", holder_name="张三",
                                 holder_identifier=idn, actor=lw.admin)
    assert selectors.licence_row(lic)["holder_identifier"] == "110***********" + idn[-4:]
    assert lic.holder_identifier == idn  # stored in full, shown masked


def test_numbers_are_sequential_per_type_and_year(lw):
    a = approve_company(lw, matter_code="M-REG", seq=1).licences.get()
    b = approve_company(lw, matter_code="M-REG", seq=2, name="二号公司").licences.get()
    assert int(b.number[-5:]) == int(a.number[-5:]) + 1


def test_public_verification_needs_number_and_exact_holder(lw):
    lic = approve_company(lw, matter_code="M-FOOD").licences.get()
    row = selectors.licence_verify(number=lic.number, holder_name="重庆美味餐饮有限公司")
    assert row["valid"] and row["type_name"] == "食品经营许可证" and "source_case" not in row
    from yichuang.core.errors import NotFound

    for number, holder in ((lic.number, "别的公司"), ("NOPE", "重庆美味餐饮有限公司"), (lic.number, "")):
        with pytest.raises(NotFound):
            selectors.licence_verify(number=number, holder_name=holder)
    services.licence_revoke(licence=lic, actor=lw.approver, reason="吊销")
    assert not selectors.licence_verify(number=lic.number, holder_name="重庆美味餐饮有限公司")["valid"]


def test_search_is_for_staff(lw):
    approve_company(lw, matter_code="M-FOOD")
    assert len(selectors.licence_search(user=lw.clerk, q="美味")) == 1
    assert len(selectors.licence_search(user=lw.clerk, q=credit_code(1))) == 1
    assert len(selectors.licence_search(user=lw.clerk, type_code="YYZZ")) == 0
    assert len(selectors.licence_search(user=lw.clerk, status="active")) == 1
    with pytest.raises(PermissionDeniedError):
        selectors.licence_search(user=lw.applicant)


def test_a_company_case_with_the_representatives_id_still_links(lw):
    approve_company(lw, matter_code="M-REG")
    first17 = "11010119800101001"
    case = cs.case_receive(actor=lw.clerk, matter_code="M-FOOD", applicant_kind="company",
                           applicant_name="重庆美味餐饮有限公司", credit_code=credit_code(1),
                           id_number=first17 + id_number_check_char(first17), answers={"apply_type": "first"})
    assert statuses(case)["business_licence"] == "exempt"
    assert LicenceUse.objects.filter(case_material__case=case).count() == 1

"""一件事 filing by role (issue 21, finding 7): the rules of a single online application / window receipt hold for a
bundle; the filer, not 系统, is the actor of each sub-case's filing; 受审分离 holds for the sub-cases."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.bundles.conftest import FORM, MATERIALS, apply
from tests.cases.conftest import make_id
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.audit.models import AuditEvent
from yichuang.bundles import services as bs
from yichuang.bundles.models import BundleCase
from yichuang.cases import services as cs
from yichuang.cases.constants import CaseState as S
from yichuang.core.errors import PermissionDeniedError


def _token(user) -> dict:
    _user, key = acc.token_issue(username=user.username, password="secret-pass-1")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _staff(bw, role):
    if role == Role.APPROVER:
        return bw.approvers["SCJ"]
    if role == Role.ISSUER:
        return bw.issuer
    return acc.user_create(username=f"u_{role}", password="secret-pass-1", role=role, display_name=role,
                           centre=bw.centre)


@pytest.mark.parametrize("role", [Role.APPROVER, Role.SUPERVISOR, Role.ISSUER])
@pytest.mark.parametrize("channel", ["online", "window"])
def test_only_applicants_clerks_and_guides_file_a_bundle(bw, role, channel):
    actor = _staff(bw, role)
    with pytest.raises(PermissionDeniedError) as exc:
        apply(bw, actor=actor, channel=channel, ticket_number="")
    assert exc.value.code == "role"
    assert not BundleCase.objects.exists()


@pytest.mark.parametrize("role", [Role.APPROVER, Role.SUPERVISOR, Role.ISSUER])
def test_api_online_apply_by_back_office_refused(bw, role):
    actor = _staff(bw, role)
    body = {"channel": "online", "applicant_name": "张三", "id_number": make_id(3), "form_data": FORM,
            "materials": MATERIALS}
    r = Client().post("/api/v1/bundles/kaiban/apply", body, content_type="application/json", **_token(actor))
    assert r.status_code == 403, r.json()
    assert r.json()["code"] == "role" and r.json()["message"] and r.json()["message_en"]
    assert not BundleCase.objects.exists()


def _filing(case):
    first = case.transitions.order_by("at", "id").first()
    audit = AuditEvent.objects.filter(action=f"case.{S.SUBMITTED}", object_id=str(case.pk)).first()
    return first, audit


def test_online_filer_is_the_actor_of_every_sub_case_filing(bw):
    parent = apply(bw, actor=bw.applicant, channel="online", id_number=make_id(7), ticket_number="")
    assert parent.filed_by == bw.applicant
    setup = parent.items.get(key="setup").case
    first, audit = _filing(setup)
    assert first.to_state == S.SUBMITTED and first.actor == bw.applicant
    assert audit is not None and audit.actor_id == bw.applicant.pk
    # The later matters, released by the approval of 设立登记, are filed in the applicant's name too.
    scj = bw.approvers["SCJ"]
    setup = cs.case_forward(case=setup, actor=scj)
    setup = cs.case_accept(case=setup, actor=scj)
    bs.bundle_subcase_decide(case=setup, actor=scj, approve=True, result_data={"credit_code": bw.credit_code})
    tax = parent.items.get(key="tax").case
    first, audit = _filing(tax)
    assert first.actor == bw.applicant and audit.actor_id == bw.applicant.pk


def test_a_clerk_filing_online_for_the_applicant_is_named(bw):
    parent = apply(bw, actor=bw.clerk, channel="online", ticket_number="")
    first, _audit = _filing(parent.items.get(key="setup").case)
    assert first.actor == bw.clerk


def test_window_filer_may_not_accept_a_sub_case(bw):
    """受审分离: whoever received the bundle at the window may not accept (or decide) its sub-cases, even with a
    back-office role of that department later."""
    parent = apply(bw)
    setup = parent.items.get(key="setup").case
    assert setup.received_by == bw.clerk and parent.filed_by == bw.clerk
    clerk = bw.clerk
    clerk.role, clerk.department = Role.APPROVER, bw.depts["SCJ"]
    clerk.save()
    with pytest.raises(PermissionDeniedError) as exc:
        cs.case_accept(case=setup, actor=clerk)
    assert exc.value.code == "separation"
    assert cs.case_accept(case=setup, actor=bw.approvers["SCJ"]).state == S.ACCEPTED

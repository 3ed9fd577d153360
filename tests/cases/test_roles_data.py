"""Issue 19, roles and data: the progress lookup of a company case by its credit code; approving a 一件事's
企业设立登记 from its own case page (the credit code asked there, the 营业执照 to the company); the admin's user
search; A/B-post absence set on a page through an audited service."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.bundles.conftest import apply as bundle_apply
from tests.bundles.conftest import build_bundle_world
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.audit.models import AuditEvent
from yichuang.bundles.selectors import bundle_progress
from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.cases.selectors import case_progress
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from yichuang.licences.models import ELicence

from .conftest import accepted_case, make_credit_code, make_id, receive

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- progress by credit code


def _company_case(world):
    return receive(world, applicant_kind="company", applicant_name="某某餐饮有限公司", id_number=make_id(9),
                   credit_code=make_credit_code(5))


def test_progress_of_a_company_case_opens_with_the_last_four_of_its_credit_code(client, world):
    case = _company_case(world)
    code = make_credit_code(5)[-4:]
    assert case_progress(number=case.number, id_last4=code.lower())["number"] == case.number
    with pytest.raises(NotFound):
        case_progress(number=case.number, id_last4="0000" if code != "0000" else "1111")
    page = client.get("/cases/progress/", {"number": case.number, "code": code}).content.decode()
    assert 'data-testid="progress-state"' in page and "某某餐饮" not in page.split("<h2>")[0]
    r = client.get("/api/v1/cases/progress", {"number": case.number, "last4": code})
    assert r.status_code == 200 and r.json()["number"] == case.number
    # the rating and the documents follow the same rule (Case.applicant_identifier)
    assert client.get(f"/documents/cases/{case.number}/", {"code": code}).status_code == 200


def test_progress_of_a_person_case_still_uses_the_id_number(world):
    case = receive(world)
    assert case_progress(number=case.number, id_last4=make_id(1)[-4:])["number"] == case.number


@pytest.fixture
def bw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_bundle_world()


def test_bundle_progress_of_a_company_opens_with_its_credit_code(bw):
    parent = bundle_apply(bw, applicant_kind="company", applicant_name="重庆小满科技有限公司",
                          credit_code=bw.credit_code, id_number=make_id(3))
    assert bundle_progress(number=parent.number, id_last4=bw.credit_code[-4:])["number"] == parent.number


# ---------------------------------------------------------------- 企业设立登记 from its own case page


def test_bundle_setup_approved_from_its_case_page_asks_for_the_credit_code(bw):
    parent = bundle_apply(bw)
    setup = parent.items.get(key="setup").case
    approver = bw.approvers["SCJ"]
    cs.case_accept(case=setup, actor=approver)
    c = Client()
    c.force_login(approver)
    page = c.get(f"/cases/{setup.number}/").content.decode()
    assert 'name="r_credit_code"' in page
    url = f"/cases/{setup.number}/action/"
    r = c.post(url, {"action": "approve", "opinion": "准予设立"})
    assert r.status_code == 200 and "统一社会信用代码" in r.content.decode() and "准予设立" in r.content.decode()
    r = c.post(url, {"action": "approve", "opinion": "准予设立", "r_credit_code": bw.credit_code})
    assert r.status_code == 302
    assert Case.objects.get(pk=setup.pk).state == "approved"
    lic = ELicence.objects.get(source_case=setup)
    assert (lic.holder_kind, lic.holder_name, lic.holder_identifier) == ("company", "重庆小满科技有限公司",
                                                                          bw.credit_code)
    # the later matters of the bundle were released in the company's name with the code
    tax = parent.items.get(key="tax").case
    assert tax.applicant_kind == "company" and tax.applicant_credit_code == bw.credit_code


# ---------------------------------------------------------------- the admin's user search


@pytest.fixture
def admin_client(world):
    admin = acc.user_create(username="root", password="secret-pass-1", role=Role.ADMIN, is_superuser=True,
                            display_name="管理员")
    c = Client()
    c.force_login(admin)
    return c


def test_admin_user_search_by_username_name_and_full_phone(admin_client, world):
    acc.user_create(username="wangwu", password="secret-pass-1", role=Role.CLERK, display_name="王五",
                    phone="13912345678")
    url = "/admin/accounts/user/"
    for term in ("wangwu", "王五", "139 1234 5678", "13912345678"):
        r = admin_client.get(url, {"q": term})
        assert r.status_code == 200, term
        assert "wangwu" in r.content.decode(), term
    r = admin_client.get(url, {"q": "1391234"})  # a partial phone number matches nothing (and is no 500)
    assert r.status_code == 200 and "wangwu" not in r.content.decode()


# ---------------------------------------------------------------- A/B-post absence outside the admin


def test_absence_service_is_audited_and_lets_post_b_act(world):
    case = accepted_case(world)
    with pytest.raises(PermissionDeniedError):
        cs.case_approve(case=case, actor=world.approver_b, opinion="B岗")
    with pytest.raises(ValidationFailed, match="缺席原因"):
        acc.user_absence_set(actor=world.approver_b, user=world.approver, absent=True)
    acc.user_absence_set(actor=world.approver_b, user=world.approver, absent=True, reason="年休假")
    ev = AuditEvent.objects.filter(action="user.absence").latest("id")
    assert ev.after["is_absent"] is True and ev.after["reason"] == "年休假" and ev.before == {"is_absent": False}
    cs.case_approve(case=case, actor=world.approver_b, opinion="B岗办理")
    acc.user_absence_set(actor=world.approver, user=world.approver, absent=False)
    assert AuditEvent.objects.filter(action="user.absence").count() == 2


def test_absence_may_be_set_only_by_the_department_or_an_admin_of_its_centre(world):
    """Supervisors (效能监察) see the posts and write nothing (issue 21, finding 8); an administrator's reach ends at
    his centre."""
    for actor in (world.clerk, world.other_approver, world.applicant, world.issuer, world.supervisor):
        with pytest.raises(PermissionDeniedError):
            acc.user_absence_set(actor=actor, user=world.approver, absent=True, reason="x")
    far_admin = acc.user_create(username="far_admin", password="secret-pass-1", role=Role.ADMIN,
                                centre=world.other_centre)
    with pytest.raises(PermissionDeniedError):
        acc.user_absence_set(actor=far_admin, user=world.approver, absent=True, reason="x")
    with pytest.raises(ValidationFailed):
        acc.user_absence_set(actor=world.approver, user=world.clerk, absent=True, reason="x")
    acc.user_absence_set(actor=world.approver_b, user=world.approver, absent=True, reason="出差")
    admin = acc.user_create(username="admin1", password="secret-pass-1", role=Role.ADMIN, centre=world.centre)
    acc.user_absence_set(actor=admin, user=world.approver, absent=False)


def test_posts_page_marks_an_approver_absent_and_back(client, world):
    client.force_login(world.approver_b)
    inbox = client.get("/cases/inbox/").content.decode()
    assert 'href="/accounts/posts/"' in inbox
    page = client.get("/accounts/posts/").content.decode()
    assert "A岗在岗" in page and 'data-testid="approver-approver"' in page and "other" not in page
    r = client.post("/accounts/posts/", {"user": world.approver.pk, "absent": "1", "reason": ""})
    body = r.content.decode()
    assert r.status_code == 200 and "缺席原因" in body and 'role="alert"' in body
    r = client.post("/accounts/posts/", {"user": world.approver.pk, "absent": "1", "reason": "病假"})
    assert r.status_code == 302
    world.approver.refresh_from_db()
    assert world.approver.is_absent
    page = client.get("/accounts/posts/").content.decode()
    assert "A岗缺席，由B岗办理" in page
    r = client.post("/accounts/posts/", {"user": world.approver.pk, "absent": "0"})
    assert r.status_code == 302
    world.approver.refresh_from_db()
    assert not world.approver.is_absent
    r = client.post("/accounts/posts/", {"user": "x", "absent": "1", "reason": "r"})
    assert r.status_code == 200 and "用户不存在" in r.content.decode()


def test_posts_page_is_refused_to_clerks_and_asks_anonymous_to_log_in(client, world):
    assert client.get("/accounts/posts/").status_code == 302
    client.force_login(world.clerk)
    assert client.get("/accounts/posts/").status_code == 403
    client.force_login(world.supervisor)
    page = client.get("/accounts/posts/").content.decode()
    assert "市场监管局" in page and "住建局" in page
    assert 'data-testid="absent-approver"' not in page  # the supervisor sees the posts, changes none
    r = client.post("/accounts/posts/", {"user": world.approver.pk, "absent": "1", "reason": "休假"})
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    world.approver.refresh_from_db()
    assert not world.approver.is_absent

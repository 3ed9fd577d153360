"""跨域通办: a clerk in centre A receives for centre B; both centres see and count it, each as its role allows."""

from __future__ import annotations

import pytest

from tests.cases.conftest import build_world, make_id
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.cases import selectors as csel
from yichuang.cases import services as cs
from yichuang.cases.constants import CaseState as S
from yichuang.core.errors import PermissionDeniedError
from yichuang.crossregion import selectors as xsel
from yichuang.crossregion.services import region_save


def _receive(w, clerk, **kw):
    return cs.case_receive(actor=clerk, matter_code="M-FOOD", applicant_name="张三", id_number=make_id(5),
                           answers={"kind": "first"}, form_data={"shop_name": "张三小吃"}, channel="on_behalf",
                           materials={"app": "provided", "id": "provided", "lease": "provided"}, **kw)


@pytest.fixture
def xw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    # Centre A (荣昌, 500102) with its own staff; the matter is decided in B (高新, 500101 = w.centre).
    mk = lambda name, role, **kw: acc.user_create(username=name, password="secret-pass-1", role=role,  # noqa: E731
                                                  display_name=name, centre=w.other_centre, **kw)
    w.a_dept = acc.department_create(code="RC-SCJG", name="荣昌区市场监管局", centre=w.other_centre)
    w.a_clerk, w.a_issuer = mk("a_clerk", Role.CLERK), mk("a_issuer", Role.ISSUER)
    w.a_approver = mk("a_approver", Role.APPROVER, department=w.a_dept, post=Post.A)
    w.c_centre = acc.centre_create(code="510100", name="成都市政务服务中心", level="city")
    w.c_clerk = acc.user_create(username="c_clerk", password="secret-pass-1", role=Role.CLERK, centre=w.c_centre)
    return w


def test_receiving_for_another_centre_needs_a_region(xw):
    with pytest.raises(PermissionDeniedError) as exc:
        _receive(xw, xw.a_clerk)
    assert exc.value.code == "not_on_behalf"
    assert "荣昌区政务服务中心" in exc.value.message and "高新区政务服务中心" in exc.value.message
    region_save(code="quanyu", name="全渝通办", centres=["500101", "500102"], matters=["M-FOOD"])
    case = _receive(xw, xw.a_clerk)
    assert case.centre == xw.other_centre and case.handling_centre == xw.centre
    # Chengdu is not in 全渝通办: refused, naming the region that exists.
    with pytest.raises(PermissionDeniedError, match="全渝通办"):
        _receive(xw, xw.c_clerk)


def test_cross_region_case_visible_to_both_centres_with_the_right_permissions(xw):
    region_save(code="quanyu", name="全渝通办", centres=["500101", "500102"], matters=["M-FOOD"])
    case = _receive(xw, xw.a_clerk)
    case = cs.case_forward(case=case, actor=xw.a_clerk)
    see = lambda u: csel.case_visible_to(user=u, case=case)  # noqa: E731
    assert see(xw.a_clerk) and see(xw.clerk) and see(xw.approver) and see(xw.supervisor)
    assert not see(xw.a_approver)           # A's back office does not decide B's matters
    assert not see(xw.other_approver)       # nor another department of B
    assert not see(xw.c_clerk)              # nor a centre outside both
    assert case.number in {r["number"] for r in csel.case_inbox(user=xw.a_clerk)}
    assert case.number in {r["number"] for r in csel.case_inbox(user=xw.clerk)}
    assert case.number in {r["number"] for r in csel.case_inbox(user=xw.approver)}
    assert case.number not in {r["number"] for r in csel.case_inbox(user=xw.a_approver)}
    # B's back office decides; A's approver may not.
    with pytest.raises(PermissionDeniedError):
        cs.case_accept(case=case, actor=xw.a_approver)
    case = cs.case_accept(case=case, actor=xw.approver)
    case = cs.case_approve(case=case, actor=xw.approver)
    case = cs.case_mark_ready(case=case, actor=xw.a_issuer)
    # The result is handed over (or posted) at A, the receiving centre.
    with pytest.raises(PermissionDeniedError) as exc:
        cs.case_issue(case=case, actor=xw.issuer, method="window", signed_by="张三")
    assert exc.value.code == "issue_centre"
    cs.case_issue(case=case, actor=xw.a_issuer, method="post", address="荣昌区昌州大道1号", carrier="EMS",
                  tracking_no="EMS1")
    case.refresh_from_db()
    assert case.state == S.ISSUED


def test_both_centres_count_it(xw):
    region_save(code="quanyu", name="全渝通办", centres=["500101", "500102"], matters=["M-FOOD"])
    _receive(xw, xw.a_clerk)
    _receive(xw, xw.clerk, centre=None)     # a local case of B
    a = xsel.centre_on_behalf_stats(centre=xw.other_centre)
    b = xsel.centre_on_behalf_stats(centre=xw.centre)
    assert (a["代收"], a["代办"], a["local"]) == (1, 0, 0)
    assert (b["代收"], b["代办"], b["local"]) == (0, 1, 1)


def test_same_jurisdiction_needs_no_region(xw):
    town = acc.centre_create(code="500101001", name="某街道便民服务中心", level="town", parent=xw.centre)
    clerk = acc.user_create(username="t_clerk", password="secret-pass-1", role=Role.CLERK, centre=town)
    case = _receive(xw, clerk)
    assert case.centre == town and case.handling_centre == xw.centre
    # Front-office visibility: the receiving and handling centres, and every centre above them.
    city = acc.centre_create(code="500100", name="重庆市政务服务中心", level="city")
    xw.centre.parent = city
    xw.centre.save(update_fields=["parent"])
    city_clerk = acc.user_create(username="city_clerk", password="secret-pass-1", role=Role.CLERK, centre=city)
    see = lambda u: csel.case_visible_to(user=u, case=case)  # noqa: E731
    assert see(clerk) and see(xw.clerk) and see(city_clerk)
    assert not see(xw.c_clerk)


def test_region_member_covers_centres_under_it(xw):
    province = acc.centre_create(code="500000", name="重庆市政务服务中心", level="city")
    sc = acc.centre_create(code="510000", name="四川省政务服务中心", level="province")
    xw.c_centre.parent = sc
    xw.c_centre.save()
    xw.centre.parent = province
    xw.centre.save()
    region_save(code="chuanyu", name="川渝通办", scope="cross_province", centres=["500000", "510000"],
                matters=["M-FOOD"])
    case = _receive(xw, xw.c_clerk)
    assert case.centre == xw.c_centre and case.handling_centre == xw.centre


def test_bundle_received_in_another_region_checks_every_matter_up_front(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests.bundles.conftest import apply, build_bundle_world
    from yichuang.bundles.models import BundleCase

    bw = build_bundle_world()
    other = acc.centre_create(code="500102", name="荣昌区政务服务中心", level="county")
    clerk = acc.user_create(username="rc_clerk", password="secret-pass-1", role=Role.CLERK, centre=other)
    region_save(code="quanyu", name="全渝通办", centres=["500101", "500102"], matters=["M-SETUP", "M-SEAL"])
    with pytest.raises(PermissionDeniedError) as exc:
        apply(bw, actor=clerk)
    assert "新办纳税人涉税事项" in exc.value.message or "单位参保登记" in exc.value.message
    assert not BundleCase.objects.exists()
    region_save(code="quanyu", name="全渝通办", centres=["500101", "500102"],
                matters=["M-SETUP", "M-SEAL", "M-TAX", "M-SOCIAL"])
    parent = apply(bw, actor=clerk)
    setup = parent.items.get(key="setup").case
    assert parent.centre == other and setup.centre == other and setup.handling_centre == bw.centre
    assert setup.channel == "on_behalf"

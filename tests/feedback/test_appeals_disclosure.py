"""申诉复核 of a bad rating (filed by the rated clerk or department, decided by a supervisor, audited) and the
public monthly 好差评 disclosure (no sign-in, per department, no personal data)."""

import pytest
from django.utils import timezone

from yichuang.accounts.services import token_issue
from yichuang.audit.models import AuditEvent
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.feedback import selectors
from yichuang.feedback import services as fb
from yichuang.feedback.models import RatingAppeal

from .conftest import decided_case, finished_ticket


def _bad_case_rating(w, level=1, comment="态度恶劣"):
    case = decided_case(w)
    return fb.rating_submit(case=case, level=level, code=fb.rating_code_issue(case=case), comment=comment)


def test_appeal_roles_and_uphold(world):
    rating = _bad_case_rating(world)
    for stranger in (world.other_approver, world.supervisor, world.clerk2, world.applicant):
        with pytest.raises(PermissionDeniedError):
            fb.appeal_file(rating=rating, actor=stranger, reason="误评")
    with pytest.raises(ValidationFailed):
        fb.appeal_file(rating=rating, actor=world.approver, reason=" ")
    appeal = fb.appeal_file(rating=rating, actor=world.approver, reason="评价人当天未到本窗口办理")
    with pytest.raises(ConflictError):
        fb.appeal_file(rating=rating, actor=world.approver, reason="again")
    for not_supervisor in (world.approver, world.clerk):
        with pytest.raises(PermissionDeniedError):
            fb.appeal_decide(appeal=appeal, actor=not_supervisor, uphold=True, note="x")
    fb.appeal_decide(appeal=appeal, actor=world.supervisor, uphold=True, note="经核实系误评")
    rating.refresh_from_db()
    rating.rectification.refresh_from_db()
    assert rating.excluded_at is not None and rating.rectification.state == "closed"
    with pytest.raises(ConflictError):
        fb.appeal_decide(appeal=appeal, actor=world.supervisor, uphold=False, note="x")
    assert {"rating.appeal", "rating.appeal_decided", "rectification.closed"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_a_rejected_appeal_leaves_the_rating_and_only_bad_ones_are_appealed(world):
    rating = _bad_case_rating(world, level=2)
    appeal = fb.appeal_file(rating=rating, actor=world.approver, reason="误评")
    fb.appeal_decide(appeal=appeal, actor=world.supervisor, uphold=False, note="评价属实")
    rating.refresh_from_db()
    assert rating.excluded_at is None and rating.rectification.state == "open"
    good = decided_case(world)
    g = fb.rating_submit(case=good, level=5, code=fb.rating_code_issue(case=good))
    with pytest.raises(ConflictError):
        fb.appeal_file(rating=g, actor=world.approver, reason="x")


def test_the_rated_clerk_appeals_a_ticket_rating(world):
    ticket, code = finished_ticket(world)
    rating = fb.rating_submit(ticket=ticket, level=1, code=code)
    assert [r.pk for r in selectors.ratings_appealable(user=world.clerk)] == [rating.pk]
    assert selectors.ratings_appealable(user=world.clerk2) == []
    with pytest.raises(PermissionDeniedError):
        fb.appeal_file(rating=rating, actor=world.clerk2, reason="x")
    fb.appeal_file(rating=rating, actor=world.clerk, reason="恶意差评")


def test_appeal_pages_and_api(client, world):
    rating = _bad_case_rating(world)
    client.force_login(world.approver)
    page = client.get("/supervision/appeals/").content.decode()
    assert f'value="{rating.pk}"' in page
    r = client.post("/supervision/appeals/", {"rating": rating.pk, "reason": "误评"})
    appeal = RatingAppeal.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/appeals/{appeal.pk}/"
    assert "appeal-uphold" not in client.get(r["Location"]).content.decode()
    client.force_login(world.supervisor)
    assert "appeal-uphold" in client.get(r["Location"]).content.decode()
    client.post(r["Location"], {"decision": "uphold", "note": "系误评"})
    appeal.refresh_from_db()
    assert appeal.state == "upheld"
    # the API: file (department) and decide (supervisor), errors in {code, message, message_en}
    other = _bad_case_rating(world)
    appr = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='approver', password='secret-pass-1')[1]}"}
    sup = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='super', password='secret-pass-1')[1]}"}
    post = lambda url, body, h: client.post(url, body, content_type="application/json", **h)
    assert post(f"/api/v1/supervision/ratings/{other.pk}/appeal", {"reason": "x"}, sup).status_code == 403
    a = post(f"/api/v1/supervision/ratings/{other.pk}/appeal", {"reason": "误评"}, appr).json()
    assert a["state"] == "pending"
    r = post(f"/api/v1/supervision/appeals/{a['id']}/decide", {"uphold": False, "note": "x"}, appr)
    assert r.status_code == 403 and r.json()["message_en"]
    r = post(f"/api/v1/supervision/appeals/{a['id']}/decide", {"uphold": False, "note": "属实"}, sup)
    assert r.json()["state"] == "rejected"
    assert len(client.get("/api/v1/supervision/appeals", **appr).json()) == 2


def test_the_public_disclosure_counts_per_department_without_personal_data(client, world):
    excluded = _bad_case_rating(world, comment="张三说窗口很差")
    kept = _bad_case_rating(world, level=2)
    good = decided_case(world)
    fb.rating_submit(case=good, level=5, code=fb.rating_code_issue(case=good))
    fb.appeal_decide(appeal=fb.appeal_file(rating=excluded, actor=world.approver, reason="误评"),
                     actor=world.supervisor, uphold=True, note="误评")
    fb.rectification_callback(rect=kept.rectification, actor=world.approver, note="已回访")
    month = f"{timezone.localdate():%Y-%m}"
    d = selectors.disclosure_month(year=int(month[:4]), month=int(month[5:]))
    row = next(r for r in d["rows"] if r["department"] == world.dept.name)
    assert (row["ratings"], row["satisfied"], row["bad"], row["rectifications"], row["rectified"]) == (2, 1, 1, 1, 0)
    assert row["satisfaction_rate"] == 0.5 and row["rectified_share"] == 0.0 and d["appeals_upheld"] == 1
    client.logout()
    page = client.get(f"/supervision/disclosure/?month={month}")
    body = page.content.decode()
    assert page.status_code == 200 and world.dept.name in body and "50%" in body
    for personal in ("张三", excluded.case.number, kept.case.number, excluded.case.applicant_identifier[-4:],
                     "13800138000", "clerk"):
        assert personal not in body
    assert client.get("/supervision/disclosure/?month=2026-13").status_code == 400
    api = client.get(f"/api/v1/supervision/disclosure/{month}")
    assert api.status_code == 200 and api.json()["total"]["ratings"] == 2
    assert client.get("/api/v1/supervision/disclosure/nope").status_code == 400

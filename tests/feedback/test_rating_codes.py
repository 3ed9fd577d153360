"""好差评 integrity (国办发〔2019〕51号): a rating needs the one-time code of its ticket or case (printed on the slip,
sent by SMS), stored as a keyed hash and used once; one rating per ticket and per case, held by the database."""

import re

import pytest
from django.db import IntegrityError, transaction

from yichuang.audit.models import AuditEvent
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.feedback import services as fb
from yichuang.feedback.models import Rating, RatingCode, Rectification
from yichuang.notify.models import Notification

from .conftest import decided_case, finished_ticket

API = "/api/v1/supervision/ratings"


def test_the_slip_code_rates_the_ticket_once(world):
    ticket, code = finished_ticket(world)
    assert re.fullmatch(r"\d{8}", code)
    stored = RatingCode.objects.get(ticket=ticket)
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # a keyed hash, never the code
    with pytest.raises(ValidationFailed) as no_code:
        fb.rating_submit(ticket=ticket, level=1)
    assert no_code.value.field == "code"
    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    with pytest.raises(PermissionDeniedError):
        fb.rating_submit(ticket=ticket, level=1, code=wrong)
    assert not Rating.objects.exists()
    rating = fb.rating_submit(ticket=ticket, level=2, code=code)
    assert rating.clerk == world.clerk and Rectification.objects.filter(rating=rating).exists()
    with pytest.raises(ConflictError) as reused:
        fb.rating_submit(ticket=ticket, level=5, code=code)
    assert reused.value.code == "code_used"
    assert Rating.objects.count() == 1 and Rectification.objects.count() == 1
    assert AuditEvent.objects.filter(action="rating.submit").count() == 1


def test_a_case_is_rated_with_the_code_the_invitation_sent(world):
    from yichuang.cases import services as cs

    case = decided_case(world)
    case = cs.case_mark_ready(case=case, actor=world.issuer)
    cs.case_issue(case=case, actor=world.issuer, method="window", signed_by="张三")
    fb.rating_invites()
    sms = Notification.objects.filter(body__contains="评价码").latest("id")
    code = re.search(r"评价码(\d{8})", sms.body).group(1)
    with pytest.raises(PermissionDeniedError):
        fb.rating_submit(case=case, level=5, code=case.applicant_identifier[-4:])  # the ID digits are no code
    fb.rating_submit(case=case, level=5, code=code)
    with pytest.raises(ConflictError):
        fb.rating_submit(case=case, level=4, code=code)
    other = fb.rating_code_issue(case=case)  # a second code of the same case: still one rating
    with pytest.raises(ConflictError) as again:
        fb.rating_submit(case=case, level=4, code=other)
    assert again.value.code == "rated"


def test_the_database_holds_one_rating_per_ticket_and_per_case(world):
    ticket, code = finished_ticket(world)
    first = fb.rating_submit(ticket=ticket, level=5, code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(ticket=ticket, centre=first.centre, channel="offline", level=1,
                              created_at=first.created_at)
    case = decided_case(world)
    rated = fb.rating_submit(case=case, level=5, code=fb.rating_code_issue(case=case))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(case=case, centre=rated.centre, channel="offline", level=1, created_at=rated.created_at)


def test_a_race_past_the_check_is_a_clear_409(world, monkeypatch):
    """Two ratings that both passed the service's check: the unique constraint refuses the second, and the
    service turns the IntegrityError into {code, message, message_en}."""
    ticket, code = finished_ticket(world)
    fb.rating_submit(ticket=ticket, level=5, code=code)
    second = fb.rating_code_issue(ticket=ticket)
    monkeypatch.setattr(fb, "_already_rated", lambda **kw: False)
    with pytest.raises(ConflictError) as exc:
        fb.rating_submit(ticket=ticket, level=1, code=second)
    assert exc.value.code == "rated" and exc.value.message_en
    assert Rating.objects.count() == 1


def test_the_follow_up_rating_needs_the_code_sent_with_the_reply(world):
    case = decided_case(world)
    rect = fb.rating_submit(case=case, level=1, code=fb.rating_code_issue(case=case)).rectification
    fb.rectification_callback(rect=rect, actor=world.approver, note="已电话回访")
    fb.rectification_reply(rect=rect, actor=world.approver, reply="已整改")
    sms = Notification.objects.filter(body__contains="评价码").latest("id")
    code = re.search(r"评价码(\d{8})", sms.body).group(1)
    follow = fb.rating_submit(case=case, level=4, code=code)
    assert follow.followup_of_id == rect.pk
    with pytest.raises(ConflictError):
        fb.rating_submit(case=case, level=4, code=fb.rating_code_issue(case=case))


def test_the_api_needs_the_code(client, world):
    ticket, code = finished_ticket(world)
    post = lambda body: client.post(API, body, content_type="application/json")
    r = post({"ticket_id": ticket.pk, "level": 1})
    assert r.status_code == 400 and r.json()["code"] and r.json()["message_en"]
    r = post({"ticket_id": ticket.pk, "level": 1, "code": "12345678" if code != "12345678" else "87654321"})
    assert r.status_code == 403 and r.json()["message"] and r.json()["message_en"]
    assert post({"ticket_id": ticket.pk, "level": 1, "code": code}).status_code == 200
    r = post({"ticket_id": ticket.pk, "level": 1, "code": code})
    assert r.status_code == 409 and set(r.json()) >= {"code", "message", "message_en"}
    case = decided_case(world)
    r = post({"case_number": case.number, "code": case.applicant_identifier[-4:], "level": 1})
    assert r.status_code == 403
    assert not Rating.objects.filter(case=case).exists()


def test_the_rating_page_needs_the_code(client, world):
    ticket, code = finished_ticket(world)
    url = f"/supervision/rate/ticket/{ticket.pk}/"
    page = client.get(url).content.decode()
    assert 'name="code"' in page and 'inputmode="numeric"' in page
    body = client.post(url, {"level": "1", "comment": "态度差"}).content.decode()
    assert "请输入评价码" in body and "态度差</textarea>" in body
    body = client.post(url, {"level": "1", "code": "00000000" if code != "00000000" else "11111111"}
                       ).content.decode()
    assert "评价码不正确" in body
    assert not Rating.objects.exists()
    assert "感谢您的评价" in client.post(url, {"level": "1", "code": code}).content.decode()
    assert "评价码已使用" in client.post(url, {"level": "5", "code": code}).content.decode()
    case = decided_case(world)
    curl = f"/supervision/rate/case/{case.number}/?code={case.applicant_identifier[-4:]}"
    assert "感谢您的评价" not in client.post(curl, {"level": "5", "code": case.applicant_identifier[-4:]}
                                            ).content.decode()
    assert not Rating.objects.filter(case=case).exists()


def test_the_kiosk_slip_prints_the_code_once_and_the_issue_api_answers_it(client, world):
    from yichuang.catalog.models import WindowDomain
    from yichuang.hall import services as hall

    domain = WindowDomain.objects.get(code="enterprise")
    window = hall.window_create(actor=None, centre=world.centre, number="8", domains=[domain])
    hall.skill_set(user=world.clerk, domains=[domain])
    hall.clerk_sign_in(window=window, clerk=world.clerk)
    r = client.post(f"/hall/kiosk/{world.centre.code}/", {"domain": domain.pk})
    assert r.status_code == 302
    slip = client.get(r["Location"]).content.decode()
    code = re.search(r'data-testid="slip-rating-code">评价码 <strong>(\d{8})</strong>', slip).group(1)
    assert code not in r["Location"]
    again = client.get(r["Location"]).content.decode()
    assert "slip-rating-code" not in again  # printed once
    t = client.post("/api/v1/hall/tickets", {"centre_id": world.centre.pk, "domain_id": domain.pk},
                    content_type="application/json").json()
    assert re.fullmatch(r"\d{8}", t["rating_code"])
    assert "rating_code" not in client.get(f"/api/v1/hall/tickets/{t['id']}").json()
    assert RatingCode.objects.filter(ticket_id=t["id"]).count() == 1

"""Applicants are told at 受理, 补正, 不予受理, 办结 and 可取件 — after commit, through every channel."""

import datetime as dt
import json

import pytest
from django.core import mail

from yichuang.cases import services as cs
from yichuang.notify.backends import SmsBackend
from yichuang.notify.models import Notification
from yichuang.notify.services import case_event_notify, outbox_for_case
from tests.licences.licence_world import approve_company, build_licence_world, receive_company


@pytest.fixture
def lw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_licence_world()


def events(case):
    return [n.event for n in Notification.objects.filter(case=case, channel="sms").order_by("id")]


def test_milestones_reach_the_applicant_after_commit(lw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = approve_company(lw, matter_code="M-FOOD")
        cs.case_mark_ready(case=case, actor=lw.issuer)
    assert events(case) == ["accepted", "decided", "ready"]
    sms = Notification.objects.filter(case=case, event="accepted").get()
    assert sms.recipient == "13800138000" and sms.status == "sent" and case.number in sms.body
    assert "【九龙坡区政务服务中心】" in sms.body and f"/cases/progress/?number={case.number}" in sms.body
    assert outbox_for_case(case=case)[0]["recipient"] == "138****8000"
    with django_capture_on_commit_callbacks(execute=True):
        refused = cs.case_forward(case=receive_company(lw, matter_code="M-FOOD", seq=2), actor=lw.clerk)
        cs.case_not_accept(case=refused, actor=lw.approver, reason="不属于本机关职权", legal_basis="行政许可法第三十二条")
        supp = receive_company(lw, matter_code="M-FOOD", seq=3)
        cs.case_request_supplement(case=supp, actor=lw.clerk, due_date=dt.date.today() + dt.timedelta(days=3),
                                   items=[{"code": "layout"}])
    assert events(refused) == ["not_accepted"] and "不属于本机关职权" in Notification.objects.get(case=refused).body
    assert events(supp) == ["supplement"] and "设备布局和操作流程" in Notification.objects.get(case=supp).body


def test_nothing_is_sent_for_a_rolled_back_step(lw, django_capture_on_commit_callbacks):
    from yichuang.core.errors import DomainError

    case = cs.case_forward(case=receive_company(lw, matter_code="M-FOOD"), actor=lw.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError):
            cs.case_accept(case=case, actor=lw.clerk)  # a clerk may not accept
    assert not Notification.objects.exists()


def test_email_when_the_form_has_an_address(lw):
    case = receive_company(lw, matter_code="M-FOOD")
    case.form_data = {"email": "boss@example.com"}
    case.save()
    rows = case_event_notify(case=case, event="ready")
    assert {r.channel for r in rows} == {"sms", "email"}
    assert mail.outbox and mail.outbox[0].to == ["boss@example.com"] and "可取件" in mail.outbox[0].subject


class Broken(SmsBackend):
    name = "broken"

    def send_sms(self, *, phone, text):
        raise RuntimeError("gateway down")


def test_a_failing_channel_is_recorded_not_raised(lw, settings):
    settings.YICHUANG_NOTIFY_BACKENDS = ["tests.notify.test_notify.Broken",
                                         "yichuang.notify.backends.ConsoleSmsBackend"]
    case = receive_company(lw, matter_code="M-FOOD")
    rows = case_event_notify(case=case, event="ready")
    assert [(r.backend, r.status) for r in rows] == [("broken", "failed"), ("console", "sent")]
    assert "gateway down" in rows[0].error


def test_file_backend_writes_json_lines(lw, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.YICHUANG_NOTIFY_BACKENDS = ["yichuang.notify.backends.FileSmsBackend"]
    case = receive_company(lw, matter_code="M-FOOD")
    case_event_notify(case=case, event="ready")
    line = json.loads((tmp_path / "notify" / "sms.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["phone"] == "13800138000" and case.number in line["text"]

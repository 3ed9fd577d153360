"""Cases (办件): what was applied for, by whom, with which materials, where it stands and how it got there.

Models are thin: every write goes through ``cases.services``; every state change through
``services.case_transition``.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models

from yichuang.core.fields import EncryptedCharField
from django.utils.text import get_valid_filename

from .constants import (
    ApplicantKind,
    CaseState,
    Channel,
    DeliveryMethod,
    MaterialMedium,
    MaterialStatus,
    NoticeKind,
    SuspensionReason,
)

# States left out of the default inbox, and the states in which the deadline clock runs (they have a light).
INBOX_CLOSED_STATES = (CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.NOT_ACCEPTED, CaseState.DRAFT)
CLOCK_STATES = (CaseState.ACCEPTED, CaseState.SUSPENDED)


class CaseSequence(models.Model):
    """Daily case-number counter per centre; the row is locked FOR UPDATE while a number is drawn."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day"], name="case_sequence_unique_day")]


class ApplicantCredit(models.Model):
    """失信标记: applicants flagged for bad credit may not use tolerant acceptance (容缺受理)."""

    identifier = models.CharField("身份证号/统一社会信用代码 Identifier", max_length=18, unique=True)
    bad_credit = models.BooleanField("失信 Bad credit", default=True)
    reason = models.CharField("原因 Reason", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申请人信用 Applicant credit"
        verbose_name_plural = "申请人信用 Applicant credit"


class Case(models.Model):
    """办件: one application for one matter, from receipt to issuance."""

    number = models.CharField("办件编号 Case number", max_length=32, unique=True)
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="received_cases",
                               verbose_name="收件中心 Receiving centre")
    handling_centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="handled_cases",
                                        verbose_name="办理中心 Handling centre")
    matter = models.ForeignKey("catalog.Matter", on_delete=models.PROTECT, related_name="cases",
                               verbose_name="事项 Matter")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="cases",
                                   db_index=False,  # the inbox indexes below start with it
                                   verbose_name="办理部门 Handling department",
                                   help_text="The matter's department, copied at receipt and again at forwarding, "
                                             "so that the back-office inbox reads one indexed column.")
    matter_version = models.ForeignKey("catalog.MatterVersion", on_delete=models.PROTECT, related_name="cases",
                                       verbose_name="事项版本 Matter version")
    answers = models.JSONField("情形 Situation answers", default=dict, blank=True)

    applicant_kind = models.CharField("申请人类型 Applicant kind", max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人 Applicant", max_length=100)
    applicant_id_number = EncryptedCharField("身份证号 ID number", kind="id_number", max_length=18, blank=True,
                                             db_index=True)
    applicant_credit_code = models.CharField("统一社会信用代码 Credit code", max_length=18, blank=True, db_index=True)
    contact_name = models.CharField("联系人 Contact", max_length=60, blank=True)
    contact_phone = EncryptedCharField("联系电话 Phone", kind="phone", max_length=20, blank=True)
    contact_address = models.CharField("联系地址 Address", max_length=200, blank=True)
    agent_name = models.CharField("代办人 Agent", max_length=60, blank=True)
    agent_id_number = EncryptedCharField("代办人身份证号 Agent ID", kind="id_number", max_length=18, blank=True)
    agent_authorisation = models.BooleanField("授权委托书 Power of attorney", default=False)
    bad_credit = models.BooleanField("失信 Bad credit", default=False)

    channel = models.CharField("渠道 Channel", max_length=16, choices=Channel.choices)
    form_data = models.JSONField("表单 Form data", default=dict, blank=True)
    state = models.CharField("状态 State", max_length=20, choices=CaseState.choices, db_index=True)

    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="收件人 Received by")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="受理人 Accepted by")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="审批人 Decided by")
    received_at = models.DateTimeField("收件时间 Received at", null=True, blank=True)
    accepted_at = models.DateField("受理日期（起算日） Accepted on", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理（五日规则） Deemed accepted", default=False)
    decided_at = models.DateTimeField("决定时间 Decided at", null=True, blank=True)

    promised_days = models.PositiveSmallIntegerField("承诺时限 Promised days", default=0)
    legal_days = models.PositiveSmallIntegerField("法定时限 Legal days", default=0)
    suspended_workdays = models.PositiveIntegerField("中止工作日 Suspended working days", default=0)
    extension_days = models.PositiveSmallIntegerField("延期工作日 Extension days", default=0)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+",
                                              verbose_name="延期批准人 Extension approved by")
    due_date = models.DateField("承诺办结日 Due date", null=True, blank=True, db_index=True)
    legal_due_date = models.DateField("法定办结日 Legal due date", null=True, blank=True)
    provisional = models.BooleanField("日历暂定 Provisional calendar", default=False)

    tolerant = models.BooleanField("容缺受理 Tolerant", default=False)
    tolerant_commitment = models.TextField("容缺承诺 Commitment", blank=True)
    tolerant_due = models.DateField("容缺补交期限 Tolerant due", null=True, blank=True)
    supplement_due = models.DateField("补正期限 Supplement due", null=True, blank=True)
    missing_items = models.JSONField("缺少材料 Missing items", default=list, blank=True)

    visits = models.PositiveSmallIntegerField("到现场次数 Visits", default=0)
    ticket_numbers = models.JSONField("排队号 Ticket numbers", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "办件 Case"
        verbose_name_plural = "办件 Cases"
        permissions = [("view_full_pii", "查看完整证件号码和电话 View full ID and phone numbers")]
        ordering = ["-created_at"]
        indexes = [
            # The daily KPI rollup reads one day of receipts and one day of decisions.
            models.Index(fields=["received_at"], name="case_received_at"),
            models.Index(fields=["decided_at"], name="case_decided_at", condition=models.Q(decided_at__isnull=False)),
            # The department inbox by state (and the light filters, one range per clock state), in due-date order.
            models.Index(fields=["department", "state", "due_date", "received_at", "id"],
                         name="case_inbox_dept_state_due"),
            # The default inbox (every case still open), in due-date order.
            models.Index(fields=["department", "due_date", "received_at", "id"], name="case_inbox_dept_open_due",
                         condition=~models.Q(state__in=INBOX_CLOSED_STATES)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(applicant_id_number="", applicant_credit_code=""),
                name="case_applicant_identified"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def applicant_identifier(self) -> str:
        """Who applied: a company (法人) by its 统一社会信用代码 — the number on its notices and its licences,
        and the one whose last four characters open the public progress page — even when the legal
        representative's ID number is on the case too; a person by the ID number."""
        if self.applicant_kind == ApplicantKind.COMPANY and self.applicant_credit_code:
            return self.applicant_credit_code
        return self.applicant_id_number or self.applicant_credit_code


def case_upload_to(instance: CaseMaterial, filename: str) -> str:
    name = get_valid_filename(os.path.basename(filename or "")) or "upload"
    return f"cases/{instance.case.number}/{name[:100]}"


class CaseMaterial(models.Model):
    """收取的材料: one checklist item as received (or not) for a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    requirement_code = models.CharField("材料编码 Code", max_length=40)
    name = models.CharField("材料名称 Name", max_length=200)
    necessity = models.CharField("必要性 Necessity", max_length=12)
    status = models.CharField("状态 Status", max_length=12, choices=MaterialStatus.choices,
                              default=MaterialStatus.MISSING)
    medium = models.CharField("载体 Medium", max_length=12, choices=MaterialMedium.choices, blank=True)
    note = models.CharField("说明 Note", max_length=300, blank=True)
    upload = models.FileField("扫描件 Upload", upload_to=case_upload_to, max_length=300, blank=True)
    content_type = models.CharField("文件类型 Content type", max_length=40, blank=True)
    size = models.PositiveIntegerField("大小 Size", default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "办件材料 Case material"
        verbose_name_plural = "办件材料 Case materials"
        ordering = ["case", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "requirement_code"], name="case_material_unique")]

    def __str__(self) -> str:
        return self.name


class CaseTransition(models.Model):
    """流转记录: who moved the case from which state to which, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["to_state", "at"], name="case_transition_to_at")]  # KPI rollup


class Suspension(models.Model):
    """中止计时 (现场勘验, 技术审查, 听证, 专家评审, 公示)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(max_length=20, choices=SuspensionReason.choices)
    note = models.CharField(max_length=300, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    workdays = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["case", "start_date", "id"]


class Notice(models.Model):
    """文书: every notice given to the applicant, with its full content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    number = models.CharField(max_length=48, unique=True)
    content = models.JSONField(default=dict)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["case", "created_at", "id"]


class Delivery(models.Model):
    """送达: handing over the result at the window (送达回证) or by post."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deliveries")
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)
    signed_by = models.CharField("签收人 Signed by", max_length=60, blank=True)
    address = models.CharField(max_length=200, blank=True)
    carrier = models.CharField(max_length=40, blank=True)
    tracking_no = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")

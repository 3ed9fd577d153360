"""Feedback: 好差评 (ratings of a case or of a window service), 差评整改 (rectification of a bad rating) and
办不成事 / hotline tickets (咨询, 求助, 投诉). Thin models; every write goes through ``feedback.services``.

The tables keep the names they had when these models lived in supervision (``supervision_rating`` …): the move
changed no row (migrations ``feedback.0001`` and ``supervision.0003`` move the models in Django's state only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .constants import (
    AppealState,
    ComplaintChannel,
    ComplaintKind,
    ComplaintState,
    RatingChannel,
    RatingLevel,
    RectificationState,
)


class Rating(models.Model):
    """好差评: one rating of a case (线上/线下) or of a window service (a ticket)."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="ratings")
    ticket = models.ForeignKey("hall.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    channel = models.CharField(max_length=10, choices=RatingChannel.choices)
    level = models.PositiveSmallIntegerField(choices=RatingLevel.choices)
    indicators = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    followup_of = models.ForeignKey("Rectification", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="followups")
    created_at = models.DateTimeField()
    excluded_at = models.DateTimeField(null=True, blank=True)  # 申诉复核 upheld: out of every figure

    class Meta:
        ordering = ["-created_at", "-id"]
        db_table = "supervision_rating"
        indexes = [models.Index(fields=["centre", "created_at"], name="rating_centre_at")]
        # One rating per ticket and per case (its follow-up 复评 aside, one per rectification), held by the
        # database: two concurrent submissions that both passed the service's check cannot both be written.
        constraints = [
            models.UniqueConstraint(fields=["ticket"], name="rating_one_per_ticket"),
            models.UniqueConstraint(fields=["case"], condition=models.Q(followup_of__isnull=True),
                                    name="rating_one_per_case"),
            models.UniqueConstraint(fields=["followup_of"], name="rating_one_per_followup"),
        ]


class RatingCode(models.Model):
    """评价码: a one-time code that a rating of this ticket or case needs (printed on the ticket slip, sent by SMS
    with the invitation or the rectification's reply). Only a keyed hash is kept (HMAC with the secret key);
    ``used_at`` once a rating took it."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("hall.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ticket", "code_hash"], name="ratingcode_ticket"),
                   models.Index(fields=["case", "code_hash"], name="ratingcode_case")]
        constraints = [models.CheckConstraint(
            condition=models.Q(case__isnull=True, ticket__isnull=False) | models.Q(case__isnull=False,
                                                                                 ticket__isnull=True),
            name="ratingcode_case_xor_ticket")]


class RatingInvite(models.Model):
    """邀评: after issuance, and once more after 3 days without a rating."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="rating_invite")
    invited_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "supervision_ratinginvite"


class Rectification(models.Model):
    """差评整改: callback within 1 working day, rectification and reply within 15, one follow-up rating."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="rectification")
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    state = models.CharField(max_length=12, choices=RectificationState.choices, default=RectificationState.OPEN)
    opened_on = models.DateField()
    callback_due = models.DateField()
    due = models.DateField()
    called_back_at = models.DateTimeField(null=True, blank=True)
    callback_note = models.TextField(blank=True)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "supervision_rectification"
        ordering = ["due", "id"]


class RatingAppeal(models.Model):
    """申诉复核: the rated clerk or department disputes a wrong or malicious bad rating; a supervisor decides
    (upheld: the rating leaves the figures and its rectification closes; rejected: it stands). One per rating."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="appeal")
    state = models.CharField(max_length=10, choices=AppealState.choices, default=AppealState.PENDING)
    reason = models.TextField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["state", "-filed_at", "-id"]


class Complaint(models.Model):
    """办不成事 / 热线工单: 咨询, 求助 or 投诉, with a working-day deadline."""

    number = models.CharField(max_length=32, unique=True)
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ComplaintKind.choices)
    channel = models.CharField(max_length=10, choices=ComplaintChannel.choices)
    content = models.TextField()
    name = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    case_number = models.CharField(max_length=32, blank=True)
    matter = models.ForeignKey("catalog.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    state = models.CharField(max_length=10, choices=ComplaintState.choices, default=ComplaintState.OPEN)
    opened_on = models.DateField()
    due = models.DateField()
    resolution = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True, choices=RatingLevel.choices)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "supervision_complaint"
        ordering = ["state", "due", "id"]

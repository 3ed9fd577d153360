from django.db import models


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Event(models.TextChoices):
    """The milestones an applicant is told about (办理进度实时提醒和结果实时回传)."""

    ACCEPTED = "accepted", "已受理"
    SUPPLEMENT = "supplement", "需补齐补正"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    DECIDED = "decided", "已办结"
    READY = "ready", "可取件"
    REMINDER = "reminder", "工作提醒"
    RATING = "rating", "邀请评价"

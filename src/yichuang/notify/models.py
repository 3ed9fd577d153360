"""The outbox: every message sent (or tried) through a channel, one row per backend and recipient.

What the row keeps is no copy of personal numbers (《个人信息保护法》): the recipient (a phone number or an e-mail
address) is encrypted like the applicant's numbers (core.fields), found by the exact value; subject, body and error
are stored with ID and mobile numbers masked (core.redact) — the message itself went out in full."""

from django.db import models

from yichuang.core.fields import EncryptedCharField
from yichuang.core.validators import mask_phone

from .constants import Channel, DeliveryStatus, Event


def mask_recipient(channel: str, recipient: str) -> str:
    """138****8000 for a phone; b***@example.com for an e-mail address."""
    if channel == Channel.SMS:
        return mask_phone(recipient)
    local, at, domain = (recipient or "").partition("@")
    return f"{local[:1]}***{at}{domain}" if at else mask_phone(recipient)


class Notification(models.Model):
    event = models.CharField("事件 Event", max_length=20, choices=Event.choices)
    channel = models.CharField("渠道 Channel", max_length=10, choices=Channel.choices)
    backend = models.CharField("通道 Backend", max_length=40)
    recipient = EncryptedCharField("接收人 Recipient", kind="recipient", max_length=200)
    subject = models.CharField("标题 Subject", max_length=200, blank=True)
    body = models.TextField("内容 Body")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="notifications")
    status = models.CharField("状态 Status", max_length=10, choices=DeliveryStatus.choices)
    provider_id = models.CharField("回执 Provider id", max_length=100, blank=True)
    error = models.CharField("错误 Error", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "消息通知 Notification"
        verbose_name_plural = "消息通知 Notifications"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        return mask_recipient(self.channel, self.recipient)

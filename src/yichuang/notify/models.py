"""The outbox: every message sent (or tried) through a channel, one row per backend and recipient."""

from django.db import models

from .constants import Channel, DeliveryStatus, Event


class Notification(models.Model):
    event = models.CharField("事件 Event", max_length=20, choices=Event.choices)
    channel = models.CharField("渠道 Channel", max_length=10, choices=Channel.choices)
    backend = models.CharField("通道 Backend", max_length=40)
    recipient = models.CharField("接收人 Recipient", max_length=200)
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
        return f"{self.get_event_display()} → {self.recipient}"

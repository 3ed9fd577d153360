"""Choices for supervision (效能监察), Chinese first. Those of ratings, rectifications and tickets are in
``yichuang.feedback.constants``."""

from django.db import models


class BookingState(models.TextChoices):
    BOOKED = "booked", "已预约"
    DONE = "done", "已上门办理"
    CANCELLED = "cancelled", "已取消"


class NoticeLevel(models.TextChoices):
    INFO = "info", "提示"
    YELLOW = "yellow", "黄灯预警"
    RED = "red", "红灯督办"

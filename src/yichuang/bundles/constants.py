"""Choices for one-thing bundles (一件事一次办), Chinese first."""

from django.db import models


class ItemStatus(models.TextChoices):
    WAITING = "waiting", "等待前置事项"
    RELEASED = "released", "已分发部门办理"
    STOPPED = "stopped", "已终止（前置事项未获准予）"


class BundleCaseState(models.TextChoices):
    IN_PROGRESS = "in_progress", "办理中"
    READY = "ready", "待出件（一次领取）"
    ISSUED = "issued", "已出件"


# Sub-case states in which a sub-case's work is done (the decision is made or the case ended otherwise).
DONE_STATES = ("approved", "denied", "ready", "issued", "closed", "not_accepted", "withdrawn")
APPROVED_STATES = ("approved", "ready", "issued", "closed")

"""Every write of supervision (效能监察), one module a subject:

- ``inbox``: the staff inbox (站内消息), also sent through the notification channel;
- ``alerts``: 督办 — department leads, the yellow/red deadline watch, the escalation of late rectifications and
  tickets, and the inbox messages feedback's hooks ask for;
- ``door``: 入户直通车 door-to-door zones and bookings;
- ``jobs``: ``tick``, one pass of every scheduled job.

Ratings, rectifications and 办不成事 / hotline tickets are written by ``yichuang.feedback.services``. The names
below are the package's public writes, so that callers say ``services.door_book``."""

from .alerts import (
    complaint_watch,
    deadline_watch,
    department_lead_set,
    notify_complaint_opened,
    notify_rectification_opened,
    rectification_watch,
    supervisors,
)
from .door import door_book, door_done, door_may_write, door_route, zone_next_days, zone_save
from .inbox import inbox_mark_read, inbox_post
from .jobs import tick

__all__ = [
    "complaint_watch", "deadline_watch", "department_lead_set", "door_book", "door_done", "door_may_write",
    "door_route",
    "inbox_mark_read", "inbox_post", "notify_complaint_opened", "notify_rectification_opened", "rectification_watch",
    "supervisors", "tick", "zone_next_days", "zone_save",
]

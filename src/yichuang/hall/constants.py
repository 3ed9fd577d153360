"""Choices and limits of the hall (windows, tickets, appointments)."""

from django.db import models

RECALL_LIMIT = 3  # 重呼 at most this many times (override: settings.HALL_RECALL_LIMIT)
REQUEUE_LIMIT = 1  # a no-show may go back to the queue once
CHECKIN_GRACE_MINUTES = 15  # appointment check-in later than start + grace becomes a normal ticket
CHECKIN_EARLY_MINUTES = 60  # and no earlier than this before the slot starts
DEFAULT_SERVICE_MINUTES = 8.0  # mean service time when there is no history yet
# The slip counts at most this many people ahead ("999+"): beyond it the estimate is long anyway, and counting a
# queue of tens of thousands on every ticket would cost more than issuing it.
AHEAD_COUNT_CAP = 999
ELDERLY_AGE = 70
CANDIDATE_LIMIT = 32  # the bounded candidate set per call-next (more than the windows calling at once)


class WindowType(models.TextChoices):
    GENERAL = "general", "无差别综窗 General"
    DOMAIN = "domain", "分领域综窗 Domain"
    DEPARTMENT = "department", "专业窗口 Department"
    ISSUANCE = "issuance", "出件窗口 Issuance"
    ASSIST = "assist", "帮办代办 Assistance"
    ESCALATION = "escalation", "办不成事反映 Escalation"


class WindowState(models.TextChoices):
    OPEN = "open", "开放 Open"
    PAUSED = "paused", "暂停 Paused"
    CLOSED = "closed", "关闭 Closed"


class SkillLevel(models.TextChoices):
    JUNIOR = "junior", "初级 Junior"
    INTERMEDIATE = "intermediate", "中级 Intermediate"
    SENIOR = "senior", "高级 Senior"


class PriorityClass(models.IntegerChoices):
    """Lower value is called first."""

    ELDERLY = 0, "70岁以上免等 Elderly 70+"
    PRIORITY = 1, "优先（残疾人、军人） Priority"
    APPOINTMENT = 2, "预约到号 Appointment due"
    NORMAL = 3, "普通 Normal"


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", "自助取号机 Kiosk"
    APPOINTMENT = "appointment", "预约签到 Appointment"
    STAFF = "staff", "工作人员代取 Staff"


class TicketState(models.TextChoices):
    WAITING = "waiting", "等候中 Waiting"
    CALLED = "called", "已叫号 Called"
    SERVING = "serving", "办理中 Serving"
    DONE = "done", "已办结 Done"
    NO_SHOW = "no_show", "过号 No-show"
    TRANSFERRED = "transferred", "已转出 Transferred"
    CANCELLED = "cancelled", "已取消 Cancelled"
    CLOSED = "closed", "日终关闭 Closed at end of day"


ACTIVE_STATES = (TicketState.CALLED, TicketState.SERVING)


class EventKind(models.TextChoices):
    ISSUED = "issued", "取号 Issued"
    CALLED = "called", "叫号 Called"
    RECALLED = "recalled", "重呼 Recalled"
    NO_SHOW = "no_show", "过号 No-show"
    REQUEUED = "requeued", "过号重排 Re-queued"
    TRANSFERRED = "transferred", "转移 Transferred"
    STARTED = "started", "开始办理 Service started"
    FINISHED = "finished", "办结 Finished"
    CASE_LINKED = "case_linked", "关联办件 Case linked"
    CANCELLED = "cancelled", "取消 Cancelled"
    CLOSED = "closed", "日终关闭 Closed"


class AppointmentState(models.TextChoices):
    BOOKED = "booked", "已预约 Booked"
    CANCELLED = "cancelled", "已取消 Cancelled"
    CHECKED_IN = "checked_in", "已签到 Checked in"
    LATE = "late", "迟到签到 Late"

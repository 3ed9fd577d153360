"""Choices and deadlines for feedback (好差评, 差评整改, 办不成事 / hotline tickets), Chinese first."""

from django.db import models


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)
SATISFIED_LEVELS = (RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.BASIC)


class RatingChannel(models.TextChoices):
    OFFLINE = "offline", "线下（窗口）"
    ONLINE = "online", "线上"


# 好差评 indicators (国务院办公厅《关于建立政务服务“好差评”制度提高政务服务水平的意见》).
INDICATORS = {
    RatingChannel.OFFLINE: {"overall": "整体满意度", "efficiency": "服务效率", "quality": "服务水平",
                            "attitude": "服务态度"},
    RatingChannel.ONLINE: {"efficiency": "办事效率", "guide": "办事指南精确度", "convenience": "办事便捷度",
                           "usability": "平台操作性"},
}


class RectificationState(models.TextChoices):
    OPEN = "open", "待回访"
    CALLED_BACK = "called_back", "已回访，整改中"
    REPLIED = "replied", "已整改答复，待复评"
    CLOSED = "closed", "已办结"


class AppealState(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "申诉成立（评价不计入）"
    REJECTED = "rejected", "申诉不成立"


# 差评整改: a callback within 1 working day, rectification and reply within 15 working days.
CALLBACK_WORKDAYS = 1
RECTIFY_WORKDAYS = 15
REMIND_AFTER_DAYS = 3  # invite to rate again after 3 days without a rating


class ComplaintKind(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"


class ComplaintChannel(models.TextChoices):
    WINDOW = "window", "办不成事反映窗口"
    HOTLINE = "hotline", "热线电话"
    ONLINE = "online", "网上"
    LETTER = "letter", "来信"


class ComplaintState(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已办结"


# Working days to resolve, per kind.
COMPLAINT_WORKDAYS = {ComplaintKind.CONSULT: 1, ComplaintKind.HELP: 3, ComplaintKind.COMPLAINT: 5}

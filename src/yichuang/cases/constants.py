"""Choices for cases (办件), Chinese first."""

from django.db import models


class CaseState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（网上申请）"
    RECEIVED = "received", "已收件"
    NEEDS_SUPPLEMENT = "needs_supplement", "待补齐补正"
    FORWARDED = "forwarded", "已流转后台"
    ACCEPTED = "accepted", "已受理"
    SUSPENDED = "suspended", "已中止计时"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    APPROVED = "approved", "准予许可"
    DENIED = "denied", "不予许可"
    READY = "ready", "待出件"
    ISSUED = "issued", "已出件"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class Channel(models.TextChoices):
    WINDOW = "window", "窗口"
    ONLINE = "online", "网上申请"
    SELF_SERVICE = "self_service", "自助终端"
    DOOR_TO_DOOR = "door_to_door", "上门服务"
    ON_BEHALF = "on_behalf", "异地代收"


# Channels where the applicant is physically present when the case is received (counted as a visit).
PHYSICAL_CHANNELS = frozenset({Channel.WINDOW, Channel.SELF_SERVICE, Channel.ON_BEHALF})


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    COMPANY = "company", "法人/组织"


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", "已提交"
    MISSING = "missing", "缺少"
    INCORRECT = "incorrect", "需补正"
    TOLERANT = "tolerant", "容缺后补"
    EXEMPT = "exempt", "免提交"


class MaterialMedium(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


class SuspensionReason(models.TextChoices):
    SITE_INSPECTION = "site_inspection", "现场勘验"
    TECHNICAL_REVIEW = "technical_review", "技术审查"
    HEARING = "hearing", "听证"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLICITY = "publicity", "公示"


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理通知书"
    NON_ACCEPTANCE = "non_acceptance", "不予受理通知书"
    SUPPLEMENT = "supplement", "补齐补正通知书"
    DECISION = "decision", "决定书"
    TOLERANT_COMMITMENT = "tolerant_commitment", "容缺受理承诺书"
    SUSPENSION = "suspension", "中止告知书"


NOTICE_PREFIX = {
    NoticeKind.ACCEPTANCE: "SL",
    NoticeKind.NON_ACCEPTANCE: "BSL",
    NoticeKind.SUPPLEMENT: "BZ",
    NoticeKind.DECISION: "JD",
    NoticeKind.TOLERANT_COMMITMENT: "RQ",
    NoticeKind.SUSPENSION: "ZZ",
}


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", "窗口领取"
    POST = "post", "邮寄送达"


class Light(models.TextChoices):
    GREEN = "green", "绿灯（正常）"
    YELLOW = "yellow", "黄灯（预警）"
    RED = "red", "红灯（超期）"


# Working days within which a received case must get a supplement notice, else it is deemed accepted
# (《中华人民共和国行政许可法》第三十二条第一款第四项).
FIVE_DAY_RULE_WORKDAYS = 5

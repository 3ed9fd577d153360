from django.db import models


class CentreLevel(models.TextChoices):
    PROVINCE = "province", "省级 Province"
    CITY = "city", "市级 City"
    COUNTY = "county", "区县级 County"
    TOWN = "town", "镇街 Town/street"
    VILLAGE = "village", "村社 Village/community"


class Role(models.TextChoices):
    APPLICANT = "applicant", "申请人 Applicant"
    GUIDE = "guide", "导服/帮办代办 Guide"
    CLERK = "clerk", "综窗受理员 Window clerk"
    APPROVER = "approver", "后台审批员 Back-office approver"
    ISSUER = "issuer", "出件窗口 Issuance clerk"
    SUPERVISOR = "supervisor", "效能监察 Supervisor"
    ADMIN = "admin", "管理员 Administrator"


class Post(models.TextChoices):
    """A/B 岗: the B post may act while the A post is marked absent."""

    A = "A", "A岗"
    B = "B", "B岗"

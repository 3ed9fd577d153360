"""Choices for e-licences (电子证照), Chinese first."""

from django.db import models


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "暂扣/中止"
    REVOKED = "revoked", "已撤销/注销"
    EXPIRED = "expired", "已过期"


class HolderKind(models.TextChoices):
    PERSON = "person", "自然人"
    COMPANY = "company", "法人/组织"


# Only an active licence inside its validity satisfies a material (证照可共享核验，不得要求提供纸质证照).
SATISFYING = (LicenceStatus.ACTIVE,)

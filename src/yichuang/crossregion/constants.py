"""Choices for cross-region receiving (跨域通办), Chinese first."""

from django.db import models


class RegionScope(models.TextChoices):
    CITY = "city", "全市通办"
    PROVINCE = "province", "全省（市）通办"
    CROSS_PROVINCE = "cross_province", "跨省通办"

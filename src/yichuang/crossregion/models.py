"""跨域通办: centres belong to regions; a matter lists the regions in which any member centre may receive it on
behalf of the centre that handles it (异地代收代办). The case itself carries both centres (``Case.centre`` receives,
``Case.handling_centre`` decides); nothing here duplicates them."""

from __future__ import annotations

from django.db import models

from .constants import RegionScope


class Region(models.Model):
    """通办区域: e.g. 全渝通办 (every centre of Chongqing), 川渝通办 (Sichuan and Chongqing)."""

    code = models.CharField("编码 Code", max_length=40, unique=True)
    name = models.CharField("名称 Name", max_length=100, unique=True)
    scope = models.CharField("范围 Scope", max_length=16, choices=RegionScope.choices, default=RegionScope.PROVINCE)
    centres = models.ManyToManyField("accounts.Centre", related_name="regions", blank=True,
                                     verbose_name="成员中心 Member centres",
                                     help_text="一个中心代表其全部下级中心 A centre stands for all centres under it")
    matters = models.ManyToManyField("catalog.Matter", related_name="receiving_regions", blank=True,
                                     verbose_name="可通办事项 Matters received on behalf")
    is_active = models.BooleanField("启用 Active", default=True)

    class Meta:
        verbose_name = "通办区域 Region"
        verbose_name_plural = "通办区域 Regions"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

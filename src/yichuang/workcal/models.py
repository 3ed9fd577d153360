from django.db import models


class DayKind(models.TextChoices):
    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "休息日"
    HOLIDAY = "holiday", "法定节假日"
    ADJUSTED_WORKDAY = "adjusted_workday", "调休上班"
    ADJUSTED_REST = "adjusted_rest", "调休休息"


class YearSource(models.TextChoices):
    OFFICIAL = "official", "国务院公布（内置）"
    IMPORTED = "imported", "管理员导入"
    PROVISIONAL = "provisional", "推算（未公布，暂定）"


class CalendarYear(models.Model):
    """A year of the work calendar and where its days came from."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(max_length=16, choices=YearSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "日历年度 Calendar year"
        verbose_name_plural = "日历年度 Calendar years"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_source_display()}）"

    @property
    def provisional(self) -> bool:
        return self.source == YearSource.PROVISIONAL


class CalendarDay(models.Model):
    """One day: is it a working day, and why."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField()
    kind = models.CharField(max_length=20, choices=DayKind.choices)
    name = models.CharField("节日 Holiday name", max_length=40, blank=True)

    class Meta:
        verbose_name = "日历日 Calendar day"
        verbose_name_plural = "日历日 Calendar days"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

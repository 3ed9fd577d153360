from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reseed_after_flush(sender, using="default", **kwargs):
    """``flush`` (also run by transactional tests) empties the calendar and then sends post_migrate:
    put the official years back so every database keeps them."""
    from django.db import connections

    from .models import CalendarDay, CalendarYear
    from .statutory import seed_missing_official_years

    if CalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards (workcal zero)
    if seed_missing_official_years(year_model=CalendarYear, day_model=CalendarDay, using=using):
        from . import workdays

        workdays.invalidate()


class WorkcalConfig(AppConfig):
    name = "yichuang.workcal"
    label = "workcal"
    verbose_name = "工作日历 Work calendar"

    def ready(self):
        post_migrate.connect(_reseed_after_flush, sender=self, dispatch_uid="workcal-reseed-after-flush")

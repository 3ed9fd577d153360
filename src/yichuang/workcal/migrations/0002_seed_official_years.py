"""Seed the official State Council schedules that chinese-calendar ships, so every database has them.

One bulk insert per year (about 8 500 rows in all); a year already present (e.g. imported) is kept.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from yichuang.workcal.statutory import seed_missing_official_years

    seed_missing_official_years(year_model=apps.get_model("workcal", "CalendarYear"),
                                day_model=apps.get_model("workcal", "CalendarDay"),
                                using=schema_editor.connection.alias)


def unseed(apps, schema_editor):
    import datetime as dt

    CalendarYear = apps.get_model("workcal", "CalendarYear")
    CalendarDay = apps.get_model("workcal", "CalendarDay")
    for year in CalendarYear.objects.filter(source="official").values_list("year", flat=True):
        CalendarDay.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))).delete()
    CalendarYear.objects.filter(source="official").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("workcal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]

import datetime as dt

import pytest
from django.core.management import call_command

from yichuang.workcal.models import CalendarDay, CalendarYear
from yichuang.workcal.workdays import add_workdays


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_official_years():
    call_command("flush", interactive=False, verbosity=0)
    assert CalendarYear.objects.filter(source="official").count() == 23
    assert CalendarDay.objects.filter(date__year=2026).count() == 365
    assert add_workdays(dt.date(2026, 9, 24), 5).value == dt.date(2026, 10, 9)


@pytest.mark.django_db
def test_after_a_transactional_test_the_calendar_is_still_there():
    assert add_workdays(dt.date(2026, 9, 24), 5).value == dt.date(2026, 10, 9)

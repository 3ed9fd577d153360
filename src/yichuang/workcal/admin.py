"""Django admin for the work calendar; day edits go through the service so they are audited."""

from django.contrib import admin, messages

from . import services
from .models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "updated_at")
    readonly_fields = ("year", "source", "updated_at")
    actions = ["reseed_official"]

    def has_add_permission(self, request):
        return False  # years come from seeding or import (yichuang calendar import FILE)

    @admin.action(description="从内置官方数据重新载入 Reload the official schedule")
    def reseed_official(self, request, queryset):
        for cal_year in queryset:
            try:
                services.calendar_seed_year(year=cal_year.year, actor=request.user, force=True)
            except Exception as exc:  # noqa: BLE001 — show the domain message, keep going
                self.message_user(request, f"{cal_year.year}: {getattr(exc, 'message', exc)}", messages.ERROR)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "kind", "name")
    list_filter = ("kind", "is_workday")
    search_fields = ("date", "name")
    date_hierarchy = "date"
    fields = ("date", "is_workday", "kind", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("date",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        day = services.calendar_set_day(date=obj.date, is_workday=obj.is_workday, name=obj.name, kind=obj.kind,
                                        actor=request.user)
        obj.pk = day.pk

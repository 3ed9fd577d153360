from django.contrib import admin

from .models import Appointment, AppointmentSlot, ClerkSkill, Ticket, TicketEvent, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["number", "centre", "window_type", "state", "clerk", "area"]
    list_filter = ["centre", "window_type", "state"]
    filter_horizontal = ["domains"]


@admin.register(ClerkSkill)
class ClerkSkillAdmin(admin.ModelAdmin):
    list_display = ["user", "level"]
    filter_horizontal = ["domains", "matters"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ["date", "start", "end", "domain", "centre", "capacity"]
    list_filter = ["centre", "domain", "date"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["code", "slot", "name", "state"]
    list_filter = ["state"]


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    readonly_fields = ["kind", "at", "window", "clerk", "data"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "day", "centre", "domain", "priority", "state", "window"]
    list_filter = ["centre", "day", "state", "priority"]
    search_fields = ["number"]
    inlines = [TicketEventInline]
    readonly_fields = ["issued_at", "queued_at", "called_at", "started_at", "finished_at"]

"""The hall in Django's admin, for the centre's administrators: the set-up (windows, skills, appointment slots)
may be edited here; what the hall's services own may only be looked at. A window's state and its signed-in
clerk change through sign-in, sign-out and pause (which check for open tickets and announce it), tickets and
their events only through the calling services, an appointment's state through booking, cancelling and
check-in. Every change saved here is appended to the audit chain, as the services' own changes are."""

from django.contrib import admin

from yichuang.audit.services import audit_record

from . import scarcity
from .models import Appointment, AppointmentSlot, ClerkSkill, Ticket, TicketEvent, Window


class AuditedAdmin(admin.ModelAdmin):
    """Appends ``hall.admin_add`` / ``hall.admin_change`` with the changed fields (their new values, as shown)
    once the object and its many-to-many fields are saved."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = {name: _shown(form.cleaned_data.get(name)) for name in form.changed_data}
        audit_record(actor=request.user, action=f"hall.admin_{'change' if change else 'add'}", obj=obj,
                     after=after)
        _scarcity_changed(obj)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="hall.admin_delete", obj=obj, before={"name": str(obj)})
        _scarcity_changed(obj)  # before the delete: a clerk's skill still names its clerk
        super().delete_model(request, obj)


def _scarcity_changed(obj) -> None:
    """A window's type or domains, or a clerk's skills, may have changed: the centres concerned count again."""
    if isinstance(obj, Window):
        scarcity.changed(obj.centre_id)
    elif isinstance(obj, ClerkSkill):
        scarcity.clerk_changed(obj.user_id)


def _shown(value):
    if hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict)):
        return [str(v) for v in value]
    return value if isinstance(value, (int, float, bool, type(None))) else str(value)


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ["number", "centre", "window_type", "state", "clerk", "area"]
    list_filter = ["centre", "window_type", "state"]
    filter_horizontal = ["domains"]
    readonly_fields = ["state", "clerk"]  # sign-in, sign-out and pause (hall.services) own them


@admin.register(ClerkSkill)
class ClerkSkillAdmin(AuditedAdmin):
    list_display = ["user", "level"]
    filter_horizontal = ["domains", "matters"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(AuditedAdmin):
    list_display = ["date", "start", "end", "domain", "centre", "capacity"]
    list_filter = ["centre", "domain", "date"]


@admin.register(Appointment)
class AppointmentAdmin(ViewOnlyAdmin):
    list_display = ["code", "slot", "name", "state"]
    list_filter = ["state"]


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    readonly_fields = ["kind", "at", "window", "clerk", "data"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ViewOnlyAdmin):
    list_display = ["number", "day", "centre", "domain", "priority", "state", "window"]
    list_filter = ["centre", "day", "state", "priority"]
    search_fields = ["number"]
    inlines = [TicketEventInline]

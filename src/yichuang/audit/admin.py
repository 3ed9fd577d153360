"""The audit trail in the admin: read-only, searchable by object (a case number finds the case's events),
filtered by chain (a centre's id; 0 the installation's)."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("chain", "seq", "at", "actor_name", "action", "object_type", "object_id", "address")
    list_filter = ("chain", "action", "object_type")
    search_fields = ("object_id", "actor_name", "action")
    ordering = ("-id",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

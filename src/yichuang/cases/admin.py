from django.contrib import admin

from .models import ApplicantCredit, Case, CaseMaterial, CaseTransition, Delivery, Notice, Suspension


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MaterialInline(ReadOnlyInline):
    model = CaseMaterial
    fields = ["requirement_code", "name", "necessity", "status", "medium", "upload", "content_type", "size"]


class TransitionInline(ReadOnlyInline):
    model = CaseTransition
    fields = ["at", "from_state", "to_state", "actor", "reason"]


class NoticeInline(ReadOnlyInline):
    model = Notice
    fields = ["number", "kind", "created_at", "created_by"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the services (the state machine's one door)."""

    list_display = ["number", "matter", "applicant_name", "state", "channel", "due_date", "tolerant"]
    list_filter = ["state", "channel", "tolerant", "deemed_accepted"]
    search_fields = ["number", "applicant_name"]
    inlines = [MaterialInline, TransitionInline, NoticeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ApplicantCredit)
admin.site.register(Suspension)
admin.site.register(Delivery)

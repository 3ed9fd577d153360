"""Catalogue administration. Saving a matter here publishes a new version and re-indexes it, like the service."""

from django.contrib import admin

from .models import LicenceType, MaterialRequirement, Matter, MatterVersion, Situation, WindowDomain
from .search import matter_index
from .services import matter_publish_version


class SituationInline(admin.StackedInline):
    model = Situation
    extra = 0


class MaterialInline(admin.StackedInline):
    model = MaterialRequirement
    extra = 0
    fields = (("code", "name"), ("necessity", "form", "copies", "medium"), ("source", "licence_type",
              "issuing_department"), "applies_when", "review_points", "sample_text", "blank_form", "notes", "order")


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("name", "implementation_code", "department", "domain", "matter_type", "handling_kind",
                    "legal_limit_days", "promised_limit_days", "visits_required", "is_active")
    list_filter = ("department", "domain", "matter_type", "handling_kind", "negative_list", "is_active")
    search_fields = ("name", "implementation_code", "basic_code", "keywords")
    inlines = [SituationInline, MaterialInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        matter = form.instance
        matter_index(matter)
        matter_publish_version(matter=matter, actor=request.user)


@admin.register(MatterVersion)
class MatterVersionAdmin(admin.ModelAdmin):
    list_display = ("matter", "number", "created_at", "created_by", "digest")
    list_filter = ("matter__department",)
    readonly_fields = ("matter", "number", "snapshot", "digest", "created_at", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WindowDomain)
class WindowDomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "ticket_prefix", "order")


@admin.register(LicenceType)
class LicenceTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "issuing_department", "validity_years")

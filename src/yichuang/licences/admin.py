from django.contrib import admin

from .models import ELicence, LicenceUse


@admin.register(ELicence)
class ELicenceAdmin(admin.ModelAdmin):
    list_display = ["number", "licence_type", "holder_name", "issuer_name", "valid_from", "valid_to", "status"]
    list_filter = ["licence_type", "status"]
    search_fields = ["number", "holder_name", "holder_identifier"]
    readonly_fields = [f.name for f in ELicence._meta.fields]

    def has_add_permission(self, request):
        return False  # through the services (licence_issue), audited


@admin.register(LicenceUse)
class LicenceUseAdmin(admin.ModelAdmin):
    list_display = ["licence", "case_material", "at"]
    readonly_fields = ["licence", "case_material", "at"]

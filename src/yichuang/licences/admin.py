from django.contrib import admin

from .models import ELicence, LicenceUse
from .selectors import mask_identifier


@admin.register(ELicence)
class ELicenceAdmin(admin.ModelAdmin):
    """Read-only. A person's ID number is shown masked; a search finds a licence by the exact identifier (it is
    encrypted: no partial match), by number or holder name."""

    list_display = ["number", "licence_type", "holder_name", "issuer_name", "valid_from", "valid_to", "status"]
    list_filter = ["licence_type", "status"]
    search_fields = ["number", "holder_name"]
    fields = readonly_fields = [("masked_identifier" if f.name == "holder_identifier" else f.name)
                                for f in ELicence._meta.fields]

    @admin.display(description="身份证号/统一社会信用代码 Holder identifier")
    def masked_identifier(self, obj: ELicence) -> str:
        return mask_identifier(obj)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().upper()
        if term:
            found = found | queryset.filter(holder_identifier=term)
        return found, may_have_duplicates

    def has_add_permission(self, request):
        return False  # through the services (licence_issue), audited


@admin.register(LicenceUse)
class LicenceUseAdmin(admin.ModelAdmin):
    list_display = ["licence", "case_material", "at"]
    readonly_fields = ["licence", "case_material", "at"]

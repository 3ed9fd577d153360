import re

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Centre, Department, User

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "phone", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("parent",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "centre", "is_active")
    list_filter = ("centre", "is_active")
    search_fields = ("code", "name", "short_name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "centre", "department", "post", "is_absent", "is_active")
    list_filter = ("role", "centre", "department", "post", "is_absent", "is_active", "is_staff")
    # ``phone`` is encrypted (core.fields): no partial match can work on it, so it is not a search field; a full
    # phone number is found by an exact lookup, which the deterministic encryption answers through the index of
    # ciphertexts (the probe is encrypted the same way), never by decrypting every row.
    search_fields = ("username", "display_name", "first_name", "last_name", "email")

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = "".join(search_term.split())
        if PHONE_RE.match(term):
            results |= queryset.filter(phone=term)
        return results, may_have_duplicates
    fieldsets = BaseUserAdmin.fieldsets + (
        ("一窗 Yichuang", {"fields": ("display_name", "role", "centre", "department", "post", "is_absent", "phone",
                                      "id_number")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("一窗 Yichuang", {"fields": ("display_name", "role", "centre", "department", "post")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "label", "created_at", "last_used_at")
    search_fields = ("user__username", "label")
    readonly_fields = ("user", "key_hash", "label", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

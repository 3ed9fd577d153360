"""Admin for bundles: items inline; the inline formset checks the whole DAG so a cycle is refused on the page
with the cycle named (设立登记 → 税务登记 → 设立登记), before anything is saved."""

from django import forms
from django.contrib import admin

from yichuang.core.errors import DomainError

from .dag import check_dag
from .models import Bundle, BundleCase, BundleCaseItem, BundleItem


class ItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        requires, names = {}, {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("key"):
                continue
            pres = data.get("requires") or []
            if not isinstance(pres, list):
                raise forms.ValidationError("前置环节应为环节编码列表，如 [\"setup\"]。")
            requires[data["key"]] = [str(p) for p in pres]
            names[data["key"]] = str(data.get("matter") or data["key"])
        try:
            check_dag(requires, names)
        except DomainError as exc:
            raise forms.ValidationError(exc.bilingual()) from None


class ItemInline(admin.TabularInline):
    model = BundleItem
    formset = ItemFormSet
    extra = 1
    autocomplete_fields = ("matter",)
    fields = ("order", "key", "matter", "requires", "field_map", "material_map", "produces")


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active", "updated_at")
    search_fields = ("code", "name", "keywords")
    inlines = [ItemInline]


class CaseItemInline(admin.TabularInline):
    model = BundleCaseItem
    extra = 0
    can_delete = False
    fields = ("key", "status", "case", "result_data", "message")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BundleCase)
class BundleCaseAdmin(admin.ModelAdmin):
    list_display = ("number", "bundle", "applicant_name", "centre", "state", "due_date", "created_at")
    list_filter = ("state", "bundle", "centre")
    search_fields = ("number", "applicant_name", "applicant_id_number")
    inlines = [CaseItemInline]
    readonly_fields = [f.name for f in BundleCase._meta.fields]

    def has_add_permission(self, request):
        return False

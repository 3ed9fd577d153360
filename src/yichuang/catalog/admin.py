"""Catalogue administration. Saving a matter here publishes a new version and re-indexes it, like the service."""

from django import forms
from django.contrib import admin

from yichuang.core.errors import ValidationFailed

from . import services
from .constants import ServiceObject, Theme
from .models import LicenceType, MaterialRequirement, Matter, MatterVersion, Situation, WindowDomain
from .search import matter_index
from .services import matter_publish_version


class MatterForm(forms.ModelForm):
    """The admin checks what the service checks on write: FAQ shape, service objects and themes."""

    class Meta:
        model = Matter
        fields = "__all__"
        help_texts = {
            "service_objects": "可选：" + "、".join(f"{c}（{t}）" for c, t in ServiceObject.choices),
            "themes": "可选：" + "、".join(f"{c}（{t}）" for c, t in Theme.choices),
        }

    def _checked(self, check, name):
        try:
            return check(self.cleaned_data.get(name))
        except ValidationFailed as exc:
            raise forms.ValidationError(f"{exc.message} {exc.message_en}") from None

    def clean_faq(self):
        return self._checked(services.faq_validate, "faq")

    def clean_service_objects(self):
        return self._checked(lambda v: services.choice_codes(v, ServiceObject, "服务对象", "service_objects"),
                             "service_objects")

    def clean_themes(self):
        return self._checked(lambda v: services.choice_codes(v, Theme, "主题", "themes"), "themes")


class SituationInline(admin.StackedInline):
    model = Situation
    extra = 0


class MaterialInline(admin.StackedInline):
    model = MaterialRequirement
    extra = 0
    fields = (("code", "name"), ("necessity", "form", "copies", "medium"), ("source", "licence_type",
              "issuing_department"), "applies_when", "review_points", "sample_text", "blank_form", ("blank_form_file", "sample_file"), "notes",
              "order")


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    form = MatterForm
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

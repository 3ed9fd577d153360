from django.contrib import admin

from .authority import department_authority
from .models import DepartmentDocumentSettings, Document, NoticeDocNumber
from .services import department_document_settings_set


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "signed", "size", "created_at"]
    list_filter = ["kind", "signed"]
    search_fields = ["number", "case__number", "licence__number"]
    readonly_fields = [f.name for f in Document._meta.fields]


@admin.register(DepartmentDocumentSettings)
class DepartmentDocumentSettingsAdmin(admin.ModelAdmin):
    """文号代字 and 复议机关 per department; blank fields show the defaults the documents use."""

    list_display = ["department", "number_prefix", "review_body", "court", "prefix_in_use", "review_body_in_use"]
    search_fields = ["department__name", "number_prefix", "review_body"]
    autocomplete_fields = ["department"]

    def save_model(self, request, obj, form, change):

        saved = department_document_settings_set(department=obj.department, actor=request.user,
                                                 number_prefix=obj.number_prefix, review_body=obj.review_body,
                                                 court=obj.court)
        obj.pk = saved.pk

    @admin.display(description="实际使用的代字 Prefix in use")
    def prefix_in_use(self, obj):
        return department_authority(obj.department).prefix

    @admin.display(description="实际复议机关 Review body in use")
    def review_body_in_use(self, obj):
        return department_authority(obj.department).review_body


@admin.register(NoticeDocNumber)
class NoticeDocNumberAdmin(admin.ModelAdmin):
    list_display = ["text", "department", "year", "seq", "notice"]
    list_filter = ["year"]
    search_fields = ["text", "notice__number"]
    readonly_fields = ["notice", "department", "year", "seq", "text"]

    def has_add_permission(self, request):
        return False

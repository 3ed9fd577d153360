from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "signed", "size", "created_at"]
    list_filter = ["kind", "signed"]
    search_fields = ["number", "case__number", "licence__number"]
    readonly_fields = [f.name for f in Document._meta.fields]

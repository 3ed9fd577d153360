from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "scope", "is_active")
    list_filter = ("scope", "is_active")
    search_fields = ("code", "name")
    filter_horizontal = ("centres", "matters")

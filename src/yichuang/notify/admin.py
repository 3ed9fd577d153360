from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "backend", "recipient", "status"]
    list_filter = ["event", "channel", "status"]
    search_fields = ["recipient", "body", "case__number"]
    readonly_fields = [f.name for f in Notification._meta.fields]

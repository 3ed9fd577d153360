from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only. The recipient is shown masked (list and change page); a search finds a row by the exact
    phone number or e-mail address (it is encrypted: no partial match), by words of the body or by case number."""

    list_display = ["created_at", "event", "channel", "backend", "masked_recipient", "status"]
    list_filter = ["event", "channel", "status"]
    search_fields = ["body", "case__number"]
    fields = ["event", "channel", "backend", "masked_recipient", "subject", "body", "case", "status", "provider_id",
              "error", "created_at"]
    readonly_fields = fields

    @admin.display(description="接收人 Recipient")
    def masked_recipient(self, obj: Notification) -> str:
        return obj.masked_recipient

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            found = found | queryset.filter(recipient=term)
        return found, may_have_duplicates

    def has_add_permission(self, request) -> bool:
        return False

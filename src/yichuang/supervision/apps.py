from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yichuang.supervision"
    verbose_name = "效能监察 Supervision"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Feedback knows nothing above it: supervision joins its hooks to post the staff inbox when a bad rating
        # opens a rectification or a ticket is opened (imported here, once the app registry is ready).
        from yichuang.feedback import hooks

        from .services import alerts

        hooks.on_rectification_opened(alerts.notify_rectification_opened)
        hooks.on_complaint_opened(alerts.notify_complaint_opened)

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """好差评, 差评整改 and 办不成事 / hotline tickets: what applicants say of the service. Above cases and hall (a
    rating is of a case or a ticket), below supervision (which watches these deadlines and posts the inbox)."""

    name = "yichuang.feedback"
    label = "feedback"
    verbose_name = "好差评与工单 Feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yichuang.hall import (
            hooks as hall_hooks,  # the app registry is ready only now (services import models)
        )

        from . import services

        hall_hooks.ticket_issued.register(services.ticket_issued)

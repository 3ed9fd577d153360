from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yichuang.supervision"
    verbose_name = "效能监察 Supervision"
    default_auto_field = "django.db.models.BigAutoField"

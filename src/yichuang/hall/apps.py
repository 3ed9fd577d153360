from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "yichuang.hall"
    verbose_name = "大厅 Hall"

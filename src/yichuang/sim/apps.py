from django.apps import AppConfig


class SimConfig(AppConfig):
    name = "yichuang.sim"
    verbose_name = "大厅仿真 Hall simulator"

from django.apps import AppConfig

from yichuang.ops.metrics import register_collector


class HallConfig(AppConfig):
    name = "yichuang.hall"
    verbose_name = "大厅 Hall"

    def ready(self):
        from .metrics import HallCollector  # models are importable only once the registry is ready

        register_collector(HallCollector())

        from . import case_hooks  # it imports models: only once the app registry is ready

        case_hooks.register()

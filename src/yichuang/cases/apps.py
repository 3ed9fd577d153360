from django.apps import AppConfig

from yichuang.ops.metrics import register_collector


class CasesConfig(AppConfig):
    name = "yichuang.cases"
    label = "cases"
    verbose_name = "办件 Cases"

    def ready(self):
        from .metrics import CaseCollector  # models are importable only once the registry is ready

        register_collector(CaseCollector())

from django.apps import AppConfig

from yichuang.ops.metrics import register_collector

from .metrics import CaseCollector


class CasesConfig(AppConfig):
    name = "yichuang.cases"
    label = "cases"
    verbose_name = "办件 Cases"

    def ready(self):
        register_collector(CaseCollector(self.get_model("Case")))

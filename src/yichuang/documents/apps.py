from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yichuang.documents"
    label = "documents"
    verbose_name = "文书与电子签章 Documents and signatures"

    def ready(self):
        from . import case_hooks  # it imports models: only once the app registry is ready

        case_hooks.register()

from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "yichuang.bundles"
    label = "bundles"
    verbose_name = "一件事 One-thing bundles"

    def ready(self):
        from . import case_hooks  # it imports models: only once the app registry is ready

        case_hooks.register()

        from yichuang.catalog.excel import sheet_register

        from .workbook import BUNDLE_SHEET  # the 一件事 sheet of the catalogue workbook

        sheet_register(BUNDLE_SHEET)

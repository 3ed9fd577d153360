from django.apps import AppConfig


class CrossRegionConfig(AppConfig):
    name = "yichuang.crossregion"
    label = "crossregion"
    verbose_name = "跨域通办 Cross-region"

    def ready(self):
        from . import case_hooks  # it imports models: only once the app registry is ready

        case_hooks.register()

from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "yichuang.licences"
    label = "licences"
    verbose_name = "电子证照库 E-licences"

    def ready(self):
        from . import case_hooks  # it imports models: only once the app registry is ready

        case_hooks.register()

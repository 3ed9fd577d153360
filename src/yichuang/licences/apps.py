from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "yichuang.licences"
    label = "licences"
    verbose_name = "电子证照库 E-licences"

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "yichuang.ops"
    label = "ops"
    verbose_name = "运维与安全 Operations and security"

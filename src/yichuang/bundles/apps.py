from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "yichuang.bundles"
    label = "bundles"
    verbose_name = "一件事 One-thing bundles"

from django.apps import AppConfig


class CrossRegionConfig(AppConfig):
    name = "yichuang.crossregion"
    label = "crossregion"
    verbose_name = "跨域通办 Cross-region"

from django.apps import AppConfig

from . import checks  # noqa: F401  registers the key check (core/checks.py)


class CoreConfig(AppConfig):
    name = "yichuang.core"
    label = "core"
    verbose_name = "核心 Core"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yichuang.core"
    label = "core"
    verbose_name = "核心 Core"

    def ready(self):
        from .sqlcache import let_psycopg_cache_long_statements

        let_psycopg_cache_long_statements()

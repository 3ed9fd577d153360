from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yichuang.accounts"
    label = "accounts"
    verbose_name = "机构与用户 Centres and users"

    def ready(self) -> None:
        # The token cache's backstop: saves and deletions by any path (the admin) retire cached lookups at once.
        from . import signals  # noqa: F401

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yichuang.accounts"
    label = "accounts"
    verbose_name = "机构与用户 Centres and users"

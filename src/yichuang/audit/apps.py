from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AuditConfig(AppConfig):
    name = "yichuang.audit"
    label = "audit"
    verbose_name = "审计日志 Audit log"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (sign-in, sign-out and failed sign-in into the audit chain)


class AuditedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the audited site (audit/admin_site.py): every admin change goes to the chain."""

    default = False
    default_site = "yichuang.audit.admin_site.AuditedAdminSite"

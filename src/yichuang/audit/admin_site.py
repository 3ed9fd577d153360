"""The Django admin, audited: every add, change and delete made in any ModelAdmin (a user's roles, superuser flag
or department, a 失信 flag, a licence, a document…) is appended to the audit chain with who, from where, the
admin's change message and the changed fields' values before and after.

The project's admin site (installed through ``audit.apps.AuditedAdminConfig`` in place of ``django.contrib.admin``) mixes
:class:`AuditedModelAdmin` into every ModelAdmin registered with it, so no admin can be left out. It hooks the three
methods through which Django's admin logs its own history (log_addition, log_change, log_deletions), so the bulk
"delete selected" action is audited object by object too. Secrets are never copied: a password is shown as
changed, an encrypted field (ID and phone numbers) as ``***``."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from yichuang.core.fields import EncryptedCharField
from yichuang.core.net import client_ip

from .services import audit_record

HIDDEN = "***"


def _value(obj, field: models.Field):
    if field.name == "password" or isinstance(field, EncryptedCharField):
        return HIDDEN
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname)
    value = getattr(obj, field.attname, None)
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def snapshot(obj) -> dict:
    """The object's own columns and many-to-many ids (by name), secrets hidden."""
    data = {f.name: _value(obj, f) for f in obj._meta.concrete_fields}
    if obj.pk is not None:
        for f in obj._meta.many_to_many:
            data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return data


def _address(request) -> str:
    return client_ip(request)


class AuditedModelAdmin(admin.ModelAdmin):
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._audit_before = snapshot(obj)  # what the change form started from
        return obj

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit_record(actor=request.user, action="admin.add", obj=obj, address=_address(request),
                     after={"object": str(obj), "message": entry.get_change_message(), "values": snapshot(obj)})
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        before = getattr(obj, "_audit_before", None) or {}
        after = snapshot(obj)
        changed = sorted(k for k in after if before.get(k) != after[k]) if before else sorted(after)
        audit_record(actor=request.user, action="admin.change", obj=obj, address=_address(request),
                     before={k: before.get(k) for k in changed} if before else None,
                     after={"object": str(obj), "message": entry.get_change_message(),
                            "values": {k: after[k] for k in changed}})
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:  # called before the delete: every object is still there
            audit_record(actor=request.user, action="admin.delete", obj=obj, address=_address(request),
                         before={"object": str(obj), "values": snapshot(obj)})
        return entries


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedModelAdmin):
            base = type(base.__name__, (AuditedModelAdmin, base), {"__module__": base.__module__})
        return super().register(model_or_iterable, base, **options)

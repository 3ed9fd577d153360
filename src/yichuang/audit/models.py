from django.db import models


class AuditEvent(models.Model):
    """An append-only audit entry, chained by hash: each row's hash covers its content and the previous hash,
    so an altered, deleted or reordered row breaks the chain from that row on."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    address = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计事件 Audit event"
        verbose_name_plural = "审计事件 Audit events"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]


class AuditChainHead(models.Model):
    """One row, locked while appending, so the chain stays linear under concurrent writers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The hash before the last append: PostgreSQL appends in one statement (UPDATE … SET prev_hash = hash, …
    # RETURNING), and the new event row takes its previous hash from here.
    prev_hash = models.CharField(max_length=64, default="0" * 64)

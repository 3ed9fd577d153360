from django.db import models

# The chain of events that belong to no centre (the installation's: the catalogue, the work calendar, logins); it
# is also the one chain every event was appended to before the chains were per centre (migration 0003).
INSTALLATION_CHAIN = 0


class AuditEvent(models.Model):
    """An append-only audit entry, chained by hash: each row's hash covers its content and the previous hash of
    its chain, so an altered, deleted or reordered row breaks the chain from that row on. One chain per centre
    (``chain`` is the centre's id; 0 the installation's), so centres never wait on each other's audited writes."""

    # The centre's id, not a foreign key: the trail outlives what it records, and audit sits below accounts.
    chain = models.BigIntegerField(default=INSTALLATION_CHAIN)
    seq = models.BigIntegerField()
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
    # The hash this row was chained with (``sha256``, or ``sm3`` under the 国密 suite): a chain may mix them.
    hash_alg = models.CharField(max_length=8, default="sha256")

    class Meta:
        verbose_name = "审计事件 Audit event"
        verbose_name_plural = "审计事件 Audit events"
        ordering = ["chain", "seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_unique_seq_per_chain")]


class AuditChainHead(models.Model):
    """The head of one chain (its last sequence number and hash), locked while appending to that chain, so the
    chain stays linear under concurrent writers of its centre; writers of other centres lock other rows."""

    chain = models.BigIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

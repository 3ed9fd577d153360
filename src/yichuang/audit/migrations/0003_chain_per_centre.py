"""One audit chain per centre. Every event so far was appended to the one chain of the installation: they stay
there, as chain 0 (the installation's chain, which goes on taking the events that belong to no centre), with
their hashes untouched — a centre's chain starts from its own genesis hash, chain 0 from the old one, so
``audit verify`` checks the rows written before this migration exactly as it did before. The one head row
(id 1) becomes chain 0's head."""

from django.db import migrations, models


def head_of_chain_zero(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditChainHead")
    event_model = apps.get_model("audit", "AuditEvent")
    head_model.objects.filter(chain=1).update(chain=0)
    if not head_model.objects.filter(chain=0).exists():
        last = event_model.objects.order_by("-seq").first()
        if last is not None:
            head_model.objects.create(chain=0, seq=last.seq, hash=last.hash)


def head_of_the_one_chain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.filter(chain=0).update(chain=1)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chainhead_prev_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_event_unique_seq_per_chain"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["chain", "seq"], "verbose_name": "审计事件 Audit event",
                     "verbose_name_plural": "审计事件 Audit events"},
        ),
        migrations.RemoveField(
            model_name="auditchainhead",
            name="prev_hash",
        ),
        migrations.AlterField(
            model_name="auditchainhead",
            name="id",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
        migrations.RenameField(
            model_name="auditchainhead",
            old_name="id",
            new_name="chain",
        ),
        migrations.AlterField(
            model_name="auditchainhead",
            name="hash",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(head_of_chain_zero, head_of_the_one_chain),
    ]

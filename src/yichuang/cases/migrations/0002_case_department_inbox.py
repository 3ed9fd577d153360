"""Case.department: the handling department copied onto the case (backfilled from the matter), and the inbox
index (department, state, due date, …) plus a partial one of open cases for the default inbox."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Matter = apps.get_model("catalog", "Matter")
    Case.objects.filter(department__isnull=True).update(
        department_id=models.Subquery(Matter.objects.filter(pk=models.OuterRef("matter_id")).values("department_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0001_initial'),
        ('catalog', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='department',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='cases', to='accounts.department'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='case',
            name='department',
            field=models.ForeignKey(db_index=False, help_text="The matter's department, copied at receipt and again at forwarding, so that the back-office inbox reads one indexed column.", on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='accounts.department', verbose_name='办理部门 Handling department'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['department', 'state', 'due_date', 'received_at', 'id'], name='case_inbox_dept_state_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state__in', ('closed', 'withdrawn', 'not_accepted', 'draft')), _negated=True), fields=['department', 'due_date', 'received_at', 'id'], name='case_inbox_dept_open_due'),
        ),
    ]

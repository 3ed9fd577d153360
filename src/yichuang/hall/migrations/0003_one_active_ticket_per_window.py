from django.db import migrations, models


def close_extra_active(apps, schema_editor):
    """Before the constraint: if a window somehow holds several called/serving tickets, keep the latest."""
    Ticket = apps.get_model("hall", "Ticket")
    seen = set()
    for t in Ticket.objects.filter(state__in=["called", "serving"], window__isnull=False).order_by(
            "window_id", "-called_at", "-id"):
        if t.window_id in seen:
            Ticket.objects.filter(pk=t.pk).update(state="closed")
        seen.add(t.window_id)


class Migration(migrations.Migration):

    dependencies = [
        ('hall', '0002_encrypt_personal_numbers'),
    ]

    operations = [
        migrations.RunPython(close_extra_active, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='ticket',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['called', 'serving'])), fields=('window',), name='hall_one_active_ticket_per_window'),
        ),
    ]

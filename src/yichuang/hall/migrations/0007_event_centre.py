"""Each ticket event carries its ticket's centre, so that a display board reads its centre's latest calls from one
small partial index range (centre, time) of the call events instead of every call of the day in every centre."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_centre(apps, schema_editor):
    Ticket = apps.get_model("hall", "Ticket")
    TicketEvent = apps.get_model("hall", "TicketEvent")
    TicketEvent.objects.filter(centre__isnull=True).update(
        centre_id=Subquery(Ticket.objects.filter(pk=OuterRef("ticket_id")).values("centre_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("hall", "0006_drop_window_state_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketevent",
            name="centre",
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="accounts.centre"),
        ),
        migrations.RunPython(copy_centre, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="ticketevent",
            name="centre",
            field=models.ForeignKey(db_constraint=False, db_index=False,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="accounts.centre"),
        ),
        migrations.AddIndex(
            model_name="ticketevent",
            index=models.Index(condition=models.Q(("kind__in", ["called", "recalled"])), fields=["centre", "at"],
                               name="hall_event_centre_calls"),
        ),
    ]

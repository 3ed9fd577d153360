"""Ratings, rectifications and tickets now belong to feedback (``feedback.0001``): drop them from supervision's
state only. Their tables stay as they are and keep their names and rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0001_initial'),
        ('supervision', '0002_kpi_open_snapshot_and_hist_columns'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='rating',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='centre',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='clerk',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='department',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='followup_of',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='ticket',
                ),
                migrations.RemoveField(
                    model_name='rectification',
                    name='rating',
                ),
                migrations.RemoveField(
                    model_name='ratinginvite',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='rectification',
                    name='centre',
                ),
                migrations.RemoveField(
                    model_name='rectification',
                    name='department',
                ),
                migrations.DeleteModel(
                    name='Complaint',
                ),
                migrations.DeleteModel(
                    name='Rating',
                ),
                migrations.DeleteModel(
                    name='RatingInvite',
                ),
                migrations.DeleteModel(
                    name='Rectification',
                ),
            ],
        ),
    ]

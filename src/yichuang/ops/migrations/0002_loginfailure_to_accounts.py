# LoginFailure now belongs to accounts (accounts 0003 takes it over in the state); the table stays where it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("ops", "0001_initial"),
        ("accounts", "0003_loginfailure_from_ops"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LoginFailure")],
            database_operations=[],
        ),
    ]

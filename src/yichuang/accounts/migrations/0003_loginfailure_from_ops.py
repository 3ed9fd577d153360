# The login lockout's LoginFailure moves from the ops app to accounts (the login is an accounts matter, and
# accounts may not import ops). Django's way of moving a model between apps: SeparateDatabaseAndState, in the
# state only; the table (ops_loginfailure), its rows and its index stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_encrypt_personal_numbers"),
        ("ops", "0001_initial"),  # the table was created there
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LoginFailure",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("username", models.CharField(max_length=150)),
                        ("ip", models.CharField(max_length=45)),
                        ("at", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "verbose_name": "登录失败 Login failure",
                        "verbose_name_plural": "登录失败 Login failures",
                        "db_table": "ops_loginfailure",
                        "indexes": [models.Index(fields=["username", "ip", "at"], name="ops_loginfail_user_ip_at")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""Ratings (好差评), rectifications (差评整改) and tickets (办不成事 / 热线工单) move from supervision to feedback.

Django's documented way to move a model between apps: the models are created in feedback's *state* only, keeping
their tables (``supervision_rating`` …, set by ``db_table``), and ``supervision.0003`` drops them from supervision's
state. No table, column, index or row is touched, on a new database or on one that already holds data."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0001_initial'),
        ('catalog', '0001_initial'),
        ('hall', '0001_initial'),
        ('supervision', '0002_kpi_open_snapshot_and_hist_columns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Complaint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=32, unique=True)),
                        ('kind', models.CharField(choices=[('consult', '咨询'), ('help', '求助'), ('complaint', '投诉')], max_length=10)),
                        ('channel', models.CharField(choices=[('window', '办不成事反映窗口'), ('hotline', '热线电话'), ('online', '网上'), ('letter', '来信')], max_length=10)),
                        ('content', models.TextField()),
                        ('name', models.CharField(blank=True, max_length=60)),
                        ('phone', models.CharField(blank=True, max_length=20)),
                        ('case_number', models.CharField(blank=True, max_length=32)),
                        ('state', models.CharField(choices=[('open', '待处理'), ('resolved', '已办结')], default='open', max_length=10)),
                        ('opened_on', models.DateField()),
                        ('due', models.DateField()),
                        ('resolution', models.TextField(blank=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('satisfaction', models.PositiveSmallIntegerField(blank=True, choices=[(5, '非常满意'), (4, '满意'), (3, '基本满意'), (2, '不满意'), (1, '非常不满意')], null=True)),
                        ('escalated_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.centre')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.department')),
                        ('matter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.matter')),
                    ],
                    options={
                        'db_table': 'supervision_complaint',
                        'ordering': ['state', 'due', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Rating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('offline', '线下（窗口）'), ('online', '线上')], max_length=10)),
                        ('level', models.PositiveSmallIntegerField(choices=[(5, '非常满意'), (4, '满意'), (3, '基本满意'), (2, '不满意'), (1, '非常不满意')])),
                        ('indicators', models.JSONField(blank=True, default=dict)),
                        ('comment', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField()),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='cases.case')),
                        ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.centre')),
                        ('clerk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.department')),
                        ('ticket', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='hall.ticket')),
                    ],
                    options={
                        'db_table': 'supervision_rating',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='RatingInvite',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('invited_at', models.DateTimeField()),
                        ('reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='rating_invite', to='cases.case')),
                    ],
                    options={
                        'db_table': 'supervision_ratinginvite',
                    },
                ),
                migrations.CreateModel(
                    name='Rectification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('open', '待回访'), ('called_back', '已回访，整改中'), ('replied', '已整改答复，待复评'), ('closed', '已办结')], default='open', max_length=12)),
                        ('opened_on', models.DateField()),
                        ('callback_due', models.DateField()),
                        ('due', models.DateField()),
                        ('called_back_at', models.DateTimeField(blank=True, null=True)),
                        ('callback_note', models.TextField(blank=True)),
                        ('reply', models.TextField(blank=True)),
                        ('replied_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('escalated_at', models.DateTimeField(blank=True, null=True)),
                        ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.centre')),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.department')),
                        ('rating', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='rectification', to='feedback.rating')),
                    ],
                    options={
                        'db_table': 'supervision_rectification',
                        'ordering': ['due', 'id'],
                    },
                ),
                migrations.AddField(
                    model_name='rating',
                    name='followup_of',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='followups', to='feedback.rectification'),
                ),
                migrations.AddIndex(
                    model_name='rating',
                    index=models.Index(fields=['centre', 'created_at'], name='rating_centre_at'),
                ),
            ],
        ),
    ]

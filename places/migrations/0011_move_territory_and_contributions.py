"""The territory's and the contributions' models now belong to their own apps (territory,
contributions): state only, every row stays."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0010_repair_slugs_and_verification_dates'),
        ('territory', '0001_initial'),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='commune',
                    name='epci',
                ),
                migrations.AlterField(
                    model_name='stop',
                    name='commune',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='stops', to='territory.commune', verbose_name='commune'),
                ),
                migrations.AlterField(
                    model_name='place',
                    name='commune',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='places', to='territory.commune', verbose_name='commune'),
                ),
                migrations.RemoveField(
                    model_name='formercommune',
                    name='commune',
                ),
                migrations.AlterField(
                    model_name='historicalstop',
                    name='commune',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.commune', verbose_name='commune'),
                ),
                migrations.AlterField(
                    model_name='historicalplace',
                    name='commune',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.commune', verbose_name='commune'),
                ),
                migrations.RemoveField(
                    model_name='contribution',
                    name='handled_by',
                ),
                migrations.RemoveField(
                    model_name='contribution',
                    name='place',
                ),
                migrations.DeleteModel(
                    name='RateLimitHit',
                ),
                migrations.DeleteModel(
                    name='Epci',
                ),
                migrations.DeleteModel(
                    name='FormerCommune',
                ),
                migrations.DeleteModel(
                    name='Commune',
                ),
                migrations.DeleteModel(
                    name='Contribution',
                ),
            ],
            database_operations=[],
        ),
    ]

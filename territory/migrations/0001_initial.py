"""The territory's models, moved from places with their rows: state only (see 0002)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('places', '0010_repair_slugs_and_verification_dates'),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Epci',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='modifié le')),
                        ('siren', models.CharField(max_length=9, unique=True, validators=[django.core.validators.RegexValidator('^\\d{9}$', 'Un SIREN compte 9 chiffres.')], verbose_name='SIREN')),
                        ('name', models.CharField(max_length=150, verbose_name='nom')),
                    ],
                    options={
                        'db_table': 'places_epci',
                        'verbose_name': 'communauté de communes',
                        'verbose_name_plural': 'communautés de communes',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Commune',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='modifié le')),
                        ('insee', models.CharField(max_length=5, unique=True, validators=[django.core.validators.RegexValidator('^\\d[0-9AB]\\d{3}$', 'Un code INSEE compte 5 caractères.')], verbose_name='code INSEE')),
                        ('name', models.CharField(max_length=150, verbose_name='nom')),
                        ('postcodes', models.CharField(blank=True, help_text='Séparés par « | ».', max_length=100, verbose_name='codes postaux')),
                        ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='population légale')),
                        ('townhall_latitude', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude de la mairie')),
                        ('townhall_longitude', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude de la mairie')),
                        ('epci', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='communes', to='territory.epci', verbose_name='communauté de communes')),
                    ],
                    options={
                        'db_table': 'places_commune',
                        'verbose_name': 'commune',
                        'verbose_name_plural': 'communes',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='FormerCommune',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='modifié le')),
                        ('insee', models.CharField(max_length=5, unique=True, validators=[django.core.validators.RegexValidator('^\\d[0-9AB]\\d{3}$', 'Un code INSEE compte 5 caractères.')], verbose_name='code INSEE')),
                        ('name', models.CharField(max_length=150, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('COMD', 'commune déléguée'), ('COMA', 'commune associée')], max_length=4, verbose_name='nature')),
                        ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='former_communes', to='territory.commune', verbose_name='commune actuelle')),
                    ],
                    options={
                        'db_table': 'places_formercommune',
                        'verbose_name': 'ancienne commune',
                        'verbose_name_plural': 'anciennes communes',
                        'ordering': ['name'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""The contributions' models, moved from places with their rows: state only (see 0002)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('places', '0011_move_territory_and_contributions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Contribution',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('suggestion', 'suggestion de lieu'), ('error', "signalement d'erreur")], max_length=12, verbose_name='nature')),
                        ('status', models.CharField(choices=[('pending', 'à traiter'), ('accepted', 'acceptée'), ('rejected', 'refusée')], default='pending', max_length=10, verbose_name='état')),
                        ('place_name', models.CharField(blank=True, max_length=200, verbose_name='nom du lieu')),
                        ('commune_name', models.CharField(blank=True, max_length=150, verbose_name='commune')),
                        ('website', models.URLField(blank=True, verbose_name='site web')),
                        ('message', models.TextField(verbose_name='message')),
                        ('contact_email', models.EmailField(blank=True, help_text='Jamais publié ; sert seulement à répondre.', max_length=254, verbose_name='courriel de contact')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='reçue le')),
                        ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='traitée le')),
                        ('rejection_reason', models.TextField(blank=True, verbose_name='motif du refus')),
                        ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='traitée par')),
                        ('place', models.ForeignKey(blank=True, help_text='Le lieu signalé, ou celui créé à partir de la suggestion.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='contributions', to='places.place', verbose_name='lieu')),
                    ],
                    options={
                        'db_table': 'places_contribution',
                        'verbose_name': 'contribution du public',
                        'verbose_name_plural': 'contributions du public',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='RateLimitHit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=120, verbose_name='action et auteur')),
                        ('expires_at', models.DateTimeField(db_index=True, verbose_name="compte jusqu'au")),
                    ],
                    options={
                        'db_table': 'places_ratelimithit',
                        'verbose_name': 'action comptée',
                        'verbose_name_plural': 'actions comptées',
                        'indexes': [models.Index(fields=['key', 'expires_at'], name='ratelimit_key_expiry')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""Reminders sent to animateurs: when, about which place, whether and by whom answered."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('places', '0015_place_review_cadence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyé le')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='répondu le')),
                ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='coordination prévenue le')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='répondu par')),
                ('place', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='places.place', verbose_name='lieu')),
            ],
            options={
                'verbose_name': 'rappel',
                'verbose_name_plural': 'rappels',
                'ordering': ['place', 'sent_at'],
                'indexes': [models.Index(fields=['place', 'answered_at'], name='reminder_place_answered')],
            },
        ),
    ]

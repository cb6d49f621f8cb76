"""Each place's reminder cadence (3, 6 or 12 months, 12 by default: the former 365 days)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0014_animateur_consent"),
        ("territory", "0003_merged_communes_population_year_position_source"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalplace",
            name="review_months",
            field=models.PositiveSmallIntegerField(
                choices=[(3, "tous les 3 mois"), (6, "tous les 6 mois"), (12, "tous les 12 mois")],
                default=12,
                help_text="Solozère demande aux animateurs, à ce rythme, de confirmer que la page du lieu est toujours exacte.",
                verbose_name="rythme des rappels",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="review_months",
            field=models.PositiveSmallIntegerField(
                choices=[(3, "tous les 3 mois"), (6, "tous les 6 mois"), (12, "tous les 12 mois")],
                default=12,
                help_text="Solozère demande aux animateurs, à ce rythme, de confirmer que la page du lieu est toujours exacte.",
                verbose_name="rythme des rappels",
            ),
        ),
        migrations.AddConstraint(
            model_name="place",
            constraint=models.CheckConstraint(
                condition=models.Q(("review_months__in", [3, 6, 12])),
                name="place_review_months_is_a_cadence",
            ),
        ),
    ]

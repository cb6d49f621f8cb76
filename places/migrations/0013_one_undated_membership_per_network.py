"""One undated membership per place and network.

Two undated memberships of one place in one network had the same natural key (place, network,
None): an export named either, and loading it back failed or merged them. Copies that say the same
thing (same tier, same end) are removed, keeping the oldest row; copies that differ are two facts
only a coordinator can reconcile, so the migration stops and names them rather than drop one.
"""

from django.db import migrations, models


def remove_undated_copies(apps, schema_editor):
    Membership = apps.get_model("places", "Membership")
    undated = Membership.objects.filter(start_year__isnull=True).order_by("pk")
    kept, conflicts = {}, []
    for membership in undated.select_related("place", "network"):
        key = (membership.place_id, membership.network_id)
        first = kept.setdefault(key, membership)
        if first is membership:
            continue
        if (first.tier_id, first.end_year) == (membership.tier_id, membership.end_year):
            membership.delete()
        else:
            conflicts.append(f"{membership.place.slug} / {membership.network.code}")
    if conflicts:
        raise RuntimeError(
            "Adhésions sans année d'entrée en double, qui diffèrent (niveau ou année de sortie) : "
            f"{', '.join(sorted(set(conflicts)))}. Indiquez l'année d'entrée de l'une d'elles, "
            "ou supprimez celle de trop, puis relancez « manage.py migrate »."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0012_place_sources"),
    ]

    operations = [
        migrations.RunPython(remove_undated_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("start_year__isnull", True)),
                fields=("place", "network"),
                name="unique_undated_membership",
                violation_error_message=(
                    "Ce lieu a déjà une adhésion à ce réseau sans année d'entrée : indiquez "
                    "l'année d'entrée de l'une des deux."
                ),
            ),
        ),
    ]

"""Repair what validation now refuses, so that saving any existing place keeps working.

- A place whose address identifier is not a slug (an import once saved « nouveau lieu é ») breaks
  every page that links to it: it gets one made from it, or from the place's name.
- A « dernière vérification » ahead of today silenced the reminders: it is forgotten, so the
  reminders ask the place to confirm its information again.
"""

import re

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}\Z")


def repair_slugs(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    taken = set(Place.objects.values_list("slug", flat=True))
    for pk, slug, name in Place.objects.order_by("pk").values_list("pk", "slug", "name"):
        if SLUG.match(slug):
            continue
        base = (slugify(slug) or slugify(name) or "lieu")[:190]
        new, suffix = base, 2
        while new in taken:
            new, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(new)
        Place.objects.filter(pk=pk).update(slug=new, updated_at=timezone.now())


def forget_future_verifications(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    later = Place.objects.filter(verified_on__gt=timezone.localdate())
    later.update(verified_on=None, updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0009_rate_limits_and_verification_date"),
    ]

    operations = [
        migrations.RunPython(repair_slugs, migrations.RunPython.noop),
        migrations.RunPython(forget_future_verifications, migrations.RunPython.noop),
    ]

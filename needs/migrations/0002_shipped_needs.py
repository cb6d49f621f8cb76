"""The needs issue 19 names, each a search of the shipped catalogue (fixtures/reference.json):
tests/needs/test_shipped.py checks every one against the directory's PlaceFilter."""

from django.db import migrations

NEEDS = [
    # code, French, English, pictogram, search
    (
        "demarche-en-ligne",
        "Faire une démarche en ligne",
        "Do my paperwork online",
        "file-text",
        "service=admin-help",
    ),
    ("bureau", "Un bureau pour la journée", "A desk for the day", "desk", "service=shared-desks"),
    (
        "reunion-visio",
        "Une salle de réunion ou de visio",
        "A meeting or video-call room",
        "video",
        "service=meeting-room&service=videoconference",
    ),
    (
        "numerique",
        "Me former au numérique",
        "Learn digital skills",
        "device-laptop",
        "service=digital-help",
    ),
    (
        "independants",
        "Rencontrer d'autres indépendants",
        "Meet other freelancers",
        "users-group",
        "audience=freelancers",
    ),
    ("jeunes", "Un lieu pour les jeunes", "A place for young people", "mood-kid", "audience=young-people"),
    ("fabriquer-reparer", "Fabriquer, réparer", "Make and repair", "tools", "family=makers"),
    ("acheter-local", "Acheter local", "Buy local", "basket", "service=local-products"),
]


def ship(apps, schema_editor):
    Need = apps.get_model("needs", "Need")
    for position, (code, french, english, pictogram, query) in enumerate(NEEDS, start=1):
        Need.objects.update_or_create(
            code=code,
            defaults={
                "label_fr": french,
                "label_en": english,
                "pictogram": pictogram,
                "query": query,
                "position": position,
                "active": True,
            },
        )


def unship(apps, schema_editor):
    apps.get_model("needs", "Need").objects.filter(code__in=[need[0] for need in NEEDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_needs")]

    operations = [migrations.RunPython(ship, unship)]

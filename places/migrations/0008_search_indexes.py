"""Search: trigram indexes on PostgreSQL (SQLite scans), and every place's words made once."""

from django.db import migrations

INDEXES = [
    ("place_search_text_trgm", "places_place", "search_text"),
    ("searchword_word_trgm", "places_searchword", "word"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill_search_text(apps, schema_editor):
    """The words of the places already there and of the vocabulary, made as the application
    makes them (places.models.search)."""
    from django.db.models import Prefetch

    from places import search
    from places.models.search import texts_of, vocabulary

    Place = apps.get_model("places", "Place")
    SearchWord = apps.get_model("places", "SearchWord")
    Membership = apps.get_model("places", "Membership")
    current = Membership.objects.filter(end_year__isnull=True).select_related("network")
    places = Place.objects.select_related("commune").prefetch_related(
        "services",
        "types",
        "audiences",
        "families",
        "commune__former_communes",
        "stops__commune",
        Prefetch("memberships", queryset=current),
    )
    texts = []
    for place in places:
        main, other = texts_of(place)
        place.search_main = search.stored(*main)
        place.search_text = search.stored(*main, *other)
        place.save(update_fields=["search_main", "search_text"])
        texts += [*main, *other]
    for name in ("Service", "PlaceType", "Audience", "Family", "Network"):
        texts += [text for option in apps.get_model("places", name).objects.all() for text in vocabulary(option)]
    for name in ("Commune", "FormerCommune"):
        texts += apps.get_model("places", name).objects.values_list("name", flat=True)
    forms = {}
    for text in texts:
        for written, compared in search.tokens(text):
            forms.setdefault(compared, written)
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, form=form[:60]) for word, form in forms.items() if len(word) <= 60],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0007_search_and_freshness")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]

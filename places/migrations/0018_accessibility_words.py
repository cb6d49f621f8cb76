"""The words accessible places are found by (places.models.search.ACCESSIBLE_WORDS), in the
directory's vocabulary of an existing database, so that « mobilité réduite » is no longer read as
« mobilier »; and, in the words of places already said accessible or described as such, those
words and their accessibility note."""

from django.db import migrations

# As in places.models.search when this migration was written.
WORDS = (
    "accessible",
    "mobilité réduite",
    "PMR",
    "fauteuil roulant",
    "wheelchair accessible",
    "reduced mobility",
)
MAX_WORD_LENGTH = 60


def remember_words(apps, schema_editor):
    from places.search import stored, tokens

    SearchWord = apps.get_model("places", "SearchWord")
    Place = apps.get_model("places", "Place")
    forms = {}
    for text in WORDS:
        for written, compared in tokens(text):
            forms.setdefault(compared, written[:MAX_WORD_LENGTH])
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, form=form) for word, form in forms.items()],
        ignore_conflicts=True,
    )
    places = Place.objects.filter(accessibility__in=["yes", "partial"]) | Place.objects.exclude(
        accessibility_note=""
    )
    for place in places.only("pk", "search_text", "accessibility", "accessibility_note"):
        accessible = WORDS if place.accessibility in {"yes", "partial"} else ()
        text = stored(place.search_text, *accessible, place.accessibility_note)
        Place.objects.filter(pk=place.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0017_photo_room"),
    ]

    operations = [
        migrations.RunPython(remember_words, migrations.RunPython.noop),
    ]

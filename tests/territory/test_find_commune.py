"""« Près de » a commune as people type it: old names, postcodes, abbreviations, the start of a
name, a slip of the fingers; and, when nothing fits, the nearest names rather than a dead end."""

import pytest

from territory.fields import comparable, look_up_commune, unknown_commune_message
from territory.models import FormerCommune
from tests.factories import CommuneFactory, FormerCommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(db):
    """A few communes as Lozère has them: a commune nouvelle and its former communes, two
    names sharing a start, a postcode shared by several communes."""
    made = {
        "florac": CommuneFactory(
            insee="48061", name="Florac Trois Rivières", postcodes="48400", population=2100
        ),
        "bedoues": CommuneFactory(
            insee="48050", name="Bédouès-Cocurès", postcodes="48400", population=457
        ),
        "chely": CommuneFactory(
            insee="48140", name="Saint-Chély-d'Apcher", postcodes="48200", population=3955
        ),
        "mas": CommuneFactory(insee="48141", name="Mas-Saint-Chély", postcodes="48210"),
        "gorges": CommuneFactory(
            insee="48146", name="Gorges du Tarn Causses", postcodes="48210|48320"
        ),
        "mende": CommuneFactory(insee="48095", name="Mende", postcodes="48000", population=12464),
        "marvejols": CommuneFactory(insee="48092", name="Marvejols", postcodes="48100"),
        "saint_germain_teil": CommuneFactory(insee="48156", name="Saint-Germain-du-Teil"),
        "saint_germain_calberte": CommuneFactory(insee="48155", name="Saint-Germain-de-Calberte"),
    }
    for insee, name, kind, parent in [
        ("48061", "Florac", FormerCommune.Kind.MERGED, "florac"),
        ("48186", "La Salle-Prunet", FormerCommune.Kind.MERGED, "florac"),
        ("48022", "Bédouès", FormerCommune.Kind.MERGED, "bedoues"),
        ("48146", "Sainte-Enimie", FormerCommune.Kind.DELEGATED, "gorges"),
    ]:
        FormerCommuneFactory(insee=insee, name=name, kind=kind, commune=made[parent])
    return made


def found(text):
    lookup = look_up_commune(text)
    return lookup.commune.name if lookup.commune else None


@pytest.mark.parametrize(
    ("typed", "commune", "label"),
    [
        ("Florac", "Florac Trois Rivières", "Florac (Florac Trois Rivières)"),
        ("la salle prunet", "Florac Trois Rivières", "La Salle-Prunet (Florac Trois Rivières)"),
        ("Ste Enimie", "Gorges du Tarn Causses", "Sainte-Enimie (Gorges du Tarn Causses)"),
        ("St Chely", "Saint-Chély-d'Apcher", "Saint-Chély-d'Apcher"),
        ("ST-CHÉLY-D’APCHER", "Saint-Chély-d'Apcher", "Saint-Chély-d'Apcher"),
        ("48140", "Saint-Chély-d'Apcher", "Saint-Chély-d'Apcher"),
        ("48000", "Mende", "Mende (48000)"),
        ("Marvej", "Marvejols", "Marvejols"),
    ],
)
def test_a_commune_is_found_however_people_name_it(communes, typed, commune, label):
    """A former commune (Florac is a sous-préfecture), abbreviations, an INSEE code, a postcode
    and the start of a name all lead to the current commune, and the label says what was
    understood."""
    lookup = look_up_commune(typed)
    assert (lookup.commune.name, lookup.label) == (commune, label)


def test_a_shared_postcode_designates_its_most_populous_commune(communes):
    """48400 is Florac's and Bédouès-Cocurès': the post office's town, the larger."""
    lookup = look_up_commune("48400")
    assert (lookup.commune, lookup.label) == (communes["florac"], "Florac Trois Rivières (48400)")
    assert found("48210") == "Gorges du Tarn Causses"  # population 500 each: the name decides


@pytest.mark.parametrize(
    ("typed", "commune"),
    [
        ("Mnede", "Mende"),  # two letters swapped
        ("Nende", "Mende"),  # the first letter changed
        ("Marvjols", "Marvejols"),  # a letter dropped
        ("Marvejolls", "Marvejols"),  # a letter added
        ("Florak", "Florac Trois Rivières"),  # a former name, one letter changed
    ],
)
def test_one_slip_of_the_fingers_is_forgiven(communes, typed, commune):
    """« Près de » forgives one letter dropped, added, changed or two swapped in a commune's
    name."""
    assert found(typed) == commune


def test_what_designates_several_communes_offers_them_instead(communes):
    """« Saint Germain » starts two communes' names: neither is chosen, both are offered."""
    lookup = look_up_commune("St Germain")
    assert lookup.commune is None
    assert [label for label, _name in lookup.suggestions[:2]] == [
        "Saint-Germain-de-Calberte",
        "Saint-Germain-du-Teil",
    ]


def test_a_start_or_a_slip_too_short_to_mean_anything_is_not_taken(communes):
    """Two or three letters are too few to be read as a name's start or a slip: no commune is
    guessed."""
    assert found("Ma") is None  # « Marvejols » or « Mas-Saint-Chély »?
    assert found("Mde") is None  # three letters: too short for a slip


def test_a_current_name_wins_over_a_former_name_of_another_commune(communes):
    """When a current commune and another's former commune share a name, the current one is
    meant."""
    FormerCommuneFactory(insee="48999", name="Mende", commune=communes["marvejols"])
    assert found("Mende") == "Mende"


def test_an_unknown_name_gets_the_nearest_names(communes):
    """An unknown name is answered with the nearest communes' names to choose from."""
    lookup = look_up_commune("Flaurac")
    assert lookup.commune is None
    assert lookup.suggestions[0] == ("Florac (Florac Trois Rivières)", "Florac")
    message = unknown_commune_message("Flaurac", lookup.suggestions)
    assert message.startswith("Commune inconnue : « Flaurac ». Vouliez-vous dire « Florac (")
    assert message.endswith(" ?")


def test_a_name_like_no_commune_is_asked_to_be_checked(communes):
    """A name near no commune at all is asked to be checked, with no suggestion."""
    lookup = look_up_commune("Xyzzy")
    assert (lookup.commune, lookup.suggestions) == (None, [])
    assert unknown_commune_message("Xyzzy", []) == (
        "Commune inconnue : « Xyzzy ». Vérifiez l'orthographe."
    )


def test_several_suggestions_read_as_a_french_list():
    """Several suggestions read as a French sentence (« A, B ou C »)."""
    message = unknown_commune_message("X", [("A", "A"), ("B", "B"), ("C", "C")])
    assert message == "Commune inconnue : « X ». Vouliez-vous dire « A », « B » ou « C » ?"


def test_names_compare_without_accents_punctuation_or_abbreviations():
    """Names compare without accents, hyphens, apostrophes or « St »/« Ste » abbreviations."""
    assert comparable("Saint-Chély-d'Apcher") == comparable("st chely d apcher")
    assert comparable("Sainte-Enimie") == comparable("STE. ENIMIE")

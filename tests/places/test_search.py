"""Free-text search, as people type: without accents, in any case, with old commune names."""

import pytest

from places.filters import PlaceFilter
from places.models import Place
from territory.text import one_slip_apart
from tests.factories import PlaceFactory, PlaceTypeFactory, ServiceFactory, lozere_commune

pytestmark = pytest.mark.django_db


def found(text):
    """The places a search for `text` finds, places in project included (when asked for)."""
    places = PlaceFilter({"q": text, "include_projects": True}, queryset=Place.objects.all())
    assert places.is_valid(), places.errors
    return {place.slug for place in places.qs}


@pytest.fixture
def directory():
    """A few places in real communes (some with former communes), described in both languages."""
    wifi = ServiceFactory(
        code="wifi", label_fr="Wi-Fi", label_en="Wi-Fi", synonyms="wifi, internet"
    )
    help_desk = ServiceFactory(
        code="admin-help",
        label_fr="Aide aux démarches administratives",
        label_en="Help with administrative procedures",
    )
    france_services = PlaceTypeFactory(code="france-services", label_fr="France Services")
    fablab = PlaceTypeFactory(
        code="fablab", label_fr="Fablab / atelier de fabrication", label_en="Fablab / makerspace"
    )
    telecentre = PlaceTypeFactory(code="telecentre", label_fr="Télécentre", label_en="Telecentre")
    return {
        "services": PlaceFactory(
            name="Maison des services",
            commune=lozere_commune("48092"),  # Marvejols
            types=[france_services],
            services=[help_desk, wifi],
        ),
        "telecentre": PlaceFactory(
            name="L'Appart",
            commune=lozere_commune("48140"),  # Saint-Chély-d'Apcher
            types=[telecentre],
            services=[wifi],
        ),
        "makers": PlaceFactory(
            name="Collectif de la forge", commune=lozere_commune("48061"), types=[fablab]
        ),
        "rucher": PlaceFactory(name="Le Rucher", commune=lozere_commune("48099")),
        "project": PlaceFactory(
            name="Projet de coworking",
            commune=lozere_commune("48127"),
            status=Place.Status.PROJECT,
        ),
    }


@pytest.mark.parametrize("text", ["Saint-Chély", "saint chely", "SAINT-CHÉLY", "chely"])
def test_search_ignores_accents_and_case(directory, text):
    """« saint chely » typed without accents or capitals finds what is in Saint-Chély-d'Apcher."""
    assert found(text) == {directory["telecentre"].slug}


def test_search_finds_places_by_an_old_commune_name(directory):
    """People still say « Le Monastier » or « Saint-Amans »: the old names find the places in the
    communes that absorbed them."""
    assert found("Le Monastier") == {directory["rucher"].slug}
    assert found("saint amans") == {directory["project"].slug}


def test_search_reads_services_and_types_in_both_languages(directory):
    """A place is found by what it offers and what it is, named in French or in English."""
    assert found("démarches administratives") == {directory["services"].slug}
    assert found("administrative procedures") == {directory["services"].slug}
    assert found("fablab") == {directory["makers"].slug}
    assert found("makerspace") == {directory["makers"].slug}


def test_every_word_must_match(directory):
    """Each word narrows the search: a place must match them all."""
    assert found("France Services Marvejols") == {directory["services"].slug}
    assert found("wifi") == {directory["services"].slug, directory["telecentre"].slug}
    assert found("wifi Marvejols") == {directory["services"].slug}
    assert found("Marvejols fablab") == set()


def test_search_tolerates_a_small_typo(directory):
    """A slip of the fingers (a letter dropped, swapped) or an unfinished word still finds."""
    assert directory["services"].slug in found("Marvjols")
    assert directory["services"].slug in found("Marvejlos")
    assert directory["telecentre"].slug in found("telecentr")
    assert directory["services"].slug in found("démarhces administratives")


def test_a_typo_tolerates_one_slip_not_another_word(directory):
    """A word far from every word of the directory finds nothing, rather than something else; a
    word of three letters is searched only as written."""
    assert found("Marseille") == set()
    assert found("wifi") == {directory["services"].slug, directory["telecentre"].slug}
    assert found("wif") == set()  # three letters: found as written only


@pytest.mark.parametrize(
    ("typed", "word", "slip"),
    [
        ("demarhce", "demarche", True),  # two neighbours swapped
        ("marvjol", "marvejol", True),  # a letter dropped
        ("marvejoll", "marvejol", True),  # a letter added
        ("mande", "mende", True),  # a letter changed
        ("mende", "mende", False),  # no slip at all
        ("initiation", "initiative", False),  # two letters changed: another word
        ("paysanne", "paysan", False),
        ("abcd", "badc", False),  # two swaps
    ],
)
def test_one_slip_apart_is_a_single_slip_of_the_fingers(typed, word, slip):
    """A swap inside a word breaks trigrams enough to fall under the near-miss threshold
    (« démarhces »): such a word is still taken, when one slip away and no further."""
    assert one_slip_apart(typed, word) is slip
    assert one_slip_apart(word, typed) is slip


def test_search_text_is_never_interpreted(directory):
    """SQL or LIKE wildcards are searched for literally."""
    assert found("%") == set()
    assert found("_") == set()
    assert found("' OR 1=1 --") == set()


def test_accessibility_words_are_never_taken_for_near_ones():
    """« mobilité réduite » is the directory's own words even when no place is accessible: it is
    never read as « mobilier » (one letter away) and finds nothing rather than furniture; once a
    place is said partly accessible, it finds that place, by its note too."""
    furniture = PlaceFactory(name="Atelier du mobilier")
    places = PlaceFilter({"q": "mobilité réduite"}, queryset=Place.objects.all())
    assert places.is_valid() and places.search.corrections == []
    assert found("mobilité réduite") == set() and found("mobilier") == {furniture.slug}

    furniture.accessibility = Place.Accessibility.PARTIAL
    furniture.accessibility_note = "Rampe côté parking"
    furniture.save()
    assert found("mobilité réduite") == found("PMR") == found("rampe") == {furniture.slug}


def test_a_card_says_whether_the_place_is_accessible(client):
    """Found by « PMR », a place's card says how accessible it is; a place whose accessibility
    nobody gave says nothing of it."""
    PlaceFactory(name="Atelier accessible", accessibility=Place.Accessibility.YES)
    PlaceFactory(name="Atelier en partie", accessibility=Place.Accessibility.PARTIAL)
    PlaceFactory(name="Atelier inconnu")
    page = client.get("/", {"q": "PMR"}).content.decode()
    assert "Atelier accessible" in page and "Atelier en partie" in page
    assert "Atelier inconnu" not in page
    assert page.count(">Accessible PMR<") == 1 and page.count(">Partiellement accessible PMR<") == 1

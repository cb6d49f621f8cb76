"""Search finds what people mean, best first: what the ten personas of the « Softplace »
workshop report (§ 3.1: Basile, Marie, Catherine, Jean, Gérard, Roald, Dan, Marie-Louise, Justine
and Luc) would type in the search box, each query with the places it must list, those it must not,
and sometimes those it must list first.

The places are made up, but built the way real ones are: a France Services, a café, a fablab, a
coworking, a youth space, a producers' shop whose name looks like « démarches », a place that
merely mentions a word in its description, a closed one… The vocabulary they are described with
(services, types and publics, with their labels and synonyms) is the one the site ships in
fixtures/reference.json: these cases guard the synonyms coordinators start from, the stop words,
the near misses and the ranking (a match in a place's name or in what it offers comes before one
in its description). A change of vocabulary or engine that breaks one of them breaks what someone
actually looks for.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from places.filters import PlaceFilter
from places.models import Audience, Family, Place, PlaceType, Service
from places.search import words
from tests.factories import CommuneFactory, FormerCommuneFactory, PlaceFactory, StopFactory

pytestmark = pytest.mark.django_db

COMMUNES = {
    "Mende": [],
    "Marvejols": [],
    "Florac Trois Rivières": ["Florac", "La Salle-Prunet"],
    "Saint-Chély-d'Apcher": [],
    "Villefort": [],
    "Langogne": [],
    "Gorges du Tarn Causses": ["Sainte-Enimie", "Quézac"],
}

FRANCE_SERVICES = "france-services-du-gevaudan"
CAFE = "cafe-du-foirail"
FABLAB = "la-forge-numerique"
COWORKING = "le-carre-des-independants"
YOUTH = "l-escale"
SHOP = "les-trois-arches"
MENTIONS_COWORKING = "la-grange-du-mas-neuf"
TELECENTRE = "l-appart-numerique"
BUS = "le-bus-des-services"
RECYCLERIE = "recyclerie-du-causse"
GITE = "le-mas-des-cades"
STUDIES = "pole-d-etudes-du-gevaudan"
BAR = "le-zinc"
NURSERY = "pepiniere-granit"
CLOSED = "ancien-coworking-de-langogne"
PROJECT = "projet-de-coworking-a-villefort"

# What each place is, said with the shipped vocabulary's codes.
PLACES = {
    FRANCE_SERVICES: {
        "name": "Maison France Services du Gévaudan",
        "commune": "Marvejols",
        "types": ["france-services"],
        "services": ["admin-help", "digital-help", "public-computers", "printing", "wifi"],
        "audiences": ["everyone", "seniors", "job-seekers"],
        "short_description": "Un accueil pour vos démarches et vos questions numériques.",
        "description": "Des conseillers vous reçoivent avec ou sans rendez-vous.",
    },
    CAFE: {
        "name": "Café du Foirail",
        "commune": "Mende",
        "types": ["cafe"],
        "services": ["cafe", "wifi"],
        "audiences": ["everyone"],
        "description": "Un café de centre-ville, ouvert dès sept heures.",
    },
    FABLAB: {
        "name": "La Forge numérique",
        "commune": "Florac Trois Rivières",
        "types": ["fablab"],
        "services": ["fablab-machines", "workshop", "training"],
        "audiences": ["everyone", "craftspeople", "students"],
        "description": "Imprimantes 3D, découpe laser et établi ouverts le mercredi et le samedi.",
    },
    COWORKING: {
        "name": "Le Carré des indépendants",
        "commune": "Mende",
        "types": ["coworking"],
        "services": [
            "shared-desks",
            "videoconference",
            "meeting-room",
            "private-office",
            "very-high-speed",
            "wifi",
            "printing",
            "ergonomic",
        ],
        "audiences": ["freelancers", "mobile-workers", "entrepreneurs"],
        "description": "Des bureaux au mois ou à la journée, une machine à café et une terrasse.",
    },
    YOUTH: {
        "name": "L'Escale",
        "commune": "Mende",
        "types": ["youth-space"],
        "services": ["games", "cultural-programme", "wifi", "orientation"],
        "audiences": ["young-people"],
        "description": "Accueil libre des 12-25 ans après les cours, soirées jeux et concerts.",
    },
    SHOP: {
        "name": "Les Trois Arches",
        "commune": "Langogne",
        "types": ["producers-shop"],
        "services": ["local-products"],
        "audiences": ["everyone", "farmers"],
        "description": "Viande, fromages et miel de douze fermes des environs.",
    },
    MENTIONS_COWORKING: {
        "name": "La Grange du Mas Neuf",
        "commune": "Villefort",
        "types": ["cultural-place"],
        "services": ["cultural-programme", "associations"],
        "audiences": ["everyone", "associations"],
        "description": "Salle de spectacle et résidences d'artistes, qui travaillent au coworking "
        "voisin.",
    },
    TELECENTRE: {
        "name": "L'Appart numérique",
        "commune": "Saint-Chély-d'Apcher",
        "types": ["telecentre"],
        "services": [
            "shared-desks",
            "wifi",
            "very-high-speed",
            "quiet-space",
            "training",
            "digital-help",
            "associations",
        ],
        "audiences": ["seniors", "mobile-workers", "associations"],
        "description": "Des ateliers pour débuter avec une tablette ou un ordinateur, le mardi.",
        "accessibility": Place.Accessibility.YES,
    },
    BUS: {
        "name": "Le Bus des services",
        "commune": "Mende",
        "itinerant": True,
        "types": ["mobile"],
        "services": ["admin-help", "digital-help", "wifi"],
        "audiences": ["everyone"],
        "description": "Un camion aménagé qui sillonne la Lozère et vient au marché.",
        "stops": ["Villefort", "Langogne"],
    },
    RECYCLERIE: {
        "name": "Recyclerie du Causse",
        "commune": "Marvejols",
        "types": ["collective-initiative"],
        "services": ["workshop", "associations"],
        "audiences": ["everyone"],
        "description": "Repair café un samedi par mois : grille-pain, vélos, vêtements.",
    },
    GITE: {
        "name": "Le Mas des Cades",
        "commune": "Gorges du Tarn Causses",
        "types": ["tourism"],
        "services": ["accommodation", "shared-desks", "wifi", "quiet-space"],
        "audiences": ["tourists", "mobile-workers"],
        "description": "Chambres d'hôtes près du Tarn, avec une pièce pour travailler au calme.",
    },
    STUDIES: {
        "name": "Pôle d'études du Gévaudan",
        "commune": "Mende",
        "types": ["training-place"],
        "services": ["public-computers", "wifi", "quiet-space", "videoconference"],
        "audiences": ["students"],
        "description": "Des étudiants à distance y suivent leurs cours, accompagnés par un tuteur.",
    },
    BAR: {
        "name": "Le Zinc",
        "commune": "Mende",
        "types": ["cafe", "cultural-place"],
        "services": ["cafe", "cultural-programme", "games", "associations"],
        "audiences": ["young-people", "associations"],
        "description": "Bar associatif : concerts le vendredi, scène ouverte le dimanche.",
    },
    NURSERY: {
        "name": "Pépinière Granit",
        "commune": "Mende",
        "types": ["collective-building"],
        "services": [
            "entrepreneurship",
            "meeting-room",
            "private-office",
            "training",
            "very-high-speed",
        ],
        "audiences": ["entrepreneurs"],
        "description": "Des bureaux pour jeunes entreprises et une salle équipée pour la "
        "visioconférence.",
    },
    CLOSED: {
        "name": "Ancien coworking de Langogne",
        "commune": "Langogne",
        "status": Place.Status.CLOSED,
        "types": ["coworking"],
        "services": ["shared-desks", "wifi"],
    },
    PROJECT: {
        "name": "Projet de coworking à Villefort",
        "commune": "Villefort",
        "status": Place.Status.PROJECT,
        "types": ["coworking"],
        "services": ["shared-desks"],
    },
}


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The shipped vocabulary, and the made-up places described with it: made once for the
    module's tests (each runs inside its own savepoint), rolled back after the last one."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_directory()
        yield
        transaction.set_rollback(True)


def build_directory():
    call_command("loaddata", "reference", verbosity=0)
    communes = {}
    for name, former_names in COMMUNES.items():
        communes[name] = CommuneFactory(name=name)
        for former in former_names:
            FormerCommuneFactory(name=former, commune=communes[name])
    for slug, spec in PLACES.items():
        spec = dict(spec)
        stops = spec.pop("stops", [])
        services = Service.objects.filter(code__in=spec.pop("services"))
        place = PlaceFactory(
            slug=slug,
            commune=communes[spec.pop("commune")],
            types=PlaceType.objects.filter(code__in=spec.pop("types")),
            services=services,
            families=Family.objects.filter(services__in=services).distinct(),
            audiences=Audience.objects.filter(code__in=spec.pop("audiences", [])),
            **spec,
        )
        for position, commune in enumerate(stops):
            StopFactory(place=place, position=position, commune=communes[commune])


def search(text):
    """The slugs the directory lists for `text`, in the order it lists them, places in project
    included (as when the visitor asks for them): these cases are about words, not statuses."""
    places = PlaceFilter({"q": text, "include_projects": True}, queryset=Place.objects.published())
    assert places.is_valid(), places.errors
    return [place.slug for place in places.qs]


def case(persona, query, must=(), must_not=(), first=()):
    """What `persona` types, the places it must and must not list, and those it lists first (in
    any order: places that match as well are listed by name)."""
    return pytest.param(query, set(must), set(must_not), set(first), id=f"{persona}: {query}")


DESKS = {COWORKING, TELECENTRE, GITE, PROJECT}  # every place with shared desks listed

CASES = [
    # Basile, restaurateur: local products, the procedures to open, the tiers-truck.
    case("Basile", "produits locaux", must={SHOP}, first={SHOP}),
    case("Basile", "vente directe", must={SHOP}),
    case("Basile", "démarches administratives Villefort", must={BUS}, must_not={FRANCE_SERVICES}),
    case("Basile", "tiers-truck", must={BUS}),
    case("Basile", "création d'entreprise", must={NURSERY}, must_not={COWORKING}),
    # Marie, potter: cultural projects to show her work, a gîte.
    case("Marie", "exposition", must={MENTIONS_COWORKING, BAR, YOUTH}),
    case("Marie", "événements culturels", must={MENTIONS_COWORKING, BAR, YOUTH}),
    case("Marie", "salle de spectacle", must={MENTIONS_COWORKING, BAR}),
    case("Marie", "gîte", must={GITE}),
    case("Marie", "artisan", must={FABLAB}),
    # Catherine, teacher: remote work and video-conference in Mende.
    case("Catherine", "visio", must={COWORKING, STUDIES, NURSERY}, first={COWORKING, STUDIES}),
    case(
        "Catherine",
        "salle de visioconférence Mende",
        must={COWORKING, STUDIES, NURSERY},
        must_not={TELECENTRE},
        first={COWORKING, STUDIES},
    ),
    case("Catherine", "visioconférence", must={COWORKING, STUDIES}, first={COWORKING, STUDIES}),
    case("Catherine", "visio-conférence", must={COWORKING, STUDIES}),
    case("Catherine", "réunion à distance", must={COWORKING, STUDIES}),
    case("Catherine", "télétravail Mende", must={COWORKING}, must_not={TELECENTRE, GITE}),
    # Jean, breeder: the MSAP of Marvejols, training, farmers.
    case("Jean", "MSAP Marvejols", must={FRANCE_SERVICES}, must_not={RECYCLERIE}),
    case("Jean", "marvjols", must={FRANCE_SERVICES, RECYCLERIE}),
    case("Jean", "démarches", must={FRANCE_SERVICES, BUS}, must_not={SHOP}),
    case("Jean", "démarhces", must={FRANCE_SERVICES, BUS}, must_not={SHOP}),
    case("Jean", "papiers CAF", must={FRANCE_SERVICES, BUS}, must_not={CAFE, BAR}),
    case("Jean", "se former", must={FABLAB, TELECENTRE, NURSERY}, must_not={SHOP}),
    case("Jean", "agriculteur", must={SHOP}),
    # Gérard, president of a communauté de communes: public services, digital mediation.
    case("Gérard", "France Services", must={FRANCE_SERVICES}, must_not={COWORKING}),
    case("Gérard", "médiation numérique", must={FRANCE_SERVICES, TELECENTRE, BUS}),
    case("Gérard", "orientation", must={YOUTH}),
    # Roald, self-employed designer: coworking, a room for meetings, good furniture.
    case("Roald", "coworking", must=DESKS | {MENTIONS_COWORKING}, must_not={CLOSED}, first=DESKS),
    case("Roald", "espace de coworking Mende", must={COWORKING}, first={COWORKING}),
    case("Roald", "bureau privatisable", must={COWORKING, NURSERY}),
    case("Roald", "auto-entrepreneur", must={COWORKING, NURSERY}),
    case("Roald", "mobilier ergonomique", must={COWORKING}),
    case("Roald", "machine à café", must={COWORKING}, must_not={FABLAB, CAFE}),
    # Dan, Dutch tourist: a quiet, connected desk near the gorges du Tarn, often in English.
    case("Dan", "bureau calme", must={TELECENTRE, GITE}),
    case("Dan", "bureau pour la journée", must={COWORKING, TELECENTRE, GITE}),
    case("Dan", "gorges du Tarn", must={GITE}),
    case("Dan", "wifi Sainte-Enimie", must={GITE}),
    case("Dan", "chambre d'hôte", must={GITE}),
    case("Dan", "coworking space", must={COWORKING, TELECENTRE, GITE}),
    case("Dan", "quiet workspace", must={TELECENTRE, GITE}),
    case("Dan", "workspace", must=DESKS),
    # Marie-Louise, 80, reduced mobility: learning digital skills, associations, Saint-Chély.
    case("Marie-Louise", "initiation informatique", must={TELECENTRE, FRANCE_SERVICES, BUS}),
    case("Marie-Louise", "atelier numérique", must={TELECENTRE}),
    case("Marie-Louise", "télécentre Saint-Chély", must={TELECENTRE}, first={TELECENTRE}),
    case("Marie-Louise", "vie associative", must={TELECENTRE, MENTIONS_COWORKING, BAR}),
    case("Marie-Louise", "personnes âgées", must={TELECENTRE, FRANCE_SERVICES}),
    case("Marie-Louise", "fauteuil roulant", must={TELECENTRE}, must_not={COWORKING}),
    case("Marie-Louise", "mobilité réduite", must={TELECENTRE}, must_not={COWORKING}),
    case("Marie-Louise", "accès PMR", must={TELECENTRE}, must_not={COWORKING}),
    case("Marie-Louise", "wheelchair", must={TELECENTRE}, must_not={COWORKING}),
    # Justine, 16: a bar, the youth space, guidance.
    case("Justine", "ados", must={YOUTH, BAR}, must_not={NURSERY}),
    case("Justine", "lieu pour les jeunes", must={YOUTH, BAR}, first={YOUTH, BAR}),
    case("Justine", "espace jeunesse Mende", must={YOUTH}, first={YOUTH}),
    case("Justine", "bar", must={CAFE, BAR}, must_not={COWORKING}),
    case("Justine", "concert", must={BAR, YOUTH, MENTIONS_COWORKING}),
    case("Justine", "mission locale", must={YOUTH}),
    case("Justine", "CIO", must={YOUTH}),
    case("Justine", "dormir", must={GITE}),
    # Luc, founder of a digital company: connection, meeting rooms, a business nursery.
    case("Luc", "fibre", must={COWORKING, TELECENTRE, NURSERY}, must_not={CAFE}),
    case("Luc", "très haut débit", must={COWORKING, TELECENTRE, NURSERY}),
    case("Luc", "salle de réunion", must={COWORKING, NURSERY}),
    case("Luc", "incubateur", must={NURSERY}),
    case("Luc", "coworking Villefort", must={PROJECT}, first={PROJECT}),
    # What anyone types: the examples of issue 13.
    case("all", "aide informatique", must={FRANCE_SERVICES, TELECENTRE, BUS}),
    case("all", "ordinateur", must={FRANCE_SERVICES, TELECENTRE, BUS, STUDIES}),
    case("all", "imprimante 3D", must={FABLAB}, must_not={FRANCE_SERVICES, COWORKING}),
    case("all", "3D printer", must={FABLAB}),
    case("all", "réparer", must={FABLAB, RECYCLERIE}),
    case("all", "wifi", must={CAFE, COWORKING, GITE}, must_not={SHOP}),
    case("all", "CAF", must={FRANCE_SERVICES, BUS}, must_not={CAFE, BAR}),
    case("all", "café", must={CAFE, BAR, COWORKING}, must_not={FABLAB}, first={CAFE, BAR}),
    case("all", "démarches en ligne", must={FRANCE_SERVICES, BUS}),
    case("all", "fablab près de Florac", must={FABLAB}),
    case("all", "coworking en Lozère", must=DESKS, first=DESKS),
]


@pytest.mark.parametrize(("query", "must", "must_not", "first"), CASES)
def test_persona_query(directory, query, must, must_not, first):
    """Each persona's query lists what they mean, not what merely looks like it, best first."""
    found = search(query)
    assert must <= set(found), f"missing {must - set(found)} from {found}"
    assert not must_not & set(found), f"wrongly found {must_not & set(found)} in {found}"
    assert set(found[: len(first)]) == first, f"{first} should come first in {found}"


def understood(text):
    places = PlaceFilter({"q": text}, queryset=Place.objects.published())
    assert places.is_valid(), places.errors
    return places.search


def test_a_word_found_as_typed_is_never_taken_for_a_near_one(directory):
    """« arches » is a word of the directory (Les Trois Arches): it is searched as typed, not
    as « marche » (the bus's stop) or « démarche », which are one letter away."""
    assert understood("arches").corrections == []
    assert search("arches") == [SHOP]


def test_a_near_miss_is_used_only_when_a_word_matches_nothing_as_typed(directory):
    """A word found nowhere is searched as the directory's nearest word, and said so: the word
    as typed, and the nearest as the directory writes it."""
    assert understood("marvjols").corrections == [("marvjols", "Marvejols")]
    ((typed, written),) = understood("démarhces").corrections
    assert typed == "démarhces" and words(written) == ["demarche"]
    assert understood("coworking marvjols").terms == ["coworking", "marvejol"]


def test_a_word_found_nowhere_is_reported_and_left_out(directory):
    """A word no place has, and that is near none, is reported; the search goes on without it,
    and finds nothing when it had no other word."""
    left_out = understood("coworking zzzz")
    assert (left_out.terms, left_out.unknown) == (["coworking"], ["zzzz"])
    assert set(search("coworking zzzz")) == set(search("coworking"))
    assert understood("zzzz").unknown == ["zzzz"]
    assert search("zzzz") == []
    assert understood("bra").unknown == ["bra"]  # too short to stand for « bar »


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("coworking zzzz", "Aucun lieu ne mentionne « zzzz » : recherche faite sans ce mot."),
        (
            "coworking zzzz yyyy",
            "Aucun lieu ne mentionne « zzzz, yyyy » : recherche faite sans ces mots.",
        ),
        ("zzzz", "Aucun lieu ne mentionne « zzzz »."),
        ("marvjols", "Résultats pour « Marvejols »"),
    ],
)
def test_the_directory_says_how_it_read_the_search(directory, client, query, note):
    """The visitor is told which words no place mentions and which near word was searched."""
    response = client.get(reverse("places:home"), {"q": query})
    assert note in response.content.decode()


def test_the_directory_says_nothing_of_a_search_read_as_typed(directory, client):
    """No note when every word was found as typed."""
    response = client.get(reverse("places:home"), {"q": "coworking Mende"})
    page = response.content.decode()
    assert "Aucun lieu ne mentionne" not in page
    assert "Résultats pour" not in page

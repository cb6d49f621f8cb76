"""A small Lozère directory built with factories, for tests that browse a whole site (the browser
tests, the fuzzers, the open-data exports) without loading the shipped data.

The communes are real ones, as data/lozere/communes.csv gives them (name, INSEE code, postcodes,
population, EPCI, town hall). The places named after real ones say only what the shipped data
says of them (commune, types, services, networks), placed at their town hall; the place with
everything filled in is made up, and its name says so. So are the events, all of the made-up
place or of a network, dated from the day the tests run: no real place's agenda is invented.
"""

import csv
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from places.models import Membership, Place, Room
from places.models.search import refresh_search_text
from tests.factories import (
    AudienceFactory,
    BaseItemFactory,
    CharterVersionFactory,
    EventFactory,
    FamilyFactory,
    NetworkFactory,
    NetworkTierFactory,
    PlaceFactory,
    PlaceTypeFactory,
    PrincipleFactory,
    RoomFactory,
    ServiceFactory,
    SpecialisationFactory,
    lozere_commune,
    next_week_at,
)

COMMUNES = [
    "48095",
    "48092",
    "48099",
    "48140",
    "48198",
    "48034",
    "48127",
    "48061",
    "48080",
    "48146",
]
FAMILIES = {
    "social": ("Lien social", "Social ties"),
    "infrastructure": ("Infrastructure", "Infrastructure"),
    "business": ("Services aux entreprises", "Business services"),
    "public": ("Services publics", "Public services"),
    "makers": ("Makers (fabrication)", "Makers"),
}
SERVICES = {
    "wifi": ("Wi-Fi", "Wi-Fi", "infrastructure", "wifi"),
    "shared-desks": ("Bureaux partagés", "Shared desks", "infrastructure", "desk"),
    "meeting-room": ("Salle de réunion", "Meeting room", "business", "users-group"),
    "videoconference": ("Salle de visioconférence", "Video-conference room", "business", "video"),
    "digital-help": (
        "Accompagnement au numérique",
        "Digital-skills help",
        "public",
        "device-laptop",
    ),
    "admin-help": (
        "Aide aux démarches administratives",
        "Help with administrative procedures",
        "public",
        "file-text",
    ),
    "orientation": (
        "Orientation emploi et formation",
        "Job and training guidance",
        "public",
        "compass",
    ),
    "cafe": ("Café / bar", "Café / bar", "social", "coffee"),
    "host": (
        "Animateur ou médiateur sur place",
        "On-site host or mediator",
        "social",
        "user-heart",
    ),
    "associations": ("Accueil d'associations", "Hosting associations", "social", "users"),
    "fablab-machines": (
        "Machines de fabrication numérique",
        "Digital fabrication machines",
        "makers",
        "tools",
    ),
}
# Words the search matches beside the labels, as the shipped reference data has them.
SYNONYMS = {
    "digital-help": "informatique, aide informatique, ordinateur, numérique, internet",
    "videoconference": "visio, visioconférence, vidéoconférence",
}
TYPES = {
    "telecentre": ("Télécentre", "Telecentre"),
    "coworking": ("Espace de coworking", "Coworking space"),
    "fablab": ("Fablab / atelier de fabrication", "Fablab / makerspace"),
    "france-services": ("France Services", "France Services"),
    "cafe": ("Bar / café", "Bar / café"),
    "collective-building": ("Immobilier collectif", "Shared building"),
    "mobile": ("Lieu itinérant", "Mobile place"),
}
AUDIENCES = {
    "everyone": ("Tout public", "Everyone"),
    "seniors": ("Seniors", "Seniors"),
    "young-people": ("Jeunes et adolescents", "Young people and teenagers"),
}
NETWORKS = {
    "solozere": ("Solozère", "Solozère"),
    "occitanie": ("Réseau des Tiers-Lieux Occitanie", "Occitanie Third Places Network"),
    "fabrique-de-territoire": ("Fabrique de territoire", "Fabrique de territoire"),
    "france-services": ("France Services", "France Services"),
}
PRINCIPLES = [
    ("La primauté du lien social et de l'humain", "The primacy of social ties and people"),
    ("La coopération à valeur ajoutée", "Cooperation that adds value"),
    (
        "La recherche de l'intérêt général, voire public",
        "Seeking the general, even public, interest",
    ),
    ("L'indépendance et l'autonomie de gestion", "Independence and self-management"),
    ("Une excellence nouvelle et commune", "A new, shared excellence"),
    ("L'évolutivité organique", "Organic evolution"),
]

# slug: (name, commune, status, types, families, services, audiences, networks with their year)
PLACES = {
    "msap-de-marvejols": (
        "MSAP de Marvejols",
        "48092",
        "open",
        ["france-services"],
        ["public"],
        ["admin-help"],
        [],
        {},
    ),
    "msap-de-villefort": (
        "MSAP de Villefort",
        "48198",
        "open",
        ["france-services"],
        ["public"],
        ["admin-help"],
        [],
        {},
    ),
    "france-services-la-canourgue": (
        "France Services La Canourgue",
        "48034",
        "project",
        ["france-services"],
        ["public"],
        ["admin-help"],
        [],
        {},
    ),
    "telecentre-de-saint-chely-dapcher": (
        "Télécentre de Saint-Chély-d'Apcher",
        "48140",
        "open",
        ["telecentre"],
        ["infrastructure"],
        [],
        [],
        {"occitanie": 2018},
    ),
    "bar-latelier": (
        "Bar l'Atelier",
        "48095",
        "open",
        ["cafe"],
        ["social"],
        ["cafe"],
        ["young-people"],
        {},
    ),
    "le-rucher-du-monastier": (
        "Le Rucher du Monastier",
        "48099",
        "project",
        ["coworking", "collective-building"],
        ["infrastructure"],
        ["shared-desks"],
        [],
        {},
    ),
    "projet-de-saint-amans": (
        "Projet de Saint-Amans",
        "48127",
        "project",
        ["coworking", "collective-building"],
        ["infrastructure"],
        [],
        [],
        {},
    ),
    "polen": (
        "POLeN",
        None,
        "open",
        ["telecentre"],
        ["infrastructure"],
        [],
        [],
        {"fabrique-de-territoire": 2020, "occitanie": 2018},
    ),
    "tiers-truck": ("Tiers-Truck", None, "project", ["mobile"], ["social"], [], [], {}),
}
MADE_UP = "atelier-partage-dessai"
SLUGS = sorted([*PLACES, MADE_UP])


@cache
def lozere_rows():
    """data/lozere/communes.csv's rows: current communes and former ones."""
    path = Path(settings.BASE_DIR) / "data" / "lozere" / "communes.csv"
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def current_row(insee):
    return next(row for row in lozere_rows() if row["insee"] == insee and row["kind"] == "COM")


def real_commune(insee):
    """A commune of Lozère with its EPCI and its former communes, as the reference data gives
    them."""
    return lozere_commune(insee)


def epcis():
    """The EPCIs of this directory's communes, by SIREN."""
    return sorted({current_row(insee)["epci_siren"] for insee in COMMUNES})


# The values each filter of the directory takes in this directory.
CODES = {
    "family": sorted(FAMILIES),
    "service": sorted(SERVICES),
    "type": sorted(TYPES),
    "audience": sorted(AUDIENCES),
    "network": sorted(NETWORKS),
    "commune": sorted(COMMUNES),
    "epci": epcis(),
}


def build():
    """Create the directory; returns its places by slug."""
    communes = {insee: real_commune(insee) for insee in COMMUNES}
    families = {
        code: FamilyFactory(code=code, label_fr=fr, label_en=en, position=n)
        for n, (code, (fr, en)) in enumerate(FAMILIES.items(), start=1)
    }
    services = {
        code: ServiceFactory(
            code=code,
            label_fr=fr,
            label_en=en,
            family=families[family],
            pictogram=pictogram,
            synonyms=SYNONYMS.get(code, ""),
            position=n,
        )
        for n, (code, (fr, en, family, pictogram)) in enumerate(SERVICES.items(), start=1)
    }
    types = {
        code: PlaceTypeFactory(code=code, label_fr=fr, label_en=en, position=n)
        for n, (code, (fr, en)) in enumerate(TYPES.items(), start=1)
    }
    audiences = {
        code: AudienceFactory(code=code, label_fr=fr, label_en=en, position=n)
        for n, (code, (fr, en)) in enumerate(AUDIENCES.items(), start=1)
    }
    networks = {
        code: NetworkFactory(code=code, label_fr=fr, label_en=en, position=n)
        for n, (code, (fr, en)) in enumerate(NETWORKS.items(), start=1)
    }
    NetworkTierFactory(
        network=networks["solozere"],
        code="telecentre",
        label_fr="Télécentre Solozère",
        label_en="Solozère Telecentre",
    )
    comptoir = NetworkTierFactory(
        network=networks["solozere"],
        code="comptoir",
        label_fr="Comptoir Solozère",
        label_en="Solozère Comptoir",
    )
    build_charter(services)

    places = {}
    links = []  # (relation, place slug, linked object)
    for slug, spec in PLACES.items():
        name, insee, status, type_codes, family_codes, service_codes, audience_codes, _ = spec
        commune = communes.get(insee)
        places[slug] = PlaceFactory.build(
            name=name,
            slug=slug,
            status=status,
            to_verify=True,
            commune=commune,
            latitude=commune.townhall_latitude if commune else None,
            longitude=commune.townhall_longitude if commune else None,
            location_precision=Place.Precision.COMMUNE if commune else "",
            itinerant=slug == "tiers-truck",
        )
        links += [(Place.types, slug, types[code]) for code in type_codes]
        links += [(Place.families, slug, families[code]) for code in family_codes]
        links += [(Place.services, slug, services[code]) for code in service_codes]
        links += [(Place.audiences, slug, audiences[code]) for code in audience_codes]
    places[MADE_UP] = PlaceFactory.build(
        name="Atelier partagé d'essai",
        slug=MADE_UP,
        commune=communes["48061"],
        latitude=44.3251,
        longitude=3.5952,
        location_precision=Place.Precision.EXACT,
        address="1 rue de l'Essai, 48400 Florac Trois Rivières",
        short_description="Un lieu inventé pour les tests, où tout est renseigné.",
        description="**Ateliers** le mardi.\n\n- fablab\n- café",
        phone="04 66 00 00 00",
        email="atelier@example.org",
        website="https://atelier.example.org/",
        opening_hours="Mo-Fr 09:00-12:00,14:00-18:00",
        accessibility=Place.Accessibility.YES,
    )
    links += [(Place.types, MADE_UP, types[code]) for code in ("fablab", "coworking")]
    links += [(Place.families, MADE_UP, families[code]) for code in ("makers", "infrastructure")]
    links += [
        (Place.services, MADE_UP, services[code])
        for code in ("wifi", "fablab-machines", "cafe", "host")
    ]
    links += [(Place.audiences, MADE_UP, audiences[code]) for code in ("everyone", "seniors")]
    # In bulk, each place's history begun as a save would: a few dozen queries, not a thousand.
    bulk_create_with_history(list(places.values()), Place)
    places = {place.slug: place for place in Place.objects.filter(slug__in=places)}
    for relation in (Place.types, Place.families, Place.services, Place.audiences):
        through, key = relation.through, relation.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(place_id=places[slug].pk, **{f"{key}_id": item.pk})
            for linked, slug, item in links
            if linked is relation
        )
    memberships = [
        Membership(place=places[slug], network=networks[code], start_year=year)
        for slug, spec in PLACES.items()
        for code, year in spec[-1].items()
    ]
    memberships.append(
        Membership(
            place=places[MADE_UP], network=networks["solozere"], tier=comptoir, start_year=2015
        )
    )
    Membership.objects.bulk_create(memberships)
    refresh_search_text([place.pk for place in places.values()])
    build_agenda(places[MADE_UP], networks["solozere"], communes["48061"], audiences)
    build_rooms(places[MADE_UP], services)
    return places


ROOMS = ["Salle d'essai", "Salle de charme d'essai"]


def build_rooms(place, services):
    """Made-up rooms of the made-up place: one answered by the place, one accepted at once."""
    RoomFactory(
        place=place,
        name=ROOMS[0],
        capacity=12,
        bookable=True,
        kind=Room.Kind.FUNCTIONAL,
        accessibility=Place.Accessibility.YES,
        hours="Mo-Fr 09:00-18:00",
        price_note="Gratuit pour les associations",
        equipment=[services["wifi"]],
    )
    RoomFactory(
        place=place,
        name=ROOMS[1],
        capacity=6,
        bookable=True,
        kind=Room.Kind.CHARM,
        auto_accept=True,
    )


EVENTS = ["atelier-dessai-hebdomadaire", "rencontre-dessai-du-reseau", "projection-dessai"]


def build_agenda(place, network, commune, audiences):
    """Made-up events: a weekly one (a day skipped), a monthly one of a network, a single one."""
    weekly = EventFactory(
        slug=EVENTS[0],
        title="Atelier d'essai hebdomadaire",
        place=place,
        # Late today: whatever day the tests run, a date of this week still to come.
        start=next_week_at(23, days=0),
        rule="FREQ=WEEKLY",
        free=True,
        description="Un atelier **inventé** pour les tests.",
        audiences=[audiences["everyone"]],
    )
    weekly.exceptions = (weekly.start.date() + timedelta(days=14)).isoformat()
    weekly.save()
    EventFactory(
        slug=EVENTS[1],
        title="Rencontre d'essai du réseau",
        place=None,
        network=network,
        commune=commune,
        start=next_week_at(10, days=3),
        rule="FREQ=MONTHLY;COUNT=6",
    )
    EventFactory(
        slug=EVENTS[2],
        title="Projection d'essai",
        place=place,
        start=next_week_at(20, days=5),
        price_note="5 €",
        registration="online",
        registration_url="https://atelier.example.org/inscription",
        registration_limit=30,
    )


def build_charter(services):
    """The charter's version, its six principles (titles as published) and a few base items."""
    CharterVersionFactory(
        number="1",
        title_fr="Charte Solozère des lieux partagés",
        title_en="Solozère charter of shared places",
        published_on=None,
    )
    for number, (fr, en) in enumerate(PRINCIPLES, start=1):
        PrincipleFactory(number=number, title_fr=fr, title_en=en)
    BaseItemFactory(
        code="cafe",
        label_fr="Café",
        label_en="Café",
        dimension="conviviality",
        services=[services["cafe"]],
    )
    BaseItemFactory(
        code="wifi",
        label_fr="Connexion Wi-Fi",
        label_en="Wi-Fi connection",
        dimension="work_comfort",
        services=[services["wifi"]],
    )
    BaseItemFactory(
        code="host",
        label_fr="Le médiateur, animateur ou concierge",
        label_en="The mediator, host or concierge",
        dimension="regulators",
        services=[services["host"]],
    )
    SpecialisationFactory(
        code="digital-fabrication",
        label_fr="Outils de fabrication numérique",
        label_en="Digital fabrication tools",
        kind="transversal",
        services=[services["fablab-machines"]],
    )

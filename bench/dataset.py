"""A synthetic national directory: communes across France and places with realistic content.

Deterministic (seeded), bulk-inserted, and added to in steps, so one run can measure 100 places,
then 20,000 places, on the same database; and the agenda's events, 100 then 2,000.
"""

import random
from datetime import datetime, time, timedelta
from io import StringIO
from itertools import accumulate

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from contributions.models import Contribution
from places.models import Audience, Family, Membership, Network, Place, PlaceType, Service, Stop
from places.models.search import refresh_search_text
from territory.models import Commune, Epci

SEED = 48
COMMUNES = 5000
CITIES = 40
URBAN_SHARE = 0.3  # of the communes, gathered around cities; the others spread evenly
# Mainland France, roughly: enough to spread places like the real country does.
LATITUDES = (42.4, 51.0)
LONGITUDES = (-4.7, 8.1)
HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo-Fr 08:30-18:00",
    "Tu-Sa 10:00-19:00",
    "Mo,We,Fr 09:00-12:30",
    "Mo-Fr 09:00-17:00; Sa 09:00-12:00",
    "Tu,Th 14:00-18:00; Sa 10:00-12:00",
    "Mo-Su 08:00-20:00",
    "Mo-Fr 09:00-12:00,13:30-17:30; Jul-Aug Mo-Fr 09:00-12:00",
    "We 14:00-18:00",
    "",
    "",
    "",
]
WORDS = [
    "Tiers-lieu",
    "Fabrique",
    "Espace",
    "Atelier",
    "Maison",
    "Relais",
    "Café",
    "Comptoir",
    "Coworking",
    "Fablab",
]
NAMES = ["du Causse", "des Cévennes", "de la Vallée", "du Plateau", "des Sources", "du Bourg"]


def _random():
    return random.Random(SEED)


def ensure_communes(rng):
    """Synthetic communes and communautés de communes, beside Lozère's real ones."""
    if Commune.objects.filter(insee__startswith="90").exists():
        return list(Commune.objects.all())
    epcis = Epci.objects.bulk_create(
        Epci(siren=f"{900000000 + n}", name=f"Communauté synthétique {n}") for n in range(400)
    )
    cities = [(rng.uniform(*LATITUDES), rng.uniform(*LONGITUDES)) for _ in range(CITIES)]
    communes = []
    for n in range(COMMUNES):
        if n < COMMUNES * URBAN_SHARE:  # around a city: more people, closer together
            latitude, longitude = cities[n % CITIES]
            latitude += rng.gauss(0, 0.15)
            longitude += rng.gauss(0, 0.2)
            population = rng.choice([1200, 4000, 15000, 40000])
        else:
            latitude, longitude = rng.uniform(*LATITUDES), rng.uniform(*LONGITUDES)
            population = rng.choice([90, 250, 600, 1200])
        communes.append(
            Commune(
                insee=f"{n // 1000 + 90}{n % 1000:03d}",
                name=f"{rng.choice(['Saint-', 'Sainte-', 'Le ', 'La ', ''])}Bourg {n}",
                postcodes=f"{10000 + n:05d}",
                population=population,
                epci=epcis[n % len(epcis)],
                townhall_latitude=latitude,
                townhall_longitude=longitude,
            )
        )
    Commune.objects.bulk_create(communes)
    return list(Commune.objects.all())


@transaction.atomic
def grow(target):
    """Add synthetic places until the directory holds `target` of them."""
    rng = _random()
    communes = ensure_communes(rng)
    present = Place.objects.count()
    rng.seed(SEED + present)
    services = list(Service.objects.select_related("family"))
    audiences = list(Audience.objects.all())
    types = list(PlaceType.objects.all())
    networks = [n for n in Network.objects.prefetch_related("tiers") if n.code != "solozere"]
    families = {f.pk: f for f in Family.objects.all()}
    places = []
    # Places go where people live: a commune's chance is its population's share.
    cumulative = list(accumulate(commune.population or 1 for commune in communes))
    for n in range(present, target):
        (commune,) = rng.choices(communes, cum_weights=cumulative)
        located = rng.random() < 0.95
        places.append(
            Place(
                name=f"{rng.choice(WORDS)} {rng.choice(NAMES)} {n}",
                slug=f"lieu-synthetique-{n}",
                status=rng.choices(list(Place.Status.values), weights=[1, 17, 2])[0],
                to_verify=rng.random() < 0.3,
                short_description="Un lieu partagé pour travailler, apprendre et se retrouver.",
                description="Bureaux partagés, ateliers numériques et **café associatif**.",
                address=f"{rng.randint(1, 80)} rue de la Mairie" if rng.random() < 0.7 else "",
                legal_identifier="43493312300029" if rng.random() < 0.5 else "",
                commune=commune,
                latitude=commune.townhall_latitude + rng.uniform(-0.03, 0.03) if located else None,
                longitude=commune.townhall_longitude + rng.uniform(-0.03, 0.03)
                if located
                else None,
                location_precision=Place.Precision.EXACT if located else "",
                itinerant=rng.random() < 0.05,
                opening_hours=rng.choice(HOURS),
                phone="04 66 00 00 00" if rng.random() < 0.6 else "",
                email=f"contact{n}@example.org" if rng.random() < 0.6 else "",
                accessibility=rng.choice(list(Place.Accessibility.values)),
            )
        )
    created = Place.objects.bulk_create(places, batch_size=2000)
    through = {name: getattr(Place, name).through for name in ("services", "audiences", "types")}
    links = {name: [] for name in (*through, "families")}
    memberships, stops = [], []
    for place in created:
        offered = rng.sample(services, rng.randint(2, 8))
        links["services"] += [through["services"](place=place, service=s) for s in offered]
        links["families"] += [
            Place.families.through(place=place, family=families[pk])
            for pk in {s.family_id for s in offered}
        ]
        links["audiences"] += [
            through["audiences"](place=place, audience=a)
            for a in rng.sample(audiences, rng.randint(1, 3))
        ]
        links["types"] += [
            through["types"](place=place, placetype=t) for t in rng.sample(types, rng.randint(1, 2))
        ]
        for network in rng.sample(networks, rng.choice([0, 0, 1, 1, 2])):
            tiers = list(network.tiers.all())
            memberships.append(
                Membership(
                    place=place,
                    network=network,
                    tier=rng.choice(tiers) if tiers else None,
                    start_year=rng.randint(2012, 2025),
                )
            )
        if place.itinerant:
            stops += [
                Stop(
                    place=place,
                    position=position,
                    commune=rng.choice(communes),
                    label="Place du marché",
                    schedule="Tu 09:00-12:00",
                )
                for position in range(rng.randint(2, 5))
            ]
    for name, rows in links.items():
        model = through.get(name) or Place.families.through
        model.objects.bulk_create(rows, batch_size=5000)
    Membership.objects.bulk_create(memberships, batch_size=5000)
    Stop.objects.bulk_create(stops, batch_size=5000)
    # The public's reports, waiting for moderation in the back-office: one for ten places.
    Contribution.objects.bulk_create(
        Contribution(
            kind=Contribution.Kind.ERROR,
            place=place,
            message="Les horaires ont changé.",
            contact_email=f"visiteur{place.pk}@example.org",
        )
        for place in created[::10]
    )
    # Bulk inserts send no signal: the places' words are made here, as an import does.
    ids = [place.pk for place in created]
    for start in range(0, len(ids), 2000):
        refresh_search_text(ids[start : start + 2000])
    return len(created)


# The agenda: a quarter of the events repeat every week with no end; the others are single dates
# over the coming half-year. One place keeps the same few events at every size (its feed).
EVENT_DAYS = 180
RECURRING_SHARE = 0.25
FEED_PLACE = "lieu-synthetique-0"
FEED_EVENTS = 6


def grow_events(target):
    """Add synthetic events (of open places) until the agenda holds `target` of them."""
    from agenda.models import Event

    rng = _random()
    present = Event.objects.count()
    rng.seed(SEED + 7 + present)
    today = timezone.localdate()
    feed_place = Place.objects.get(slug=FEED_PLACE)
    others = list(
        Place.objects.published()
        .open()
        .exclude(pk=feed_place.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    events = []
    for n in range(present, target):
        place = feed_place.pk if n < FEED_EVENTS else rng.choice(others)
        recurring = rng.random() < RECURRING_SHARE
        day = today + timedelta(days=rng.randrange(7 if recurring else EVENT_DAYS))
        start = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 10, 14, 18]))))
        end = start + timedelta(hours=rng.choice([1, 2, 3]))
        events.append(
            Event(
                title=f"{rng.choice(EVENT_WORDS)} {n}",
                slug=f"evenement-synthetique-{n}",
                place_id=place,
                description="Un moment partagé, ouvert à toutes et à tous.",
                start=start,
                end=end,
                rule="FREQ=WEEKLY" if recurring else "",
                # What Event.save() computes, bulk inserts skipping it: no end to a weekly rule.
                last_end=None if recurring else end,
                free=rng.random() < 0.6,
            )
        )
    Event.objects.bulk_create(events, batch_size=2000)
    # What Event.save() writes besides: the plain-text description and the table of dates (as
    # the daily cron does).
    Event.objects.filter(description_text="").update(
        description_text="Un moment partagé, ouvert à toutes et à tous."
    )
    call_command("refresh_occurrences", stdout=StringIO())
    return len(events)


EVENT_WORDS = ["Atelier", "Café réparation", "Permanence numérique", "Conférence", "Projection"]


ROOM_HOURS = ["Mo-Fr 09:00-18:00", "Mo-Sa 08:00-20:00", "Sep-Jun Mo-Fr 09:00-17:00", ""]
ROOM_DAYS = 60


def grow_rooms(rooms, bookings):
    """Add synthetic bookable rooms (of open places) and accepted bookings of them, each holding
    its half-hours as rooms.bookings.accept writes them, until there are `rooms` and `bookings`."""
    from places.models import Room
    from rooms.models import SLOT, BookedSlot, RoomRequest

    rng = _random()
    present = Room.objects.count()
    rng.seed(SEED + 11 + present)
    places = list(Place.objects.published().open().order_by("pk").values_list("pk", flat=True))
    equipment = list(Service.objects.filter(code__in=["videoconference", "wifi"]))
    made = Room.objects.bulk_create(
        Room(
            place_id=rng.choice(places),
            name=f"Salle synthétique {n}",
            capacity=rng.choice([6, 10, 20, 40]),
            bookable=True,
            kind=rng.choice(["functional", "charm", ""]),
            hours=rng.choice(ROOM_HOURS),
        )
        for n in range(present, rooms)
    )
    Room.equipment.through.objects.bulk_create(
        Room.equipment.through(room_id=room.pk, service_id=service.pk)
        for room in made
        for service in equipment
        if rng.random() < 0.5
    )
    all_rooms = list(Room.objects.filter(bookable=True).values_list("pk", flat=True))
    already = RoomRequest.objects.count()
    today = timezone.localdate()
    taken = set(BookedSlot.objects.values_list("room_id", "start"))
    requests, slots = [], []
    while already + len(requests) < bookings:
        room = rng.choice(all_rooms)
        day = today + timedelta(days=rng.randrange(1, ROOM_DAYS))
        start = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 10, 14, 16]))))
        end = start + timedelta(hours=rng.choice([1, 2]))
        halves = []
        moment = start
        while moment < end:
            halves.append((room, moment))
            moment += SLOT
        if any(half in taken for half in halves):
            continue
        taken.update(halves)
        requests.append(
            RoomRequest(
                room_id=room,
                start=start,
                end=end,
                people=2,
                name="Synthétique",
                email="salle@example.org",
                purpose="Réunion",
                status=RoomRequest.Status.ACCEPTED,
                answered_at=timezone.now(),
            )
        )
        slots.append(halves)
    RoomRequest.objects.bulk_create(requests, batch_size=2000)
    BookedSlot.objects.bulk_create(
        (
            BookedSlot(request_id=request.pk, room_id=room, start=moment)
            for request, halves in zip(requests, slots, strict=True)
            for room, moment in halves
        ),
        batch_size=5000,
    )
    return len(made), len(requests)

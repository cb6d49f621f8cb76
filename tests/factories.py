"""Test data builders: small, valid objects with only what a test needs to say."""

import csv
import io
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agenda.models import CalendarFeed, Event, EventChange, Occurrence, Registration
from backoffice.models import Reminder
from charter.models import (
    BaseItem,
    CharterVersion,
    Dimension,
    Principle,
    Signature,
    Specialisation,
    TierRequirement,
)
from contributions.models import Contribution, RateLimitHit
from needs.models import Alert, Need, UnmetSearch
from places.models import (
    AnimateurConsent,
    Audience,
    Family,
    Membership,
    Network,
    NetworkTier,
    Photo,
    Place,
    PlaceType,
    PreviousSlug,
    Room,
    SearchWord,
    Service,
    Stop,
)
from rooms.models import BookedSlot, ClosedPeriod, RoomRequest
from territory.models import Commune, Epci, FormerCommune


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ["siren"]

    siren = factory.Sequence(lambda n: f"{200000000 + n}")
    name = factory.Sequence(lambda n: f"CC numéro {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee"]

    insee = factory.Sequence(lambda n: f"48{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    postcodes = "48000"
    population = 500
    population_year = 2023
    epci = factory.SubFactory(EpciFactory)
    townhall_latitude = 44.5
    townhall_longitude = 3.5


class FormerCommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormerCommune
        django_get_or_create = ["insee"]

    insee = factory.Sequence(lambda n: f"48{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Ancienne commune {n}")
    kind = FormerCommune.Kind.DELEGATED
    commune = factory.SubFactory(CommuneFactory)


@cache
def _lozere_rows(name="communes.csv"):
    path = Path(settings.BASE_DIR) / "data" / "lozere" / name
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def lozere_commune(insee):
    """A real commune of Lozère as data/lozere/communes.csv gives it (name, postcodes, population,
    EPCI, town hall), with its former communes: for tests that need real names and distances
    without loading every commune."""
    rows = [row for row in _lozere_rows() if row["insee"] == insee]
    current = next(row for row in rows if row["kind"] == "COM")
    commune = CommuneFactory(
        insee=insee,
        name=current["name"],
        postcodes=current["postcodes"],
        population=int(current["population"]),
        epci=EpciFactory(siren=current["epci_siren"], name=current["epci_name"]),
        townhall_latitude=float(current["townhall_lat"]),
        townhall_longitude=float(current["townhall_lon"]),
    )
    for row in _lozere_rows():
        if row["parent_insee"] == insee and row["kind"] != "COM":
            FormerCommuneFactory(
                insee=row["insee"], name=row["name"], kind=row["kind"], commune=commune
            )
    for row in _lozere_rows("former_communes.csv"):  # merged for good, from INSEE's history
        if row["parent_insee"] == insee:
            FormerCommuneFactory(insee=row["insee"], name=row["name"], kind="ANC", commune=commune)
    return commune


def lozere_communes(count):
    """The first `count` real communes of Lozère (by INSEE code), as `lozere_commune` builds them:
    for pages that list communes, with their outlines on the map."""
    codes = [row["insee"] for row in _lozere_rows() if row["kind"] == "COM"][:count]
    return [lozere_commune(insee) for insee in codes]


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"family-{n}")
    label_fr = factory.Sequence(lambda n: f"Famille {n}")
    label_en = factory.Sequence(lambda n: f"Family {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"service-{n}")
    label_fr = factory.Sequence(lambda n: f"Service {n}")
    label_en = factory.Sequence(lambda n: f"Service {n} (en)")
    family = factory.SubFactory(FamilyFactory)
    pictogram = "wifi"


class PlaceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaceType
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"type-{n}")
    label_fr = factory.Sequence(lambda n: f"Type {n}")
    label_en = factory.Sequence(lambda n: f"Type {n} (en)")


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"audience-{n}")
    label_fr = factory.Sequence(lambda n: f"Public {n}")
    label_en = factory.Sequence(lambda n: f"Audience {n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"network-{n}")
    label_fr = factory.Sequence(lambda n: f"Réseau {n}")
    label_en = factory.Sequence(lambda n: f"Network {n}")


class NetworkTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkTier
        django_get_or_create = ["network", "code"]

    network = factory.SubFactory(NetworkFactory)
    code = factory.Sequence(lambda n: f"tier-{n}")
    label_fr = factory.Sequence(lambda n: f"Niveau {n}")
    label_en = factory.Sequence(lambda n: f"Tier {n}")


def linked(field):
    """A many-to-many field a test may pass (`PlaceFactory(services=[…])`), set once created."""

    def set_links(instance, create, extracted, **kwargs):
        if create and extracted:
            getattr(instance, field).set(extracted)

    return factory.PostGeneration(set_links)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lieu {n}")
    status = Place.Status.OPEN
    commune = factory.SubFactory(CommuneFactory)
    latitude = 44.5
    longitude = 3.5
    location_precision = Place.Precision.EXACT

    class Params:
        # Placed only by its commune: at the town hall, the position said to be approximate.
        at_townhall = factory.Trait(
            latitude=factory.SelfAttribute("commune.townhall_latitude"),
            longitude=factory.SelfAttribute("commune.townhall_longitude"),
            location_precision=Place.Precision.COMMUNE,
        )

    services = linked("services")
    types = linked("types")
    audiences = linked("audiences")
    families = linked("families")


class StopFactory(factory.django.DjangoModelFactory):
    """A stop of an itinerant place, in a commune."""

    class Meta:
        model = Stop

    place = factory.SubFactory(PlaceFactory, itinerant=True)
    position = factory.Sequence(lambda n: n)
    commune = factory.SubFactory(CommuneFactory)
    label = "marché"
    schedule = "mardi matin"


def next_week_at(hour, days=7):
    """A moment `days` from today at `hour`, Lozère's time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    """An event of a place, one date next week from 18:00 to 20:00 (a rule makes it recur)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Atelier {n}")
    place = factory.SubFactory(PlaceFactory)
    start = factory.LazyFunction(lambda: next_week_at(18))
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=2))

    audiences = linked("audiences")


class EventChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventChange

    event = factory.SubFactory(EventFactory, rule="FREQ=WEEKLY")
    date = factory.LazyAttribute(lambda change: timezone.localdate(change.event.start))
    # The same date, an hour later.
    start = factory.LazyAttribute(
        lambda change: (
            change.event.start
            + timedelta(hours=1, days=(change.date - timezone.localdate(change.event.start)).days)
        )
    )
    end = factory.LazyAttribute(
        lambda change: change.start + (change.event.end - change.event.start)
    )


class OccurrenceFactory(factory.django.DjangoModelFactory):
    """A date in the table of occurrences: by default the one its event (once, next week)
    wrote when saved, since the table is its events' dates (Event.refresh_occurrences())."""

    class Meta:
        model = Occurrence

    event = factory.SubFactory(EventFactory)
    start = factory.LazyAttribute(lambda occurrence: occurrence.event.start)
    end = factory.LazyAttribute(lambda occurrence: occurrence.event.end)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        found = model_class.objects.filter(**kwargs).first()
        return found or super()._create(model_class, *args, **kwargs)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A place's own calendar. Its address leads nowhere real (a reserved name): a test that
    fetches serves a calendar of its own and sets `url`."""

    class Meta:
        model = CalendarFeed

    place = factory.SubFactory(PlaceFactory)
    url = factory.Sequence(lambda n: f"https://agenda.example.org/{n}.ics")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """Someone registered for an event's first date, by e-mail (the event takes registrations on
    Solozère)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(
        EventFactory, registration=Event.Registration.ONLINE, registration_limit=10
    )
    occurrence = factory.LazyAttribute(lambda registration: registration.event.start)
    rule_day = factory.LazyAttribute(
        lambda registration: timezone.localdate(registration.occurrence)
    )
    name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"personne{n}@example.org")


class NeedFactory(factory.django.DjangoModelFactory):
    """A need of « Je cherche… »: a text search, valid without any catalogue."""

    class Meta:
        model = Need

    code = factory.Sequence(lambda n: f"besoin-{n}")
    label_fr = factory.Sequence(lambda n: f"Besoin {n}")
    label_en = factory.Sequence(lambda n: f"Need {n}")
    pictogram = "desk"
    query = "q=bureau"
    position = factory.Sequence(lambda n: 100 + n)


class UnmetSearchFactory(factory.django.DjangoModelFactory):
    """Today's searches for « bureau » near a commune, within 10 km, that found nothing."""

    class Meta:
        model = UnmetSearch

    words = factory.Sequence(lambda n: f"bureau{n}")
    commune_insee = factory.LazyFunction(lambda: CommuneFactory().insee)
    radius = 10
    count = 3


class AlertFactory(factory.django.DjangoModelFactory):
    """A confirmed alert for « fablab » within 10 km of a commune."""

    class Meta:
        model = Alert

    email = factory.Sequence(lambda n: f"alerte{n}@example.org")
    query = "q=fablab"
    commune = factory.SubFactory(CommuneFactory)
    radius = 10
    confirmed_at = factory.LazyFunction(timezone.now)


class PreviousSlugFactory(factory.django.DjangoModelFactory):
    """An address the place's page had before a rename."""

    class Meta:
        model = PreviousSlug

    place = factory.SubFactory(PlaceFactory)
    slug = factory.Sequence(lambda n: f"ancienne-adresse-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A current membership of a network, since 2020."""

    class Meta:
        model = Membership

    place = factory.SubFactory(PlaceFactory)
    network = factory.SubFactory(NetworkFactory)
    start_year = 2020


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        skip_postgeneration_save = True

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Salle {n}")
    capacity = 12
    equipment = linked("equipment")


def next_monday_at(hour, weeks=1):
    """A Monday to come at `hour` (Paris time): within « Mo-Fr 09:00-18:00 »."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 * weeks - today.weekday())
    return datetime.combine(monday, time(hour), tzinfo=timezone.get_default_timezone())


class RoomRequestFactory(factory.django.DjangoModelFactory):
    """A request of a room, asked (made here, its e-mails are not sent)."""

    class Meta:
        model = RoomRequest

    room = factory.SubFactory(RoomFactory, bookable=True)
    start = factory.LazyFunction(lambda: next_monday_at(10))
    end = factory.LazyAttribute(lambda request: request.start + timedelta(hours=2))
    people = 4
    name = factory.Sequence(lambda n: f"Demandeur {n}")
    email = factory.Sequence(lambda n: f"demandeur{n}@example.org")
    purpose = "Réunion de projet"


class BookedSlotFactory(factory.django.DjangoModelFactory):
    """A half-hour held by an accepted request (rooms.bookings.accept writes them)."""

    class Meta:
        model = BookedSlot

    request = factory.SubFactory(RoomRequestFactory, status=RoomRequest.Status.ACCEPTED)
    room = factory.SelfAttribute("request.room")
    start = factory.SelfAttribute("request.start")


class ClosedPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedPeriod

    room = factory.SubFactory(RoomFactory, bookable=True)
    first_day = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    last_day = factory.LazyAttribute(lambda period: period.first_day + timedelta(days=6))


def image_file(name="photo.jpg", size=(40, 30), image_format="JPEG"):
    """A small real image, as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 110, 90)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo (tests that store one set MEDIA_ROOT to a temporary folder)."""

    class Meta:
        model = Photo

    place = factory.SubFactory(PlaceFactory)
    image = factory.LazyFunction(image_file)
    alt_text = "La salle commune"


class ContributionFactory(factory.django.DjangoModelFactory):
    """A report of an error on a place's page, waiting for moderation."""

    class Meta:
        model = Contribution

    kind = Contribution.Kind.ERROR
    place = factory.SubFactory(PlaceFactory)
    message = "Les horaires ont changé."
    contact_email = "visiteur@example.org"


class RateLimitHitFactory(factory.django.DjangoModelFactory):
    """An action counted against a limit for the coming hour."""

    class Meta:
        model = RateLimitHit

    key = factory.Sequence(lambda n: f"contribution:203.0.113.{n % 250}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))


class SearchWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchWord
        django_get_or_create = ["word"]

    word = factory.Sequence(lambda n: f"mot{n}")
    form = factory.LazyAttribute(lambda word: word.word.capitalize())


class UserFactory(factory.django.DjangoModelFactory):
    """A back-office account; `groups=["Coordinateurs"]` or `["Animateurs"]` gives it a role."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}@example.org")
    email = factory.LazyAttribute(lambda user: user.username)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    is_staff = True
    password = factory.django.Password("motdepasse-solide-1")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class AnimateurConsentFactory(factory.django.DjangoModelFactory):
    """An animateur's yes to being named on their places' pages (`show_name=False`: a no)."""

    class Meta:
        model = AnimateurConsent

    user = factory.SubFactory(UserFactory, groups=["Animateurs"])
    show_name = True


class ReminderFactory(factory.django.DjangoModelFactory):
    """A freshness reminder sent today about a place, not yet answered."""

    class Meta:
        model = Reminder

    place = factory.SubFactory(PlaceFactory)


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"{n + 1}.0")
    title_fr = "Charte Solozère"
    title_en = "Solozère charter"
    published_on = factory.Sequence(lambda n: date(2015 + n % 50, 1, 1))


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Principe {n}")
    title_en = factory.Sequence(lambda n: f"Principle {n}")
    text_fr = "Un texte du principe."
    text_en = "The principle's text."


class BaseItemFactory(factory.django.DjangoModelFactory):
    """An item of the common base, met by the services given (`services=[…]`)."""

    class Meta:
        model = BaseItem
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"item-{n}")
    label_fr = factory.Sequence(lambda n: f"Élément {n}")
    label_en = factory.Sequence(lambda n: f"Item {n}")
    dimension = Dimension.choices[0][0]
    services = linked("services")


class SpecialisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialisation
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"specialisation-{n}")
    label_fr = factory.Sequence(lambda n: f"Spécialisation {n}")
    label_en = factory.Sequence(lambda n: f"Specialisation {n}")
    kind = Specialisation.Kind.choices[0][0]
    services = linked("services")


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    place = factory.SubFactory(PlaceFactory)
    version = factory.SubFactory(CharterVersionFactory)


class TierRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierRequirement
        skip_postgeneration_save = True

    tier = factory.SubFactory(NetworkTierFactory)
    base_items = linked("base_items")
    services = linked("services")


def bulk_places(count, *, services=(), types=(), commune=None, status=Place.Status.OPEN):
    """Many located places at once, for query-count guards: bulk inserts, no per-row save()."""
    commune = commune or CommuneFactory()
    places = Place.objects.bulk_create(
        Place(
            name=f"Lieu en nombre {n}",
            slug=f"lieu-en-nombre-{n}",
            status=status,
            commune=commune,
            latitude=44.0 + (n % 100) / 100,
            longitude=3.0 + (n // 100) / 100,
            location_precision=Place.Precision.EXACT,
            opening_hours="Mo-Fr 09:00-17:00" if n % 2 else "",
        )
        for n in range(count)
    )
    for relation, related in ((Place.services, services), (Place.types, types)):
        through = relation.through
        key = relation.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(place_id=place.pk, **{f"{key}_id": item.pk})
            for place in places
            for item in related
        )
    return places

"""Test data builders: small, valid objects with only what a test needs to say."""

import factory

from places.models import Commune, Epci, Family, Network, Place, PlaceType, Service


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
    epci = factory.SubFactory(EpciFactory)
    townhall_latitude = 44.5
    townhall_longitude = 3.5


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


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"network-{n}")
    label_fr = factory.Sequence(lambda n: f"Réseau {n}")
    label_en = factory.Sequence(lambda n: f"Network {n}")


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

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)

    @factory.post_generation
    def types(self, create, extracted, **kwargs):
        if create and extracted:
            self.types.set(extracted)


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

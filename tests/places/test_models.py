"""Rules the data model enforces whatever the caller: forms, commands or the shell."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from places.models import Membership, NetworkTier, Place, Service, Stop
from places.validators import validate_legal_identifier
from tests.factories import CommuneFactory, NetworkFactory, PlaceFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_invalid_opening_hours_are_refused_on_save_with_a_french_message():
    """Opening hours are checked on every save, and the message tells people what to write."""
    place = PlaceFactory.build(commune=CommuneFactory(), opening_hours="Lu-Ve 9h-18h")
    with pytest.raises(ValidationError) as error:
        place.save()
    message = " ".join(error.value.message_dict["opening_hours"])
    assert "Horaires d'ouverture invalides" in message
    assert "Mo-Fr 09:00-12:00,14:00-18:00" in message
    assert not Place.objects.exists()


def test_valid_opening_hours_are_saved_and_answer_is_open_at():
    """Hours written in OpenStreetMap's syntax are kept and tell whether the place is open at a
    given moment, seasons and lunch breaks included."""
    place = PlaceFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-18:00; Jul-Aug Mo-Sa 09:00-19:00")
    assert place.is_open_at(datetime(2026, 11, 23, 10, 0))  # a Monday morning
    assert not place.is_open_at(datetime(2026, 11, 23, 13, 0))  # lunch break
    assert not place.is_open_at(datetime(2026, 11, 22, 10, 0))  # a Sunday
    assert place.is_open_at(datetime(2026, 7, 11, 18, 0))  # a Saturday in July


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [(91, 3.5, "latitude"), (-90.5, 3.5, "latitude"), (44.5, 181, "longitude")],
)
def test_coordinates_out_of_range_are_refused(latitude, longitude, field):
    """A latitude or longitude that is not on Earth is refused on save, naming the wrong field."""
    place = PlaceFactory.build(commune=CommuneFactory(), latitude=latitude, longitude=longitude)
    with pytest.raises(ValidationError) as error:
        place.save()
    assert field in error.value.message_dict


def test_coordinates_come_in_pairs_with_their_precision():
    """Half a position, or a position without saying how exact it is, is refused."""
    commune = CommuneFactory()
    with pytest.raises(ValidationError):
        PlaceFactory.build(commune=commune, latitude=44.5, longitude=None).save()
    with pytest.raises(ValidationError) as error:
        PlaceFactory.build(commune=commune, location_precision="").save()
    assert "location_precision" in error.value.message_dict


def test_the_database_refuses_half_a_position_even_bypassing_validation():
    """Even an update that skips validation cannot leave a place with half a position: the database
    refuses it."""
    place = PlaceFactory()
    with pytest.raises(IntegrityError):
        Place.objects.filter(pk=place.pk).update(longitude=None)


def test_slug_is_derived_from_the_name_and_kept_unique():
    """A place's web address comes from its name, without accents, and a second place with the
    same name gets its own."""
    first = PlaceFactory(name="Café de la Place")
    second = PlaceFactory(name="Café de la Place")
    assert first.slug == "cafe-de-la-place"
    assert second.slug == "cafe-de-la-place-2"


@pytest.mark.parametrize("slug", ["nouveau lieu é", "a/b", "x" * 201])
def test_a_slug_that_is_no_web_address_is_refused_on_save(slug):
    """Whoever saves (a form, an import, the shell), a place's slug must make its page's address:
    one that cannot be reversed made every list that shows the place answer 500."""
    place = PlaceFactory.build(name="Lieu", slug=slug, commune=CommuneFactory())
    with pytest.raises(ValidationError) as error:
        place.save()
    assert "slug" in error.value.message_dict
    assert not Place.objects.exists()


def test_two_places_cannot_share_a_slug():
    """Two places can never share a web address: the database refuses it."""
    PlaceFactory(slug="polen")
    with pytest.raises(IntegrityError):
        PlaceFactory(slug="polen")


def test_a_closed_place_is_kept_and_still_queryable():
    """Closing a place never deletes it: it leaves the default listing, not the database."""
    place = PlaceFactory(status=Place.Status.CLOSED)
    assert Place.objects.get(slug=place.slug) == place
    assert place not in Place.objects.active()
    assert place in Place.objects.all()


def test_place_at_townhall_marks_the_position_approximate():
    """A place placed by its commune sits at the town hall, and says its position is approximate."""
    commune = CommuneFactory(townhall_latitude=44.51782, townhall_longitude=3.50117)
    place = PlaceFactory.build(commune=commune, latitude=None, longitude=None)
    place.location_precision = ""
    place.place_at_townhall()
    place.save()
    assert (place.latitude, place.longitude) == (44.51782, 3.50117)
    assert place.is_approximate


@pytest.mark.parametrize(
    "identifier", ["73282932000074", "35600000049837", "W481000123", "W2A1000123"]
)
def test_valid_siret_and_rna_are_accepted(identifier):
    """Real SIRET numbers (Luhn key, La Poste's exception) and RNA identifiers are accepted."""
    validate_legal_identifier(identifier)


@pytest.mark.parametrize(
    "identifier", ["73282932000075", "1234", "W48100012", "X481000123", "732 829 320 00074"]
)
def test_invalid_legal_identifiers_are_refused(identifier):
    """A SIRET with a wrong key or length, or a malformed RNA identifier, is refused."""
    with pytest.raises(ValidationError):
        validate_legal_identifier(identifier)


def test_description_markdown_is_rendered_and_sanitised():
    """Animateurs write Markdown; scripts and dangerous links never reach the public."""
    place = PlaceFactory(
        description="**Bienvenue** <script>alert(1)</script> [lien](javascript:alert(1))"
    )
    html = place.description_html
    assert "<strong>Bienvenue</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_labels_follow_the_active_language():
    """Reference data reads in the visitor's language: the same service in French and in English."""
    service = ServiceFactory(label_fr="Salle de réunion", label_en="Meeting room")
    assert str(service) == "Salle de réunion"
    with translation.override("en"):
        assert str(service) == "Meeting room"


def test_a_tier_must_belong_to_the_membership_network():
    """A membership cannot claim a tier of another network (a Comptoir Solozère of the Occitanie
    network)."""
    solozere, other = NetworkFactory(code="solozere"), NetworkFactory(code="other")
    tier = NetworkTier.objects.create(
        network=solozere, code="comptoir", label_fr="Comptoir", label_en="Comptoir"
    )
    membership = Membership(place=PlaceFactory(), network=other, tier=tier, start_year=2015)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "tier" in error.value.message_dict


def test_a_membership_cannot_end_before_it_starts():
    """A membership cannot end before it starts."""
    membership = Membership(
        place=PlaceFactory(), network=NetworkFactory(), start_year=2018, end_year=2016
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_a_stop_needs_a_commune_or_a_point():
    """An itinerant place's stop must be somewhere: a commune (at its town hall) or a point."""
    place = PlaceFactory(itinerant=True)
    with pytest.raises(ValidationError):
        Stop(place=place, schedule="mardi matin").full_clean()
    stop = Stop.objects.create(place=place, commune=CommuneFactory(), schedule="mardi matin")
    assert stop.coordinates == (stop.commune.townhall_latitude, stop.commune.townhall_longitude)


def test_natural_keys_find_every_record_back():
    """Fixtures and exports name records by natural key: each one must lead back to its row."""
    place = PlaceFactory(slug="le-rucher")
    network = NetworkFactory(code="occitanie")
    membership = Membership.objects.create(place=place, network=network, start_year=2018)
    stop = Stop.objects.create(place=place, position=1, commune=place.commune)
    service = ServiceFactory(code="wifi")
    for obj in (place, network, membership, stop, service, place.commune, place.commune.epci):
        manager = type(obj)._default_manager
        assert manager.get_by_natural_key(*obj.natural_key()) == obj
    assert Service.objects.get_by_natural_key("wifi") == service

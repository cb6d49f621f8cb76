"""One FilterSet decides which places match: each facet, their combinations, and the counts."""

from datetime import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from places.filters import PlaceFilter
from places.models import Audience, Membership, Place
from tests.factories import (
    CommuneFactory,
    EpciFactory,
    FamilyFactory,
    NetworkFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def matching(query):
    places = PlaceFilter(QueryDict(query), queryset=Place.objects.all())
    assert places.is_valid(), places.errors
    return {place.name for place in places.qs}


@pytest.fixture
def catalogue():
    wifi = ServiceFactory(code="wifi", label_fr="Wi-Fi")
    visio = ServiceFactory(code="visio", label_fr="Salle de visioconférence")
    fablab = ServiceFactory(code="fablab", label_fr="Machines")
    return {"wifi": wifi, "visio": visio, "fablab": fablab}


def test_values_within_a_facet_combine_with_or(catalogue):
    """Ticking Wi-Fi and video-conference lists places offering either, not only both."""
    PlaceFactory(name="A", services=[catalogue["wifi"]])
    PlaceFactory(name="B", services=[catalogue["visio"]])
    PlaceFactory(name="C", services=[catalogue["fablab"]])
    assert matching("service=wifi&service=visio") == {"A", "B"}


def test_facets_combine_with_and(catalogue):
    """Choices in different facets narrow each other: a coworking with Wi-Fi."""
    coworking = PlaceTypeFactory(code="coworking")
    PlaceFactory(name="A", services=[catalogue["wifi"]], types=[coworking])
    PlaceFactory(name="B", services=[catalogue["wifi"]])
    PlaceFactory(name="C", types=[coworking])
    assert matching("service=wifi&type=coworking") == {"A"}


def test_a_place_with_several_matching_values_is_listed_once(catalogue):
    """A place matching two ticked values is listed once, not once per value."""
    PlaceFactory(name="A", services=[catalogue["wifi"], catalogue["visio"]])
    places = PlaceFilter(QueryDict("service=wifi&service=visio"), queryset=Place.objects.all())
    assert [place.name for place in places.qs] == ["A"]


def test_family_and_audience_filters():
    """The family of functions and the public filters find the places linked to them, and
    combine."""
    makers = FamilyFactory(code="makers")
    young = Audience.objects.create(code="young-people", label_fr="Jeunes", label_en="Young")
    place = PlaceFactory(name="A")
    place.families.add(makers)
    PlaceFactory(name="B").audiences.add(young)
    assert matching("family=makers") == {"A"}
    assert matching("audience=young-people") == {"B"}
    assert matching("family=makers&audience=young-people") == set()


def test_network_filter_counts_only_current_memberships():
    """A place that left a network is no longer listed as its member."""
    occitanie = NetworkFactory(code="occitanie")
    Membership.objects.create(place=PlaceFactory(name="Member"), network=occitanie, start_year=2018)
    Membership.objects.create(
        place=PlaceFactory(name="Former"), network=occitanie, start_year=2018, end_year=2020
    )
    assert matching("network=occitanie") == {"Member"}


def test_commune_and_communaute_de_communes_filters():
    """A commune lists its own places; a communauté de communes those of all its communes."""
    gevaudan = EpciFactory(siren="244800470")
    marvejols = CommuneFactory(insee="48092", epci=gevaudan)
    PlaceFactory(name="In Marvejols", commune=marvejols)
    PlaceFactory(name="In the EPCI", commune=CommuneFactory(insee="48099", epci=gevaudan))
    PlaceFactory(name="Elsewhere", commune=CommuneFactory(insee="48095"))
    assert matching("commune=48092") == {"In Marvejols"}
    assert matching("epci=244800470") == {"In Marvejols", "In the EPCI"}


def test_accessible_keeps_places_fully_or_partly_accessible():
    """« Accessible » keeps places fully or partly accessible; unticked, it excludes nothing."""
    PlaceFactory(name="Yes", accessibility=Place.Accessibility.YES)
    PlaceFactory(name="Partly", accessibility=Place.Accessibility.PARTIAL)
    PlaceFactory(name="No", accessibility=Place.Accessibility.NO)
    PlaceFactory(name="Unknown")
    assert matching("accessible=true") == {"Yes", "Partly"}
    assert matching("accessible=false") == {"Yes", "Partly", "No", "Unknown"}


def test_open_at_a_given_time():
    """Opening hours are read at the asked local time; unknown hours never count as open."""
    PlaceFactory(name="Weekdays", opening_hours="Mo-Fr 09:00-12:00,14:00-18:00")
    PlaceFactory(name="Saturday", opening_hours="Sa 09:00-19:00")
    PlaceFactory(name="Unknown hours")
    PlaceFactory(name="Project", status=Place.Status.PROJECT, opening_hours="24/7")
    assert matching("open_at=2026-11-23T10:00") == {"Weekdays"}  # a Monday
    assert matching("open_at=2026-11-23T13:00") == set()
    assert matching("open_at=2026-11-28T18:30") == {"Saturday"}


def test_open_now_uses_the_current_local_time(monkeypatch):
    """« Open now » reads the hours at the current time in Lozère."""
    PlaceFactory(name="Weekdays", opening_hours="Mo-Fr 09:00-12:00")
    PlaceFactory(name="Sundays", opening_hours="Su 09:00-12:00")
    monday_morning = timezone.make_aware(datetime(2026, 11, 23, 10, 30))
    monkeypatch.setattr(timezone, "now", lambda: monday_morning)
    assert matching("open_now=true") == {"Weekdays"}


def test_status_defaults_to_open_places_and_projects_only_when_asked():
    """By default the directory lists open places only: a project is not a place to go to today,
    and a closed one is kept for memory. « Include projects » adds the projects; statuses asked
    for are listed as asked."""
    PlaceFactory(name="Open")
    PlaceFactory(name="Project", status=Place.Status.PROJECT)
    PlaceFactory(name="Closed", status=Place.Status.CLOSED)
    assert matching("") == {"Open"}
    assert matching("include_projects=true") == {"Open", "Project"}
    assert matching("include_projects=1") == {"Open", "Project"}
    assert matching("include_projects=false") == {"Open"}
    assert matching("status=closed") == {"Closed"}
    assert matching("status=project") == {"Project"}
    assert matching("status=open&status=closed") == {"Open", "Closed"}


def test_a_search_may_list_projects_by_default_and_still_leave_them_out():
    """Open data and the coordinators' dashboard keep listing projects unless asked not to
    (include_projects=false): their default is their own, the filter is the same."""

    class WithProjects(PlaceFilter):
        projects_by_default = True

    PlaceFactory(name="Open")
    PlaceFactory(name="Project", status=Place.Status.PROJECT)

    def listed(query):
        return {p.name for p in WithProjects(QueryDict(query), queryset=Place.objects.all()).qs}

    assert listed("") == {"Open", "Project"}
    assert listed("include_projects=false") == {"Open"}


def test_counts_leave_projects_out_unless_asked_and_say_what_asking_would_add(catalogue):
    """Facet counts count what the list shows (no project by default); the « include projects »
    toggle counts what ticking it would list."""
    PlaceFactory(name="Open", services=[catalogue["wifi"]])
    PlaceFactory(name="Project", services=[catalogue["wifi"]], status=Place.Status.PROJECT)
    places = PlaceFilter(QueryDict(""), queryset=Place.objects.all())
    services = {facet.name: facet for facet in places.facets()}["service"].options
    assert {option.value: option.count for option in services}["wifi"] == 1
    assert places.toggle_counts()["include_projects"] == 2
    asked = PlaceFilter(QueryDict("include_projects=true"), queryset=Place.objects.all())
    services = {facet.name: facet for facet in asked.facets()}["service"].options
    assert {option.value: option.count for option in services}["wifi"] == 2


def test_each_option_counts_what_it_would_give_with_the_other_facets(catalogue):
    """Counts within a facet ignore that facet's own choice, but honour the others."""
    coworking = PlaceTypeFactory(code="coworking")
    PlaceFactory(name="A", services=[catalogue["wifi"]], types=[coworking])
    PlaceFactory(name="B", services=[catalogue["wifi"], catalogue["visio"]])
    PlaceFactory(name="C", services=[catalogue["visio"]], types=[coworking])
    places = PlaceFilter(QueryDict("service=wifi&type=coworking"), queryset=Place.objects.all())
    facets = {facet.name: facet for facet in places.facets()}
    services = {
        option.value: (option.count, option.checked) for option in facets["service"].options
    }
    assert services["wifi"] == (1, True)  # A (B is no coworking)
    assert services["visio"] == (1, False)  # C
    types = {option.value: option.count for option in facets["type"].options}
    assert types["coworking"] == 1  # only A has wifi among coworkings


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("radius=abc", "radius"),
        ("radius=0", "radius"),
        ("service=nope", "service"),
        ("commune=99999", "commune"),
        ("open_at=demain", "open_at"),
        ("open_at=0001-01-01T00:00%2B14:00", "open_at"),
        ("open_at=9999-12-31T23:59-12:00", "open_at"),
        ("lat=95&lon=3", "lat"),
        ("near=Atlantide", "near"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_input_is_refused_with_a_reason(query, field):
    """Each malformed or unknown filter value is refused, naming the field, instead of being ignored
    or crashing."""
    places = PlaceFilter(QueryDict(query), queryset=Place.objects.all())
    assert not places.is_valid()
    assert field in places.errors


def test_half_a_position_is_refused():
    """A latitude without a longitude is refused as a whole, not searched around half a point."""
    places = PlaceFilter(QueryDict("lat=44.5"), queryset=Place.objects.all())
    assert not places.is_valid()
    assert "__all__" in places.errors

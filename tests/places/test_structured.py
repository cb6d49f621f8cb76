"""What search engines and link previews read of a place's page: its schema.org type, properties
schema.org gives that type only, its opening hours for the coming year, and its OpenGraph card.

The properties are checked against an excerpt of schema.org's own vocabulary (schema_org.json,
made by scripts/schema_org_excerpt.py from a schema.org release), not against the site's tables.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from places.models import AnimateurConsent, Membership, Place
from places.structured import DEFAULT_SCHEMA_TYPE, IS_A, NETWORK_SCHEMA_TYPES, SCHEMA_TYPES
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    PhotoFactory,
    PlaceFactory,
    PlaceTypeFactory,
    RoomFactory,
    ServiceFactory,
    StopFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://solozere.example.org"
VOCABULARY = json.loads((Path(__file__).parent / "schema_org.json").read_text())
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS = [f"https://schema.org/{day}" for day in DAYS[:5]]
# A Monday morning: the coming year runs from 23 November 2026 to 22 November 2027.
MONDAY = datetime(2026, 11, 23, 8, 0)


@pytest.fixture(autouse=True)
def public_site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def monday(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(MONDAY))


def page(client, place, query=""):
    return client.get(place.get_absolute_url() + query).content.decode()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match and match.group(1)


def ancestors(kind):
    found, todo = set(), [kind]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += VOCABULARY["types"][name]
    return found


def allowed(kind):
    """Every property schema.org gives a type, through its ancestors."""
    kinds = ancestors(kind)
    return {name for name, domain in VOCABULARY["properties"].items() if kinds & set(domain)}


def assert_schema_org(node):
    """Each property of each typed object, nested ones included, is one its type has."""
    kind = node["@type"]
    extra = set(node) - {"@context", "@type", "@id"} - allowed(kind)
    assert not extra, f"{kind} has no {sorted(extra)} in schema.org"
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                assert_schema_org(item)


def typed_place(code, **fields):
    return PlaceFactory(types=[PlaceTypeFactory(code=code)], **fields)


@pytest.mark.parametrize(("code", "kind"), SCHEMA_TYPES.items())
def test_each_type_of_the_catalogue_has_its_schema_org_type(client, code, kind):
    """A France Services is a GovernmentOffice, a café a CafeOrCoffeeShop, a training place an
    EducationalOrganization…, as the one table of places.structured says."""
    assert json_ld(page(client, typed_place(code)))["@type"] == kind


def test_the_france_services_network_makes_a_government_office(client):
    """A current member of the France Services network is a GovernmentOffice whatever its types;
    a former member is what its types say."""
    network = NetworkFactory(code="france-services")
    member = typed_place("coworking")
    MembershipFactory(place=member, network=network)
    former = typed_place("coworking")
    MembershipFactory(place=former, network=network, start_year=2018, end_year=2022)
    assert json_ld(page(client, member))["@type"] == "GovernmentOffice"
    assert json_ld(page(client, former))["@type"] == "LocalBusiness"


def test_a_place_of_several_types_takes_the_first_in_the_table(client):
    """A café with a coworking is described as a café: the more telling type wins."""
    place = PlaceFactory(types=[PlaceTypeFactory(code="coworking"), PlaceTypeFactory(code="cafe")])
    assert json_ld(page(client, place))["@type"] == "CafeOrCoffeeShop"


def test_a_place_of_no_type_or_a_new_type_claims_only_to_be_a_place(client):
    """No type, or a type added to the catalogue after the table: a Place, nothing more."""
    assert json_ld(page(client, PlaceFactory()))["@type"] == DEFAULT_SCHEMA_TYPE == "Place"
    assert json_ld(page(client, typed_place("observatoire")))["@type"] == "Place"


def everything_filled(code, **fields):
    """A place with every field JSON-LD may write: contact, exact position, photo, services,
    seasonal hours with public holidays closed."""
    place = typed_place(
        code,
        phone="04 66 00 00 00",
        email="contact@example.org",
        website="https://example.org",
        short_description="Un lieu pour tout le monde",
        address="1 place de l'Église",
        opening_hours="Jun-Sep Mo-Sa 09:00-19:00; Oct-May Mo-Fr 10:00-17:00; PH off",
        services=[ServiceFactory(label_fr="Wi-Fi")],
        **fields,
    )
    PhotoFactory(place=place)
    return place


KINDS = sorted({*SCHEMA_TYPES.values(), *NETWORK_SCHEMA_TYPES.values(), DEFAULT_SCHEMA_TYPE})


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_written_is_one_schema_org_gives_the_type(client, monday, kind):
    """For each type the site writes, with every field filled in, no property is one schema.org
    does not give that type (nor any nested object's): a Place has no e-mail address."""
    code = next((code for code, value in SCHEMA_TYPES.items() if value == kind), "inconnu")
    data = json_ld(page(client, everything_filled(code)))
    assert data["@type"] == kind
    assert_schema_org(data)
    # Nothing the type may have is lost on the way: EducationalOrganization is a CivicStructure,
    # hence a Place with a position and opening hours.
    expected = {"address", "geo", "telephone", "image", "sameAs", "amenityFeature"}
    expected |= {"openingHoursSpecification", "specialOpeningHoursSpecification"}
    if "Organization" in ancestors(kind):
        expected.add("email")
    assert expected <= set(data)
    assert ("email" in data) == ("Organization" in ancestors(kind))


def hours_of(client, opening_hours, **fields):
    data = json_ld(page(client, PlaceFactory(opening_hours=opening_hours, **fields)))
    return data.get("openingHoursSpecification"), data.get("specialOpeningHoursSpecification")


def spec(days=None, opens=None, closes=None, **validity):
    written = {"@type": "OpeningHoursSpecification"}
    if days is not None:
        written["dayOfWeek"] = days
    return {**written, **validity, "opens": opens, "closes": closes}


def test_weekly_hours_and_public_holidays_closed(client, monday):
    """« Mo-Fr 09:00-12:00,14:00-18:00; PH off »: one specification per interval for the five
    days, all year; each public holiday on a weekday of the coming year is a special date, closed
    (opens = closes = 00:00); a holiday on a Sunday changes nothing and is left out."""
    regular, special = hours_of(client, "Mo-Fr 09:00-12:00,14:00-18:00; PH off")
    assert regular == [spec(WEEKDAYS, "09:00", "12:00"), spec(WEEKDAYS, "14:00", "18:00")]
    closed = {
        entry["validFrom"]
        for entry in special
        if entry["validFrom"] == entry["validThrough"] and entry["opens"] == entry["closes"]
    }
    assert len(closed) == len(special)
    assert {"2026-12-25", "2027-01-01", "2027-05-06", "2027-07-14", "2027-11-01"} <= closed
    assert "2027-08-15" not in closed  # a Sunday


def test_seasons_are_validity_periods(client, monday):
    """Summer and winter hours: each season's weekly hours with the dates they hold from and
    through, for the coming year."""
    regular, _special = hours_of(client, "Jun-Sep Mo-Sa 09:00-19:00; Oct-May Mo-Fr 10:00-17:00")
    winter = {"validFrom": "2026-11-23", "validThrough": "2027-05-31"}
    summer = {"validFrom": "2027-06-01", "validThrough": "2027-09-30"}
    autumn = {"validFrom": "2027-10-01", "validThrough": "2027-11-22"}
    saturday = ["https://schema.org/Saturday"]
    assert regular == [
        spec(WEEKDAYS, "10:00", "17:00", **winter),
        spec(WEEKDAYS + saturday, "09:00", "19:00", **summer),
        spec(WEEKDAYS, "10:00", "17:00", **autumn),
    ]


def test_a_season_closed_every_day_says_so(client, monday):
    """Open from April to October only: the winter is written closed, not left unsaid."""
    regular, _special = hours_of(client, "Apr-Oct Mo-Fr 09:00-18:00")
    every_day = [f"https://schema.org/{day}" for day in DAYS]
    assert regular[0] == spec(
        every_day, "00:00", "00:00", validFrom="2026-11-23", validThrough="2027-03-31"
    )


def test_a_single_closing_day_is_special_not_a_season(client, monday):
    """« Dec 24 off » closes one Thursday: a special date, the weekly hours staying whole."""
    regular, special = hours_of(client, "Mo-Fr 09:00-12:00; Dec 24 off")
    assert regular == [spec(WEEKDAYS, "09:00", "12:00")]
    assert special == [
        spec(None, "00:00", "00:00", validFrom="2026-12-24", validThrough="2026-12-24")
    ]


def test_hours_past_midnight_and_all_day(client, monday):
    """An evening until 02:00 closes at 00:00 (schema.org's next day) and goes on on Saturday;
    open all day is 00:00 to 23:59, never 00:00 to 00:00, which reads as closed."""
    regular, _special = hours_of(client, "Fr 20:00-02:00")
    assert regular == [
        spec(["https://schema.org/Friday"], "20:00", "00:00"),
        spec(["https://schema.org/Saturday"], "00:00", "02:00"),
    ]
    regular, _special = hours_of(client, "24/7")
    assert regular == [spec([f"https://schema.org/{day}" for day in DAYS], "00:00", "23:59")]


@pytest.mark.parametrize(
    "expression",
    ['Mo-Fr 09:00-12:00 "sur rendez-vous"', "Mo-Fr 09:00-12:00; Sa 10:00-12:00 unknown"],
)
def test_qualified_or_unknown_hours_are_not_published(client, monday, expression):
    """Hours a comment qualifies or the expression leaves unknown cannot be said in schema.org:
    none are written, rather than hours that would read as plain opening or closing."""
    assert hours_of(client, expression) == (None, None)


@pytest.mark.parametrize("status", [Place.Status.PROJECT, Place.Status.CLOSED])
def test_a_place_not_open_publishes_no_hours(client, monday, status):
    """A place in project or closed for good publishes no opening hours."""
    assert hours_of(client, "Mo-Fr 09:00-12:00", status=status) == (None, None)


def test_the_link_preview_shows_the_first_photo(client):
    """OpenGraph and Twitter show the place's first photo (its full address) with its
    description, and the page's address without the query string it was asked with."""
    place = PlaceFactory()
    second = PhotoFactory(place=place, position=2, alt_text="Le jardin")
    first = PhotoFactory(place=place, position=1, alt_text="La salle commune")
    html = page(client, place, "?utm_source=lettre&service=wifi")
    assert meta(html, "property", "og:image") == SITE + first.image.url
    assert meta(html, "property", "og:image:alt") == "La salle commune"
    assert second.image.url not in html.split("</head>")[0]
    assert meta(html, "property", "og:url") == SITE + place.get_absolute_url()
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert json_ld(html)["image"] == SITE + first.image.url


def test_without_a_photo_the_preview_shows_the_sites_card(client):
    """No photo: the site's own card (a static image of the right size), never a made-up
    picture of the place, which JSON-LD then does not claim either."""
    html = page(client, PlaceFactory())
    image = meta(html, "property", "og:image")
    assert image == SITE + "/static/img/og-card.png"
    assert meta(html, "property", "og:image:width") == "1200"
    assert meta(html, "property", "og:image:height") == "630"
    assert meta(html, "property", "og:image:alt")
    assert "image" not in json_ld(html)


def test_the_sites_card_exists_at_its_announced_size():
    """The card announced 1200 × 630 is a PNG of that size in static/img."""
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find("img/og-card.png")) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))


def full_place(count):
    """A place with `count` of everything its page shows."""
    place = PlaceFactory(
        opening_hours="Mo-Fr 09:00-12:00; PH off",
        types=[PlaceTypeFactory() for _ in range(count)],
        services=[ServiceFactory() for _ in range(count)],
    )
    for n in range(count):
        PhotoFactory(place=place, position=n)
        RoomFactory(place=place)
        StopFactory(place=place)
        Membership.objects.create(place=place, network=NetworkFactory())
        person = UserFactory(first_name=f"Prénom{n}", last_name="Nom")
        AnimateurConsent.objects.create(user=person, show_name=bool(n % 2))
        place.animateurs.add(person)
    return place


def test_the_place_page_reads_a_fixed_number_of_queries(client, monday):
    """A place's page, its JSON-LD and its preview card read as many queries with ten photos,
    rooms, stops, networks, types, services and animateurs (and their consents) as with one."""
    counts = []
    for count in (1, 10):
        place = full_place(count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(place.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_every_type_of_the_shipped_catalogue_has_its_schema_org_type():
    """Each place type of fixtures/reference.json is in the table, none falls back unnoticed."""
    from django.conf import settings

    reference = json.loads((Path(settings.BASE_DIR) / "fixtures" / "reference.json").read_text())
    codes = {row["fields"]["code"] for row in reference if row["model"] == "places.placetype"}
    assert codes == set(SCHEMA_TYPES)


@pytest.mark.parametrize("kind", KINDS)
def test_the_sites_table_of_types_agrees_with_schema_org(kind):
    """What places.structured believes each type is (a Place, an Organization) is what
    schema.org's hierarchy says."""
    assert IS_A[kind] == ancestors(kind) & {"Place", "Organization"}

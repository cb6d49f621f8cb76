"""Open data and the read API: same filters as the site, conditional GET, CORS, embedding.

The directory is the small one of tests/directory.py, built with factories."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import parse_http_date
from frictionless import Resource, Schema, validate
from jsonschema import Draft7Validator

from opendata import records as records_module
from opendata import views as views_module
from opendata.records import COLUMNS, LICENCE, LICENCE_NAME, TABLE_SCHEMA_PATH
from places.models import Place, Stop
from tests import directory
from tests.factories import PlaceFactory, StopFactory, bulk_places, lozere_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def lozere(db):
    """The small directory: real communes, the places of the documents at their town hall."""
    return directory.build()


def rows(response):
    """The French spreadsheet dialect: UTF-8 with a byte-order mark, `;`, decimal comma."""
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_has_the_documented_french_headers(client, lozere):
    """The CSV's header is the documented French columns in order, and it has a row per active
    place, a closed one left out."""
    PlaceFactory(name="Café fermé", status=Place.Status.CLOSED)
    response = client.get(reverse("opendata:csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == [column for column, _meaning, _key in COLUMNS]
    assert len(rows(response)) == Place.objects.active().count()


def test_csv_and_geojson_honour_the_filters(client, lozere):
    """A service or a commune filters the CSV and the GeoJSON as it filters the directory, and a
    row carries the place's codes, INSEE code and coordinates."""
    filtered = rows(client.get(reverse("opendata:csv"), {"service": "admin-help"}))
    assert {row["identifiant"] for row in filtered} == {
        "france-services-la-canourgue",
        "msap-de-marvejols",
        "msap-de-villefort",
    }
    marvejols = next(row for row in filtered if row["identifiant"] == "msap-de-marvejols")
    assert marvejols["services"] == "admin-help"
    assert marvejols["code_insee"] == "48092"
    geojson = client.get(reverse("opendata:geojson"), {"commune": "48095"}).json()
    assert [f["properties"]["id"] for f in geojson["features"]] == ["bar-latelier"]
    assert geojson["features"][0]["geometry"]["coordinates"] == [3.50117, 44.51782]


def test_exports_answer_304_until_the_directory_changes(client, lozere):
    """The CSV carries ETag and Last-Modified, is a 304 for a client holding them, and a 200
    again once a place is saved."""
    url = reverse("opendata:csv")
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    place = Place.objects.get(slug="polen")
    place.phone = "04 66 00 00 00"
    place.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("name", ["opendata:csv", "opendata:api-list", "opendata:geojson"])
def test_a_change_made_by_another_process_is_never_a_304(client, lozere, name):
    """The validators are read from the database, not from this process's memory: a change
    written straight to the database (as another worker or server would) gives a new ETag and
    a later Last-Modified, so a client holding the old ones gets the new data."""
    url = reverse(name)
    first = client.get(url)
    later = timezone.now() + timedelta(seconds=2)
    Place.objects.filter(slug="polen").update(phone="04 66 00 00 00", updated_at=later)
    again = client.get(
        url,
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )
    assert again.status_code == 200
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_bad_filters_get_a_400_with_the_reason(client, db):
    """An unknown service is a 400 from the CSV, the GeoJSON and the API, naming the field."""
    for name in ("opendata:csv", "opendata:geojson", "opendata:api-list"):
        response = client.get(reverse(name), {"service": "inconnu"})
        assert response.status_code == 400
        assert "service" in response.json()["fields"]


def test_the_api_paginates_and_links_pages(client, lozere):
    """Pages of the chosen size, linked both ways; a page or size that cannot be served is a 400."""
    bulk_places(15)  # three pages of ten
    response = client.get(reverse("opendata:api-list"), {"page_size": 10, "page": 2})
    body = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert body["count"] == Place.objects.active().count()
    assert len(body["results"]) == 10
    assert "page=3" in body["next"] and "page=1" in body["previous"]
    for bad in ({"page": 99}, {"page": "x"}, {"page_size": 0}, {"page_size": 201}):
        refused = client.get(reverse("opendata:api-list"), bad)
        assert refused.status_code == 400
        assert set(refused.json()["fields"]) == set(bad)


def test_the_api_detail_and_openapi(client, lozere):
    """A place by its identifier, a JSON 404 for an unknown one, and the OpenAPI description
    with the directory's filters and the paging."""
    polen = client.get(reverse("opendata:api-detail", args=["polen"])).json()
    assert polen["name"] == "POLeN"
    assert polen["networks"] == ["fabrique-de-territoire", "occitanie"]
    missing = client.get(reverse("opendata:api-detail", args=["nulle-part"]))
    assert missing.status_code == 404 and missing.json()["error"]
    spec = client.get(reverse("opendata:api-openapi")).json()
    assert spec["openapi"].startswith("3.")
    parameters = {p["name"] for p in spec["paths"]["/api/lieux/"]["get"]["parameters"]}
    assert {"service", "commune", "near", "radius", "page", "page_size"} <= parameters


def test_no_personal_data_goes_out(client, lozere, django_user_model):
    """An animateur's e-mail address never appears in the API's answers."""
    user = django_user_model.objects.create_user("secret@example.org", "secret@example.org")
    Place.objects.get(slug="polen").animateurs.add(user)
    exported = client.get(reverse("opendata:api-list"), {"page_size": 100}).content.decode()
    assert "secret@example.org" not in exported


def test_only_the_embed_may_be_framed(client, lozere):
    """The embed of an EPCI's places may be put in another site's iframe, without the site's
    header; every other page refuses to be framed."""
    embed = client.get(reverse("places:embed"), {"epci": "244800470"})
    assert embed.status_code == 200
    assert not embed.has_header("X-Frame-Options")
    html = embed.content.decode()
    assert "MSAP de Marvejols" in html and "site-header" not in html
    assert client.get(reverse("places:home"))["X-Frame-Options"] == "DENY"
    assert client.get(reverse("opendata:page"))["X-Frame-Options"] == "DENY"


def test_the_open_data_page_documents_every_column(client, db):
    """The « Données ouvertes » page explains each CSV column, links the CSV's Table Schema and
    gives the iframe code."""
    html = client.get(reverse("opendata:page")).content.decode()
    for column, _meaning, _key in COLUMNS:
        assert f"<code>{column}</code>" in html
    assert f'href="{reverse("opendata:csv-schema")}"' in html
    assert "&lt;iframe src=" in html


def test_the_postcode_is_the_addresss_or_the_communes_only_one(client):
    """A commune with several postcodes gives none of them to a place whose address is silent;
    the open data, the API and the page's JSON-LD say the same."""
    from tests.factories import CommuneFactory, PlaceFactory

    several = CommuneFactory(insee="48099", postcodes="48170|48190|48250")
    written = PlaceFactory(name="Dit", commune=several, address="Le Bourg, 48190 Bagnols")
    silent = PlaceFactory(name="Muet", commune=several, address="Le Bourg")
    single = PlaceFactory(name="Seul", commune=CommuneFactory(insee="48095", postcodes="48000"))
    by_name = {row["nom"]: row["code_postal"] for row in rows(client.get(reverse("opendata:csv")))}
    assert by_name == {"Dit": "48190", "Muet": "", "Seul": "48000"}
    api = client.get(reverse("opendata:api-detail", args=[silent.slug])).json()
    assert api["postcode"] == ""
    assert (written.postcode, silent.postcode, single.postcode) == ("48190", "", "48000")
    html = client.get(silent.get_absolute_url()).content.decode()
    assert '"postalCode"' not in html
    assert '"postalCode": "48190"' in client.get(written.get_absolute_url()).content.decode()


@pytest.fixture
def many_places(db):
    """Forty itinerant places, each with two services (one the national file maps), a type, a
    family, a public, a network and two stops, and complete for the « médiation numérique »
    file: enough rows that a query per place would show."""
    from places.models import Membership
    from tests.factories import (
        AudienceFactory,
        CommuneFactory,
        FamilyFactory,
        NetworkFactory,
        PlaceTypeFactory,
        ServiceFactory,
    )

    commune = CommuneFactory(insee="48095", name="Mende", postcodes="48000")
    services = [ServiceFactory(code="digital-help"), ServiceFactory(code="wifi")]
    places = bulk_places(40, services=services, types=[PlaceTypeFactory()], commune=commune)
    family, audience, network = FamilyFactory(), AudienceFactory(), NetworkFactory()
    Place.families.through.objects.bulk_create(
        Place.families.through(place=place, family=family) for place in places
    )
    Place.audiences.through.objects.bulk_create(
        Place.audiences.through(place=place, audience=audience) for place in places
    )
    Membership.objects.bulk_create(Membership(place=place, network=network) for place in places)
    Place.objects.update(
        legal_identifier="43493312300029", address="2 rue du Faubourg Montbel", itinerant=True
    )
    Stop.objects.bulk_create(
        Stop(place=place, position=position, commune=commune, schedule="mardi matin")
        for place in places
        for position in (1, 2)
    )
    return places


def exported_names(name, response):
    """The places a file or page lists, as its readers find them."""
    if name == "opendata:csv":
        return [row["nom"] for row in rows(response)]
    if name == "opendata:mednum":
        return [row["nom"] for row in csv.DictReader(io.StringIO(response.content.decode()))]
    return [feature["properties"]["name"] for feature in response.json()["features"]]


# The directory's state (ETag), the places, then one query per relation: types, families,
# services, audiences, networks, stops (the standard's file reads its own relations in four).
@pytest.mark.parametrize(
    ("name", "queries"),
    [("opendata:csv", 8), ("opendata:geojson", 8), ("opendata:mednum", 6)],
)
def test_exports_keep_a_fixed_query_count(
    client, many_places, django_assert_max_num_queries, name, queries
):
    """Every place is in the file, read with a query per relation and never one per place."""
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(name))
    assert len(exported_names(name, response)) == len(many_places)
    if name == "opendata:geojson":
        assert all(len(f["properties"]["stops"]) == 2 for f in response.json()["features"])


def test_the_catalogue_and_the_data_page_keep_a_fixed_query_count(
    client, many_places, django_assert_max_num_queries
):
    """The DCAT entry reads the directory's state once; the « Données ouvertes » page its state
    and each list it offers (EPCIs, communes, services), however long they are."""
    from tests.factories import CommuneFactory, ServiceFactory

    CommuneFactory.create_batch(35)  # each with an EPCI of its own
    ServiceFactory.create_batch(35)
    with django_assert_max_num_queries(1):
        assert client.get(reverse("opendata:catalogue")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("opendata:page")).status_code == 200


# What each record says of itself, and lieux.csv's Table Schema.


@pytest.fixture
def truck(db):
    """A made-up itinerant place, « à vérifier », checked on a known day, with three stops: one
    given by its commune, one by its own point with a « | » in its label, one by a point alone."""
    florac = lozere_commune("48061")
    place = PlaceFactory(
        name="Camion d'essai",
        slug="camion-dessai",
        itinerant=True,
        to_verify=True,
        verified_on=date(2025, 3, 1),
        commune=None,
        latitude=None,
        longitude=None,
        location_precision="",
    )
    StopFactory(place=place, position=1, commune=florac, label="", schedule="mardi matin")
    StopFactory(
        place=place,
        position=2,
        commune=lozere_commune("48095"),
        label="marché | place Urbain V",
        latitude=44.5183,
        longitude=3.5011,
        schedule="jeudi, de 9 h à 12 h",
    )
    StopFactory(
        place=place, position=3, commune=None, label="", latitude=44.6, longitude=3.4, schedule=""
    )
    return Place.objects.get(pk=place.pk)


def test_every_export_says_status_to_verify_dates_and_stops_alike(client, truck):
    """The CSV, the GeoJSON and the API carry each place's status, « à vérifier » flag, last
    verification and last change (ISO 8601), and an itinerant place's stops in order (commune,
    label, position and its precision, schedule as typed), under the same names."""
    updated = truck.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    florac = truck.stops.get(position=1).commune
    stops = [
        {
            "commune": florac.name,
            "insee": "48061",
            "label": "",
            "latitude": florac.townhall_latitude,
            "longitude": florac.townhall_longitude,
            "precision": "commune",
            "schedule": "mardi matin",
        },
        {
            "commune": "Mende",
            "insee": "48095",
            "label": "marché | place Urbain V",
            "latitude": 44.5183,
            "longitude": 3.5011,
            "precision": "exact",
            "schedule": "jeudi, de 9 h à 12 h",
        },
        {
            "commune": "",
            "insee": "",
            "label": "",
            "latitude": 44.6,
            "longitude": 3.4,
            "precision": "exact",
            "schedule": "",
        },
    ]
    said = {
        "status": "open",
        "to_verify": True,
        "verified_on": "2025-03-01",
        "updated_at": updated,
        "stops": stops,
    }
    (feature,) = client.get(reverse("opendata:geojson")).json()["features"]
    assert {key: feature["properties"][key] for key in said} == said
    (listed,) = client.get(reverse("opendata:api-list")).json()["results"]
    assert {key: listed[key] for key in said} == said
    detail = client.get(reverse("opendata:api-detail", args=[truck.slug])).json()
    assert {key: detail[key] for key in said} == said

    (row,) = rows(client.get(reverse("opendata:csv")))
    assert (row["statut"], row["a_verifier"]) == ("open", "oui")
    assert row["derniere_verification"] == "2025-03-01"
    assert row["derniere_modification"] == updated
    town_hall = f"{florac.townhall_latitude},{florac.townhall_longitude}"
    assert row["etapes"].split(" || ") == [
        f"{florac.name} | 48061 |  | {town_hall} | commune | mardi matin",
        "Mende | 48095 | marché / place Urbain V | 44.5183,3.5011 | exact | jeudi, de 9 h à 12 h",
        " |  |  | 44.6,3.4 | exact | ",
    ]
    assert datetime.fromisoformat(updated) <= timezone.now()


def test_a_place_without_stops_or_dates_says_so_plainly(client, lozere):
    """A fixed place has no stops (an empty list, an empty cell) and a null verification date;
    its last change is always given."""
    (feature,) = client.get(reverse("opendata:geojson"), {"commune": "48095"}).json()["features"]
    assert feature["properties"]["stops"] == []
    assert feature["properties"]["verified_on"] is None
    assert feature["properties"]["updated_at"].endswith("Z")
    (row,) = rows(client.get(reverse("opendata:csv"), {"commune": "48095"}))
    assert (row["etapes"], row["derniere_verification"], row["a_verifier"]) == ("", "", "oui")


def test_geojson_features_have_ids_and_the_file_its_licence_and_date(client, lozere):
    """Each GeoJSON feature is identified by its place's identifier (its slug, stable), and the
    collection says under which licence it is published and when it was made."""
    before = timezone.now().replace(microsecond=0)
    data = client.get(reverse("opendata:geojson")).json()
    ids = [feature["id"] for feature in data["features"]]
    assert ids == [feature["properties"]["id"] for feature in data["features"]]
    assert sorted(ids) == sorted(Place.objects.active().values_list("slug", flat=True))
    assert data["license"] == {"name": LICENCE_NAME, "url": LICENCE}
    made = datetime.fromisoformat(data["generated_at"])
    assert data["generated_at"].endswith("Z") and before <= made <= timezone.now()


def csv_report(client, tmp_path, query=None):
    """The served lieux.csv validated by frictionless against the published schema, read as
    the « Données ouvertes » page tells reusers to (the dialect found from the file itself)."""
    path = tmp_path / "lieux.csv"
    path.write_bytes(client.get(reverse("opendata:csv"), query or {}).content)
    schema = Schema.from_descriptor(json.loads(TABLE_SCHEMA_PATH.read_text(encoding="utf-8")))
    return validate(Resource(path=path.name, basepath=str(tmp_path), schema=schema))


def test_the_served_csv_validates_against_its_published_table_schema(
    client, lozere, truck, tmp_path
):
    """lieux.csv, with every status, a place with every column filled, an itinerant place with
    stops, text a spreadsheet would run and decimal commas, is valid against its Table Schema."""
    PlaceFactory(
        name="=Café fermé", status=Place.Status.CLOSED, commune=None, short_description="-"
    )
    report = csv_report(client, tmp_path, {"status": ["project", "open", "closed"]})
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == Place.objects.published().count()


def test_a_column_added_without_the_schema_fails_validation(client, lozere, tmp_path, monkeypatch):
    """The validation is no formality: a column the schema does not describe makes it fail, so
    a new column cannot ship without its line in opendata/schemas/lieux.schema.json."""
    extended = [*COLUMNS, ("nouvelle", "Une colonne nouvelle", "name")]
    monkeypatch.setattr(records_module, "COLUMNS", extended)
    monkeypatch.setattr(views_module, "COLUMNS", extended)
    report = csv_report(client, tmp_path)
    assert not report.valid
    assert "extra-label" in {error[0] for error in report.flatten(["type"])}


def test_the_table_schema_is_published_and_matches_the_columns(client, db):
    """The schema is served as committed, readable from any site; it has a field per CSV column,
    in order, each with the meaning the « Données ouvertes » page gives; lieux.csv points to it."""
    response = client.get(reverse("opendata:csv-schema"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content == TABLE_SCHEMA_PATH.read_bytes()
    schema = response.json()
    assert [field["name"] for field in schema["fields"]] == [header for header, *_ in COLUMNS]
    with translation.override("fr"):
        meanings = [str(meaning) for _header, meaning, _key in COLUMNS]
    assert [field["description"] for field in schema["fields"]] == meanings
    assert schema["primaryKey"] == "identifiant"
    assert schema["licenses"][0]["path"] == LICENCE
    link = client.get(reverse("opendata:csv"))["Link"]
    assert link.startswith("<http") and reverse("opendata:csv-schema") in link
    assert 'rel="describedby"' in link


GEOJSON_SCHEMA = (
    Path(settings.BASE_DIR) / "opendata" / "standards" / ("geojson-featurecollection-1.0.5.json")
)


@pytest.mark.parametrize(
    ("url_name", "query"),
    [("opendata:geojson", {}), ("places:geojson", {}), ("places:geojson", {"grid": "1"})],
)
def test_every_geojson_served_follows_the_geojson_standard(client, lozere, truck, url_name, query):
    """The open-data GeoJSON and the map's (places, itinerant stops, the grid of counts) are
    valid against GeoJSON's official JSON Schema (RFC 7946), vendored byte for byte by
    scripts/vendor_static.py: the catalogue's conformsTo is a promise the tests keep."""
    schema = json.loads(GEOJSON_SCHEMA.read_text(encoding="utf-8"))
    data = client.get(reverse(url_name), query).json()
    assert data["features"]
    errors = [error.message for error in Draft7Validator(schema).iter_errors(data)]
    assert not errors, errors[:5]

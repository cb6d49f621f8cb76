"""The read API (opendata.api): answers that keep the OpenAPI document's promises.

The contract tests validate real answers (list, detail, 400, 404) against the schemas of the
document /api/openapi.json generates, as a client written from that document would read them.
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openapi_schema_validator import OAS30Validator

from opendata.records import COLUMNS, LICENCE, LICENCE_NAME, records
from places.filters import PlaceFilter
from places.models import Membership, Place, Stop
from tests.factories import (
    CommuneFactory,
    NetworkFactory,
    PlaceFactory,
    PlaceTypeFactory,
    ServiceFactory,
    StopFactory,
    bulk_places,
)

pytestmark = pytest.mark.django_db

LIST = "/api/lieux/"
DETAIL = "/api/lieux/{slug}/"


@pytest.fixture
def directory(db):
    """A few places saying all a record can say: codes, a network, no position, no date, stops
    at a commune and at a point."""
    wifi = ServiceFactory(code="wifi")
    fablab = PlaceTypeFactory(code="fablab")
    mende = CommuneFactory(insee="48095", name="Mende", postcodes="48000")
    full = PlaceFactory(
        name="Atelier partagé",
        services=[wifi],
        types=[fablab],
        commune=mende,
        phone="04 66 00 00 00",
        website="https://atelier.example.org",
        verified_on=date(2025, 3, 1),
    )
    Membership.objects.create(place=full, network=NetworkFactory(code="reseau"))
    bus = PlaceFactory(
        name="Bus numérique",
        commune=None,
        latitude=None,
        longitude=None,
        location_precision="",
        itinerant=True,
    )
    StopFactory(place=bus, position=1, commune=mende)
    StopFactory(place=bus, position=2, commune=None, latitude=44.6, longitude=3.4, label="")
    PlaceFactory(name="Café fermé", status=Place.Status.CLOSED, commune=mende)
    PlaceFactory(name="Coworking", services=[wifi], commune=mende)
    return full


@pytest.fixture
def document(client):
    return client.get(reverse("opendata:api-openapi")).json()


def assert_documented(document, path, response):
    """The answer's status is documented for the operation, and its body fits the schema."""
    assert response["Content-Type"] == "application/json"
    responses = document["paths"][path]["get"]["responses"]
    assert str(response.status_code) in responses, (path, response.status_code)
    schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    assert_fits(document, schema, response.json())


def assert_fits(document, schema, body):
    validator = OAS30Validator(
        {**schema, "components": document["components"]},
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )
    errors = [error.message for error in validator.iter_errors(body)]
    assert not errors, errors


def test_list_answers_match_the_published_schema(client, directory, document):
    """Pages, first and last, filtered or not, are what the document says a page is."""
    url = reverse("opendata:api-list")
    for query in ({}, {"page_size": 1}, {"page_size": 1, "page": 3}, {"service": "wifi"}):
        response = client.get(url, query)
        assert response.status_code == 200
        assert_documented(document, LIST, response)
    assert client.get(url, {"page_size": 1, "page": 2}).json()["next"]


def test_detail_answers_match_the_published_schema(client, directory, document):
    """A place with everything, and one with no commune, position or date (nulls, blanks)."""
    for slug in (directory.slug, "bus-numerique", "cafe-ferme"):
        response = client.get(reverse("opendata:api-detail", args=[slug]))
        assert response.status_code == 200
        assert_documented(document, DETAIL, response)
    place = client.get(reverse("opendata:api-detail", args=["bus-numerique"])).json()
    assert (place["latitude"], place["precision"], place["verified_on"]) == (None, "", None)
    assert [stop["precision"] for stop in place["stops"]] == ["commune", "exact"]
    assert place["stops"][1]["commune"] == place["stops"][1]["insee"] == ""


def test_errors_match_the_published_schema(client, directory, document):
    """Every 400 and 404 of the API is the one documented error shape."""
    url = reverse("opendata:api-list")
    for query in (
        {"service": "inconnu"},
        {"near": "Nulle-Part-sur-Mer"},
        {"lat": "x", "lon": "3.5"},
        {"lat": "44.5"},
        {"page_size": 201},
        {"page": 99},
    ):
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert_documented(document, LIST, response)
        assert response.json()["error"] and response.json()["fields"]
    missing = client.get(reverse("opendata:api-detail", args=["nulle-part"]))
    assert missing.status_code == 404
    assert_documented(document, DETAIL, missing)
    error = {"$ref": "#/components/schemas/Error"}
    for address in ("/api/ailleurs/", "/api/lieux/nulle-part/photos/", "/api/lieux/é/"):
        unknown = client.get(address)
        assert unknown.status_code == 404, address
        assert_fits(document, error, unknown.json())


def test_the_api_serves_the_open_data_records_as_they_are(client, directory):
    """The serializer types the records of the CSV and GeoJSON; it changes no key nor value. A
    place's answer adds the licence and when it was made, as a page of the list does."""
    page = client.get(reverse("opendata:api-list")).json()
    assert page["results"] == records(Place.objects.active())
    for slug in ("bus-numerique", "cafe-ferme"):
        answer = client.get(reverse("opendata:api-detail", args=[slug])).json()
        made = answer.pop("generated_at")
        assert answer.pop("license") == page["license"] == {"name": LICENCE_NAME, "url": LICENCE}
        assert made.endswith("Z") and page["generated_at"].endswith("Z")
        assert answer == records(Place.objects.filter(slug=slug))[0]


def test_an_unknown_place_is_a_json_404(client, db):
    """A client reading JSON gets JSON with the reason, not the site's HTML page."""
    response = client.get(reverse("opendata:api-detail", args=["nulle-part"]))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Aucun lieu publié n'a cet identifiant."}


def test_a_page_size_above_the_maximum_is_refused_with_the_reason(client, directory):
    """page_size=1000 is a 400 saying the maximum, not 200 places passed off as 1,000."""
    response = client.get(reverse("opendata:api-list"), {"page_size": 1000})
    assert response.status_code == 400
    assert response.json()["fields"]["page_size"] == [
        {"message": "page_size : un nombre entier de 1 à 200.", "code": "invalid"}
    ]
    assert client.get(reverse("opendata:api-list"), {"page_size": 200}).status_code == 200


def test_a_page_out_of_range_says_how_many_there_are(client, directory):
    """A page past the last is a 400 whose reason gives the range of pages there are."""
    response = client.get(reverse("opendata:api-list"), {"page": 4, "page_size": 1})
    assert response.status_code == 400
    assert response.json()["fields"]["page"][0]["message"] == ("page : un nombre entier de 1 à 3.")


def test_invalid_filters_give_each_reason(client, directory):
    """The FilterSet's own checks, as DRF's filter backend reports them: per parameter, and
    `__all__` for a position given by half. A typed text with « % » in it stays a reason."""
    url = reverse("opendata:api-list")
    near = client.get(url, {"near": "Nulle-Part"}).json()["fields"]["near"][0]
    assert near["message"] == "Commune inconnue : « Nulle-Part ». Vérifiez l'orthographe."
    assert "lat" in client.get(url, {"lat": "x", "lon": "3"}).json()["fields"]
    assert "__all__" in client.get(url, {"lat": "44.5"}).json()["fields"]
    for typed in ("100%", "%d", "%(name)s", "%"):
        response = client.get(url, {"near": typed})
        assert response.status_code == 400
        assert typed in response.json()["fields"]["near"][0]["message"]


def test_the_api_answers_304_until_the_directory_changes(client, directory):
    """List and detail carry ETag and Last-Modified; a client holding them gets 304 until a
    place changes. Each answer, error or not, may be read from any site (CORS)."""
    for url in (
        reverse("opendata:api-list"),
        reverse("opendata:api-detail", args=[directory.slug]),
    ):
        first = client.get(url)
        assert first.has_header("ETag") and first.has_header("Last-Modified")
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again["Access-Control-Allow-Origin"] == "*"
    url = reverse("opendata:api-detail", args=[directory.slug])
    tag = client.get(url)["ETag"]
    directory.phone = "04 66 11 11 11"
    directory.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200
    for answer in (client.get(url), client.get(url + "x/"), client.get("/api/lieux/?page=9")):
        assert answer["Access-Control-Allow-Origin"] == "*"


def test_json_whatever_the_client_asks(client, directory):
    """Accept headers and ?format= never give a 406 nor an HTML page; other methods than GET
    and HEAD are a 405 saying so; the API sets no cookie and does not depend on one."""
    url = reverse("opendata:api-list")
    for headers in ({"HTTP_ACCEPT": "text/html"}, {"HTTP_ACCEPT": "image/png"}, {}):
        response = client.get(url, {"format": "api"}, **headers)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.delete, client.options):
        refused = method(url)
        assert refused.status_code == 405
        assert refused.json()["error"]
    answer = client.get(url)
    assert not answer.cookies
    assert "Cookie" not in answer.get("Vary", "")


def test_the_document_types_every_field_of_a_place(document):
    """Each record key is a typed, required property; nullable exactly where a record may hold
    null. Arrays of codes are arrays of strings, stops a list of typed stops. A place's answer and
    a page of the list carry the licence and the date they were made, typed alike."""
    schemas = document["components"]["schemas"]
    place = schemas["Place"]
    keys = [key for _header, _meaning, key in COLUMNS]
    assert list(place["properties"]) == keys
    assert sorted(place["required"]) == sorted(keys)
    for key, prop in place["properties"].items():
        assert "type" in prop or "allOf" in prop or "oneOf" in prop, key
    nullable = {key for key, prop in place["properties"].items() if prop.get("nullable")}
    assert nullable == {"latitude", "longitude", "verified_on"}
    for key in ("types", "families", "services", "audiences", "networks"):
        assert place["properties"][key]["items"] == {"type": "string"}
    assert place["properties"]["to_verify"]["type"] == "boolean"
    assert place["properties"]["updated_at"] == {
        "type": "string",
        "format": "date-time",
        "description": place["properties"]["updated_at"]["description"],
    }
    assert place["properties"]["stops"]["items"] == {"$ref": "#/components/schemas/Stop"}
    stop = schemas["Stop"]
    stop_keys = ["commune", "insee", "label", "latitude", "longitude", "precision", "schedule"]
    assert list(stop["properties"]) == stop_keys and sorted(stop["required"]) == sorted(stop_keys)
    provenance = {"license", "generated_at"}
    answer = schemas["PlaceAnswer"]
    assert list(answer["properties"]) == [*keys, "license", "generated_at"]
    assert set(answer["required"]) == {*keys, *provenance}
    page = schemas["PaginatedPlaceList"]
    paging = {"count", "page", "pages", "next", "previous", "results"}
    assert set(page["required"]) == paging | provenance
    assert page["properties"]["license"] == answer["properties"]["license"]
    assert page["properties"]["license"]["required"] == ["name", "url"]
    assert schemas["Error"]["required"] == ["error"]


def test_the_document_types_every_filter(document):
    """Each of the FilterSet's filters, and the paging, is a typed query parameter: a new filter
    is documented as soon as it exists."""
    parameters = {p["name"]: p for p in document["paths"][LIST]["get"]["parameters"]}
    assert set(parameters) == {*PlaceFilter.base_filters, "page", "page_size"}
    for name, parameter in parameters.items():
        assert parameter["in"] == "query" and parameter["schema"]["type"], name
        assert parameter["description"], name
    assert parameters["service"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert parameters["radius"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["lat"]["schema"] == {"type": "number", "minimum": -90, "maximum": 90}
    assert parameters["accessible"]["schema"] == {"type": "boolean"}
    assert parameters["open_at"]["schema"] == {"type": "string", "format": "date-time"}
    assert parameters["page_size"]["schema"]["maximum"] == 200


def test_the_document_is_valid_openapi_without_warnings(tmp_path):
    """drf-spectacular understands every view, serializer and filter: nothing falls back."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yml")


def test_what_a_visitor_types_never_enters_the_document(client, db):
    """?version= is not echoed into the document; ?lang= takes one of the site's languages."""
    markup = "<script>alert(1)</script>"
    document = client.get(reverse("opendata:api-openapi"), {"version": markup})
    assert document.status_code == 200
    assert markup not in document.content.decode()
    assert document.json()["info"]["version"] == "1.0"
    refused = client.get(reverse("opendata:api-openapi"), {"lang": markup})
    assert refused.status_code == 400
    assert "lang" in refused.json()["fields"]
    assert client.get(reverse("opendata:api-openapi"), {"lang": "en"}).status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_api_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    """A page of the list and a place cost the same number of queries at 10 and 1,000 places:
    the records are read per relation, never per place."""
    places = bulk_places(count, services=ServiceFactory.create_batch(2), types=[PlaceTypeFactory()])
    network = NetworkFactory()
    Membership.objects.bulk_create(Membership(place=p, network=network) for p in places)
    Stop.objects.bulk_create(
        Stop(place=p, position=n, commune=p.commune) for p in places for n in (1, 2)
    )
    # The directory's state, the count, the page's ids, the places, four relations, networks,
    # stops.
    with django_assert_max_num_queries(10):
        body = client.get(reverse("opendata:api-list"), {"page_size": 200, "page": 1}).json()
    assert len(body["results"]) == min(count, 200)
    first = body["results"][0]
    assert first["services"] and first["networks"] and len(first["stops"]) == 2
    # The state, the place, four relations, networks, stops.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("opendata:api-detail", args=[places[-1].slug])).status_code == 200


def test_a_later_minute_is_never_answered_304(client, directory, monkeypatch):
    """« Ouvert maintenant » changes with the clock, not with the directory: a validator from an
    earlier minute gets the answer again, by ETag as by date."""
    from places import freshness

    url = reverse("opendata:api-list") + "?open_now=true"
    first = client.get(url)
    minute = freshness.this_minute()
    monkeypatch.setattr(freshness, "this_minute", lambda: minute + 1)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200

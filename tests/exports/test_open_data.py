"""Open data and the read API: same filters as the site, conditional GET, CORS, embedding."""

import csv
import io

import pytest
from django.urls import reverse

from places.models import Place
from places.opendata import COLUMNS

pytestmark = pytest.mark.django_db


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_has_the_documented_french_headers(client, shipped_data):
    response = client.get(reverse("places:open-data-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header = response.content.decode().splitlines()[0]
    assert header.split(",") == [column for column, _meaning, _key in COLUMNS]
    assert len(rows(response)) == Place.objects.active().count()


def test_csv_and_geojson_honour_the_filters(client, shipped_data):
    filtered = rows(client.get(reverse("places:open-data-csv"), {"service": "admin-help"}))
    assert {row["identifiant"] for row in filtered} == {
        "france-services-la-canourgue",
        "msap-de-marvejols",
        "msap-de-villefort",
    }
    marvejols = next(row for row in filtered if row["identifiant"] == "msap-de-marvejols")
    assert marvejols["services"] == "digital-help|admin-help|orientation"
    assert marvejols["code_insee"] == "48092"
    geojson = client.get(reverse("places:open-data-geojson"), {"commune": "48095"}).json()
    assert [f["properties"]["id"] for f in geojson["features"]] == ["bar-latelier"]
    assert geojson["features"][0]["geometry"]["coordinates"] == [3.50117, 44.51782]


def test_exports_answer_304_until_the_directory_changes(client, shipped_data):
    url = reverse("places:open-data-csv")
    first = client.get(url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    place = Place.objects.get(slug="polen")
    place.phone = "04 66 00 00 00"
    place.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_bad_filters_get_a_400_with_the_reason(client, db):
    for name in ("places:open-data-csv", "places:open-data-geojson", "places:api-list"):
        response = client.get(reverse(name), {"service": "inconnu"})
        assert response.status_code == 400
        assert "service" in response.json()["fields"]


def test_the_api_paginates_and_links_pages(client, shipped_data):
    response = client.get(reverse("places:api-list"), {"page_size": 10, "page": 2})
    body = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert body["count"] == Place.objects.active().count()
    assert len(body["results"]) == 10
    assert "page=3" in body["next"] and "page=1" in body["previous"]
    for bad in ({"page": 99}, {"page": "x"}, {"page_size": 0}):
        assert client.get(reverse("places:api-list"), bad).status_code == 400


def test_the_api_detail_and_openapi(client, shipped_data):
    polen = client.get(reverse("places:api-detail", args=["polen"])).json()
    assert polen["name"] == "POLeN"
    assert polen["networks"] == ["fabrique-de-territoire", "occitanie"]
    assert client.get(reverse("places:api-detail", args=["nulle-part"])).status_code == 404
    spec = client.get(reverse("places:api-openapi")).json()
    assert spec["openapi"].startswith("3.")
    parameters = {p["name"] for p in spec["paths"]["/api/lieux/"]["get"]["parameters"]}
    assert {"service", "commune", "near", "radius", "page", "page_size"} <= parameters


def test_no_personal_data_goes_out(client, shipped_data, django_user_model):
    user = django_user_model.objects.create_user("secret@example.org", "secret@example.org")
    Place.objects.get(slug="polen").animateurs.add(user)
    exported = client.get(reverse("places:api-list"), {"page_size": 100}).content.decode()
    assert "secret@example.org" not in exported


def test_the_catalogue_entry_names_the_licence(client, shipped_data):
    data = client.get(reverse("places:open-data-catalogue")).json()
    assert data["dct:license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert len(data["dcat:distribution"]) == 3


def test_only_the_embed_may_be_framed(client, shipped_data):
    embed = client.get(reverse("places:embed"), {"epci": "244800470"})
    assert embed.status_code == 200
    assert not embed.has_header("X-Frame-Options")
    html = embed.content.decode()
    assert "MSAP de Marvejols" in html and "site-header" not in html
    assert client.get(reverse("places:home"))["X-Frame-Options"] == "DENY"
    assert client.get(reverse("places:open-data"))["X-Frame-Options"] == "DENY"


def test_the_open_data_page_documents_every_column(client, db):
    html = client.get(reverse("places:open-data")).content.decode()
    for column, _meaning, _key in COLUMNS:
        assert f"<code>{column}</code>" in html
    assert "&lt;iframe src=" in html

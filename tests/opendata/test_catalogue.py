"""The open data described for machines: the DCAT-AP catalogue that portals harvest, read back
with rdflib as a harvester reads it, and the schema.org Dataset of the « Données ouvertes » page.

The directory is the small one of tests/directory.py, built with factories."""

import json
import re
from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from opendata import datainclusion, distributions, mednum
from opendata.records import LICENCE
from places import freshness
from tests import directory

pytestmark = pytest.mark.django_db

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
SITE = "https://solozere.example.org"


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.SITE_URL = SITE
    settings.SOLOZERE_COORDINATION_EMAIL = ""
    settings.SOLOZERE_DATA_ISSUED = None


@pytest.fixture
def lozere(db):
    """The small directory: real communes, the places of the documents at their town hall."""
    return directory.build()


def harvest(client):
    """The catalogue as a portal reads it: the JSON-LD served, parsed into RDF triples."""
    response = client.get(reverse("opendata:catalogue"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return Graph().parse(data=response.content, format="json-ld")


def the_one(graph, kind):
    (node,) = graph.subjects(ns.RDF.type, kind)
    return node


def one_value(graph, node, prop):
    values = list(graph.objects(node, prop))
    assert len(values) == 1, f"{node} has {len(values)} {prop}"
    return values[0]


def french_text(graph, node, prop):
    value = one_value(graph, node, prop)
    assert isinstance(value, Literal) and value.language == "fr" and str(value).strip()
    return str(value)


def iri(graph, node, prop):
    value = one_value(graph, node, prop)
    assert isinstance(value, URIRef), f"{node} {prop} is a literal, not an IRI: {value!r}"
    return str(value)


def test_the_catalogue_has_what_dcat_ap_requires_of_a_catalogue_and_its_dataset(
    client, lozere, settings
):
    """A portal finds one dcat:Catalog whose title, description, publisher, homepage and dataset
    are there, and a dataset with title, description, publisher, contact point, keywords, typed
    dates, licence and distributions: IRIs as IRIs, texts tagged French."""
    settings.SOLOZERE_DATA_ISSUED = date(2025, 6, 2)
    graph = harvest(client)
    catalog = the_one(graph, ns.DCAT.Catalog)
    dataset = the_one(graph, ns.DCAT.Dataset)
    assert str(catalog) == SITE + reverse("opendata:catalogue")
    french_text(graph, catalog, ns.DCTERMS.title)
    french_text(graph, catalog, ns.DCTERMS.description)
    assert iri(graph, catalog, ns.FOAF.homepage) == SITE + "/"
    assert one_value(graph, catalog, ns.DCAT.dataset) == dataset

    publisher = iri(graph, catalog, ns.DCTERMS.publisher)
    assert publisher == SITE + reverse("places:about") + "#lozere-developpement"
    assert iri(graph, dataset, ns.DCTERMS.publisher) == publisher
    assert str(one_value(graph, URIRef(publisher), ns.FOAF.name)) == "Lozère Développement"

    assert french_text(graph, dataset, ns.DCTERMS.title) == "Tiers-lieux de Lozère (Solozère)"
    french_text(graph, dataset, ns.DCTERMS.description)
    assert {str(word) for word in graph.objects(dataset, ns.DCAT.keyword)} >= {
        "tiers-lieux",
        "Lozère",
    }
    assert iri(graph, dataset, ns.DCTERMS.license) == LICENCE
    assert iri(graph, dataset, ns.DCAT.landingPage) == SITE + reverse("opendata:page")
    contact = one_value(graph, dataset, ns.DCAT.contactPoint)
    assert str(one_value(graph, contact, VCARD.fn)) == "Lozère Développement"
    assert iri(graph, contact, VCARD.hasURL) == SITE + reverse("places:about") + "#signaler"

    issued = one_value(graph, dataset, ns.DCTERMS.issued)
    assert (issued.datatype, issued.toPython()) == (ns.XSD.date, date(2025, 6, 2))
    modified = one_value(graph, dataset, ns.DCTERMS.modified)
    assert modified.datatype == ns.XSD.dateTime
    assert modified.toPython() == freshness.read_state().latest
    assert one_value(graph, catalog, ns.DCTERMS.modified) == modified

    listed = set(graph.objects(dataset, ns.DCAT.distribution))
    assert listed == set(graph.subjects(ns.RDF.type, ns.DCAT.Distribution))
    assert len(listed) == len(distributions.DISTRIBUTIONS)


def test_every_distribution_says_where_what_and_under_which_licence(client, lozere):
    """Each distribution has a title, an access URL, an IANA media-type IRI, an EU file-type IRI
    and the licence; each file has a download URL, and what it downloads is of that media type."""
    graph = harvest(client)
    downloads = 0
    for node in graph.subjects(ns.RDF.type, ns.DCAT.Distribution):
        assert set(graph.objects(node, ns.RDF.type)) == {ns.DCAT.Distribution}, "an IRI used twice"
        french_text(graph, node, ns.DCTERMS.title)
        access = iri(graph, node, ns.DCAT.accessURL)
        assert access.startswith(SITE + "/")
        media_type = iri(graph, node, ns.DCAT.mediaType)
        assert media_type.startswith(IANA)
        assert iri(graph, node, ns.DCTERMS.format).startswith(EU_FILE_TYPES)
        assert iri(graph, node, ns.DCTERMS.license) == LICENCE
        if (node, ns.DCAT.downloadURL, None) in graph:
            downloads += 1
            download = iri(graph, node, ns.DCAT.downloadURL)
            response = client.get(download.removeprefix(SITE))
            assert response.status_code == 200
            assert response["Content-Type"].split(";")[0] == media_type.removeprefix(IANA)
        else:
            assert one_value(graph, node, ns.DCAT.accessService) == the_one(
                graph, ns.DCAT.DataService
            )
    assert downloads == len([entry for entry in distributions.DISTRIBUTIONS if entry.download])


def test_the_standard_files_name_the_standard_they_follow(client, lozere):
    """The « médiation numérique » file conforms to the national schema at the address the
    schema gives itself, the GeoJSON to RFC 7946, the CSV to its own Table Schema, the
    data·inclusion files to data·inclusion's published schemas."""
    graph = harvest(client)
    standards = {
        str(one_value(graph, node, ns.DCAT.accessURL)).removeprefix(SITE): {
            str(value) for value in graph.objects(node, ns.DCTERMS.conformsTo)
        }
        for node in graph.subjects(ns.RDF.type, ns.DCAT.Distribution)
    }
    assert standards[reverse("opendata:mednum")] == {mednum.SCHEMA["uri"]}
    assert mednum.SCHEMA["uri"].endswith(f"/v{mednum.SCHEMA_VERSION}/schema.json")
    assert standards[reverse("opendata:geojson")] == {"https://www.rfc-editor.org/rfc/rfc7946"}
    assert standards[reverse("opendata:csv")] == {SITE + reverse("opendata:csv-schema")}
    assert standards[reverse("opendata:datainclusion-structures")] == {
        datainclusion.STRUCTURE_SCHEMA_URL
    }
    assert standards[reverse("opendata:datainclusion-services")] == {
        datainclusion.SERVICE_SCHEMA_URL
    }


def test_the_api_is_a_data_service_serving_the_dataset(client, lozere):
    """The read API is a dcat:DataService: its endpoint answers, its description is the OpenAPI
    document, it serves the dataset, and the catalogue lists it."""
    graph = harvest(client)
    service = the_one(graph, ns.DCAT.DataService)
    french_text(graph, service, ns.DCTERMS.title)
    assert one_value(graph, service, ns.DCAT.servesDataset) == the_one(graph, ns.DCAT.Dataset)
    assert one_value(graph, the_one(graph, ns.DCAT.Catalog), ns.DCAT.service) == service
    endpoint = iri(graph, service, ns.DCAT.endpointURL)
    assert endpoint == SITE + reverse("opendata:api-list")
    assert client.get(endpoint.removeprefix(SITE)).status_code == 200
    description = iri(graph, service, ns.DCAT.endpointDescription)
    assert client.get(description.removeprefix(SITE)).json()["openapi"].startswith("3.")


def test_what_is_not_known_is_left_out(client, db):
    """Without a publication date set, an e-mail for the coordination or any place yet, the
    catalogue gives no issued or modified date and no e-mail rather than made-up ones."""
    from needs.models import Need

    Need.objects.all().delete()  # shipped by a migration: data too, with their change time
    graph = harvest(client)
    dataset = the_one(graph, ns.DCAT.Dataset)
    assert (dataset, ns.DCTERMS.issued, None) not in graph
    assert (dataset, ns.DCTERMS.modified, None) not in graph
    assert (None, VCARD.hasEmail, None) not in graph


def test_the_contact_point_has_the_coordinations_address_when_set(client, db, settings):
    """COORDINATION_EMAIL, where contributions already go, is the contact point's e-mail."""
    settings.SOLOZERE_COORDINATION_EMAIL = "coordination@example.org"
    graph = harvest(client)
    contact = one_value(graph, the_one(graph, ns.DCAT.Dataset), ns.DCAT.contactPoint)
    assert iri(graph, contact, VCARD.hasEmail) == "mailto:coordination@example.org"


def schema_org(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_data_page_links_the_catalogue_and_carries_a_schema_org_dataset(client, lozere):
    """Search engines find on « Données ouvertes » the catalogue as an alternate link and a
    schema.org Dataset, the same one as the catalogue's, with its files as downloads."""
    html = client.get(reverse("opendata:page")).content.decode()
    assert (
        f'<link rel="alternate" type="application/ld+json" href="{reverse("opendata:catalogue")}"'
        in html
    )
    data = schema_org(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["@id"] == str(the_one(harvest(client), ns.DCAT.Dataset))
    assert data["name"] and len(data["description"]) >= 50
    assert data["license"] == LICENCE
    assert data["publisher"]["name"] == data["creator"]["name"] == "Lozère Développement"
    assert data["dateModified"] == freshness.read_state().latest.isoformat()
    assert "datePublished" not in data
    assert {(d["@type"], d["encodingFormat"], d["contentUrl"]) for d in data["distribution"]} == {
        ("DataDownload", "text/csv", SITE + reverse("opendata:csv")),
        ("DataDownload", "application/geo+json", SITE + reverse("opendata:geojson")),
        ("DataDownload", "text/csv", SITE + reverse("opendata:mednum")),
        ("DataDownload", "application/json", SITE + reverse("opendata:datainclusion-structures")),
        ("DataDownload", "application/json", SITE + reverse("opendata:datainclusion-services")),
        ("DataDownload", "text/csv", SITE + reverse("agenda:csv")),
        ("DataDownload", "application/json", SITE + reverse("agenda:json")),
        ("DataDownload", "text/calendar", SITE + reverse("agenda:ics")),
    }


def test_a_new_file_is_one_entry_in_the_table(client, db, monkeypatch):
    """A file added to opendata.distributions appears in the catalogue, with its standard, and
    among the page's downloads, with nothing else to write."""
    schema = distributions.Distribution(
        "lieux-schema",
        "opendata:csv",
        "Nouveau fichier",
        "text/csv",
        "CSV",
        conforms_to="opendata:api-openapi",
    )
    monkeypatch.setattr(distributions, "DISTRIBUTIONS", [*distributions.DISTRIBUTIONS, schema])
    graph = harvest(client)
    node = URIRef(SITE + reverse("opendata:page") + "#lieux-schema")
    assert (the_one(graph, ns.DCAT.Dataset), ns.DCAT.distribution, node) in graph
    assert iri(graph, node, ns.DCTERMS.conformsTo) == SITE + reverse("opendata:api-openapi")
    page = schema_org(client.get(reverse("opendata:page")).content.decode())
    assert "Nouveau fichier" in {download["name"] for download in page["distribution"]}
    assert replace(schema, conforms_to="https://example.org/s.json").standard == (
        "https://example.org/s.json"
    )

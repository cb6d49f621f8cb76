"""The open data described for machines, from opendata.distributions:

- a DCAT-AP catalogue in JSON-LD, which open-data portals harvest (data.gouv.fr reads a
  dcat:Catalog): the dataset, each file, the API as a data service, who publishes it and whom to
  ask;
- a schema.org Dataset for search engines, carried by the « Données ouvertes » page.

Dates come from the database (the directory's latest change) and from the DATA_ISSUED setting,
the contact's e-mail from COORDINATION_EMAIL; a date or an address that is not known is left out,
never guessed.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from places.links import absolute_url
from places.structured import to_script

from . import distributions
from .records import LICENCE

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    # Every text of the catalogue is French, as the data is.
    "@language": "fr",
}
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"
LOZERE = "https://www.insee.fr/fr/metadonnees/cog/departement/DEP48-lozere"
PUBLISHER = "Lozère Développement"

TITLE = _("Tiers-lieux de Lozère (Solozère)")
DESCRIPTION = _(
    "Annuaire des tiers-lieux de Lozère : télécentres, coworkings, fablabs, France Services, "
    "cafés, lieux culturels, de formation et itinérants."
)
# The words of the documents and of the directory's own types, as people search for them.
KEYWORDS = [
    "tiers-lieux",
    "Lozère",
    "télécentre",
    "coworking",
    "fablab",
    "France Services",
    "médiation numérique",
]


def page_url(fragment=""):
    return absolute_url(reverse("opendata:page")) + fragment


def dataset_iri():
    return page_url("#jeu-de-donnees")


def publisher_iri():
    """Lozère Développement, as the site's « À propos » page presents it."""
    return absolute_url(reverse("places:about")) + "#lozere-developpement"


def ref(url):
    return {"@id": url}


def typed(value, datatype):
    return {"@value": value.isoformat(), "@type": datatype}


def dates(latest):
    """dct:issued and dct:modified, typed; each only when it is known."""
    found = {}
    if settings.SOLOZERE_DATA_ISSUED:
        found["dct:issued"] = typed(settings.SOLOZERE_DATA_ISSUED, "xsd:date")
    if latest:
        found["dct:modified"] = typed(latest, "xsd:dateTime")
    return found


def contact_point():
    """Lozère Développement: the about page's « Signaler une erreur », and its address when set."""
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": PUBLISHER,
        "vcard:hasURL": ref(absolute_url(reverse("places:about")) + "#signaler"),
    }
    if settings.SOLOZERE_COORDINATION_EMAIL:
        contact["vcard:hasEmail"] = ref(f"mailto:{settings.SOLOZERE_COORDINATION_EMAIL}")
    return contact


def distribution(entry, service):
    node = {
        "@id": page_url(f"#{entry.key}"),
        "@type": "dcat:Distribution",
        "dct:title": str(entry.title),
        "dcat:accessURL": ref(entry.url),
        "dcat:mediaType": ref(entry.media_type_iri),
        "dct:format": ref(entry.file_type_iri),
        "dct:license": ref(LICENCE),
    }
    if entry.download:
        node["dcat:downloadURL"] = ref(entry.url)
    else:
        node["dcat:accessService"] = ref(service)
    if entry.standard:
        node["dct:conformsTo"] = ref(entry.standard)
    return node


def catalogue(latest):
    """The DCAT-AP catalogue as JSON-LD: one dataset, its distributions, the API's service.

    `latest` is the directory's latest change (places.freshness), None for an empty one."""
    catalogue_iri = absolute_url(reverse("opendata:catalogue"))
    dataset = dataset_iri()
    service = page_url("#api")
    publisher = ref(publisher_iri())
    licence = ref(LICENCE)
    with translation.override("fr"):
        files = [distribution(entry, service) for entry in distributions.DISTRIBUTIONS]
        graph = [
            {
                "@id": catalogue_iri,
                "@type": "dcat:Catalog",
                "dct:title": "Solozère — données ouvertes",
                "dct:description": (
                    "Les données ouvertes de Solozère, l'annuaire des tiers-lieux de Lozère "
                    "coordonné par Lozère Développement."
                ),
                "dct:publisher": publisher,
                "foaf:homepage": ref(absolute_url("/")),
                "dct:language": ref(FRENCH),
                "dct:license": licence,
                "dct:spatial": ref(LOZERE),
                **dates(latest),
                "dcat:dataset": ref(dataset),
                "dcat:service": ref(service),
            },
            {
                "@id": dataset,
                "@type": "dcat:Dataset",
                "dct:title": str(TITLE),
                "dct:description": str(DESCRIPTION),
                "dcat:keyword": KEYWORDS,
                "dct:publisher": publisher,
                "dcat:contactPoint": contact_point(),
                "dcat:landingPage": ref(page_url()),
                "dct:language": ref(FRENCH),
                "dct:spatial": ref(LOZERE),
                "dct:license": licence,
                **dates(latest),
                "dcat:distribution": [ref(node["@id"]) for node in files],
            },
            {
                "@id": service,
                "@type": "dcat:DataService",
                "dct:title": str(_("API de lecture")),
                "dcat:endpointURL": ref(absolute_url(reverse(distributions.API_ENDPOINT))),
                "dcat:endpointDescription": ref(
                    absolute_url(reverse(distributions.API_DESCRIPTION))
                ),
                "dcat:servesDataset": ref(dataset),
                "dct:publisher": publisher,
                "dct:license": licence,
            },
            {"@id": publisher_iri(), "@type": "foaf:Organization", "foaf:name": PUBLISHER},
            *files,
        ]
    return {"@context": CONTEXT, "@graph": graph}


def schema_org(latest):
    """The dataset as a schema.org Dataset, in the page's language, its files as downloads."""
    organisation = {"@type": "Organization", "@id": publisher_iri(), "name": PUBLISHER}
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": dataset_iri(),
        "name": str(TITLE),
        "description": str(DESCRIPTION),
        "url": page_url(),
        "keywords": KEYWORDS,
        "inLanguage": "fr",
        "spatialCoverage": "Lozère",
        "license": LICENCE,
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": str(entry.title),
                "encodingFormat": entry.media_type,
                "contentUrl": entry.url,
            }
            for entry in distributions.DISTRIBUTIONS
            if entry.download
        ],
    }
    if settings.SOLOZERE_DATA_ISSUED:
        data["datePublished"] = settings.SOLOZERE_DATA_ISSUED.isoformat()
    if latest:
        data["dateModified"] = latest.isoformat()
    return to_script(data)
